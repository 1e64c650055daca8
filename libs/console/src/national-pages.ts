import type { Request, Response, NextFunction, Router } from 'express';
import { OFFENCE_GROUPS } from '#contracts';
import type { NationalKpis } from '#kpis';
import type { PageContext, PageHandler } from './page.js';
import { jsonForScript, quartersUpTo, rateCell, countCell, SCORECARD_COLUMNS, scorecard, withdrawalFunnel } from './figures.js';

type Guard = (handler: PageHandler) => (req: Request, res: Response, next: NextFunction) => void;

/** The national team's pages: what `GET /national/kpis` says, for every force side by side. */
export function nationalPages(router: Router, { render, api, now }: PageContext, signedIn: Guard): void {
  router.get(
    '/national/scorecard',
    signedIn(async (req, res) => {
      // The period (a quarter of the last eight, or all) and the offence group: a cohort of the API (docs/kpis.md).
      const quarters = quartersUpTo(now(), 8);
      const period = typeof req.query['period'] === 'string' ? req.query['period'] : '';
      const offence = typeof req.query['offence'] === 'string' ? req.query['offence'] : '';
      const quarter = quarters.find((q) => q.key === period);
      const problems = [
        ...(period !== '' && !quarter ? [{ text: 'Choose a period from the list', href: '#period' }] : []),
        ...(offence !== '' && !(OFFENCE_GROUPS as readonly string[]).includes(offence)
          ? [{ text: 'Choose an offence group from the list', href: '#offence' }]
          : []),
      ];
      const cohort =
        problems.length > 0 ? {} : { recordedFrom: quarter?.recordedFrom, recordedTo: quarter?.recordedTo, offence: offence || undefined };
      const kpis = await api.get<NationalKpis>(req.user.accessToken, '/national/kpis', cohort);
      const card = scorecard(kpis);
      if (problems.length > 0) res.status(422);
      // The charts' numbers are the tables' (a chart is a picture of a table, not a second source).
      const plotted = card.forces.filter((row) => row.cells?.recorded.plot != null);
      const chart = {
        kind: 'bar',
        title: 'Crimes recorded by force',
        categories: plotted.map((row) => row.name),
        values: plotted.map((row) => row.cells!.recorded.plot),
        national: null,
      };
      const funnel = withdrawalFunnel(kpis);
      render(res, 'scorecard.njk', {
        title: 'National scorecard',
        card,
        columns: SCORECARD_COLUMNS,
        chartJson: jsonForScript(chart),
        funnel,
        funnelJson: jsonForScript({ kind: 'funnel', ...funnel }),
        quarters,
        offences: OFFENCE_GROUPS,
        selected: { period: quarter?.key ?? '', offence: problems.length > 0 ? '' : offence },
        problems,
        cohortText: `${quarter ? `cases recorded ${quarter.label}` : 'all periods'}, ${offence && problems.length === 0 ? offence : 'all offence groups'}`,
      });
    }),
  );
}

/** The national figures quarter by quarter (each quarter's cohort of recorded cases), as a chart and a table. */
export function nationalTrends(router: Router, { render, api, now }: PageContext, signedIn: Guard): void {
  router.get(
    '/national/trends',
    signedIn(async (req, res) => {
      const quarters = quartersUpTo(now(), 8);
      const answers = await Promise.all(
        quarters.map((q) =>
          api.get<NationalKpis>(req.user.accessToken, '/national/kpis', { recordedFrom: q.recordedFrom, recordedTo: q.recordedTo }),
        ),
      );
      const rows = quarters.map((q, i) => {
        const national = answers[i]!.national;
        return {
          quarter: q,
          recorded: countCell(national.cases.recorded),
          closed: countCell(national.cases.closed),
          chargeRate: rateCell(national.chargeRate),
          withdrawal: rateCell(national.victimWithdrawal.share),
        };
      });
      const chart = {
        kind: 'bar',
        title: 'Crimes recorded in England and Wales, by quarter',
        categories: quarters.map((q) => q.key),
        values: rows.map((r) => r.recorded.plot ?? 0),
        national: null,
      };
      render(res, 'trends.njk', { title: 'Trends over quarters', rows, chartJson: jsonForScript(chart), scope: 'England and Wales' });
    }),
  );
}
