import type { Request, Response, NextFunction, Router } from 'express';
import type { NationalKpis } from '#kpis';
import type { PageContext, PageHandler } from './page.js';
import { jsonForScript, SCORECARD_COLUMNS, scorecard, withdrawalFunnel } from './figures.js';

type Guard = (handler: PageHandler) => (req: Request, res: Response, next: NextFunction) => void;

/** The national team's pages: what `GET /national/kpis` says, for every force side by side. */
export function nationalPages(router: Router, { render, api }: PageContext, signedIn: Guard): void {
  router.get(
    '/national/scorecard',
    signedIn(async (req, res) => {
      const kpis = await api.get<NationalKpis>(req.user.accessToken, '/national/kpis');
      const card = scorecard(kpis);
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
      });
    }),
  );
}
