import type { Request, Response, NextFunction, Router } from 'express';
import type { NationalKpis } from '#kpis';
import type { PageContext, PageHandler } from './page.js';
import { jsonForScript, SCORECARD_COLUMNS, scorecard } from './figures.js';

type Guard = (handler: PageHandler) => (req: Request, res: Response, next: NextFunction) => void;

/** The national team's pages: what `GET /national/kpis` says, for every force side by side. */
export function nationalPages(router: Router, { render, api }: PageContext, signedIn: Guard): void {
  router.get(
    '/national/scorecard',
    signedIn(async (req, res) => {
      const kpis = await api.get<NationalKpis>(req.user.accessToken, '/national/kpis');
      const card = scorecard(kpis);
      // The chart's numbers are the table's (the chart is a picture of the table, not a second source).
      const chart = {
        title: 'Charge rate by force (%)',
        categories: card.forces.filter((row) => row.cells?.chargeRate.plot != null).map((row) => row.name),
        values: card.forces.flatMap((row) => (row.cells?.chargeRate.plot != null ? [row.cells.chargeRate.plot] : [])),
        national: card.national.cells?.chargeRate.plot ?? null,
      };
      render(res, 'scorecard.njk', { title: 'National scorecard', card, columns: SCORECARD_COLUMNS, chartJson: jsonForScript(chart) });
    }),
  );
}
