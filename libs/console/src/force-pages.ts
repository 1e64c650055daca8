import type { NextFunction, Request, Response, Router } from 'express';
import { OFFENCE_GROUPS } from '#contracts';
import type { KpiReport } from '#kpis';
import { ApiError } from './api-client.js';
import type { PageContext, PageHandler, SignedInRequest } from './page.js';
import { countCell, forceName, jsonForScript, medianCell, quartersUpTo, rateCell } from './figures.js';
import type { NationalKpis } from '#kpis';

type Guard = (handler: PageHandler) => (req: Request, res: Response, next: NextFunction) => void;
interface Page<T> {
  readonly items: T[];
  readonly limit: number;
  readonly offset: number;
  readonly nextOffset: number | null;
}
type Row = Record<string, unknown>;

export const INVESTIGATION_FILTERS = ['status', 'offence', 'investigatorId', 'outcomeCode', 'reportedFrom', 'reportedTo'] as const;
const STATUSES = ['reported', 'recorded', 'under-investigation', 'closed', 'cancelled'] as const;
const DAY = 86_400_000;

/**
 * The force's own user only: another force's pages are "not found" without asking the API (which would answer 404
 * too: the console is not the boundary, the API is; this only spares the call).
 */
function ownForce(req: SignedInRequest): string {
  const force = req.params['force'];
  if (typeof force !== 'string' || force !== req.user.force) throw new ApiError(404, 'Not found');
  return force;
}

/** A part of a page the user's role may not see (the caseload is for supervisors): shown as such, not as an error. */
async function optional<T>(load: Promise<T>): Promise<T | { refused: number }> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404 || error.status === 503))
      return { refused: error.status };
    throw error;
  }
}

/** A force's pages: overview (KPIs, duties, bail, caseload), investigations with the API's filters, one investigation. */
export function forcePages(router: Router, { render, api, now }: PageContext, signedIn: Guard): void {
  router.get(
    '/forces/:force',
    signedIn(async (req, res) => {
      const force = ownForce(req);
      const token = req.user.accessToken;
      const today = now().toISOString().slice(0, 10);
      const bailBy = new Date(now().getTime() + 14 * DAY).toISOString().slice(0, 10);
      const base = `/forces/${force}`;
      const [kpis, open, missed, bail, caseload] = await Promise.all([
        api.get<KpiReport>(token, `${base}/kpis`),
        optional(api.get<Page<Row>>(token, `${base}/victim-engagement`, { duties: 'open', limit: '500' })),
        optional(api.get<Page<Row>>(token, `${base}/victim-engagement`, { duties: 'missed', limit: '500' })),
        optional(api.get<Page<Row>>(token, `${base}/suspects`, { bailEndsBy: bailBy, limit: '500' })),
        api.get<Page<Row>>(token, `${base}/investigations`, { status: 'under-investigation', limit: '500' }),
      ]);
      const dueToday =
        'items' in open
          ? open.items.flatMap((victim) =>
              dutiesOf(victim)
                .filter((duty) => text(duty['dueBy']).slice(0, 10) <= today)
                .map((duty) => ({ victim, duty })),
            )
          : null;
      const bailing =
        'items' in bail ? bail.items.filter((s) => s['bailEndsOn'] != null && text(s['bailEndsOn']).slice(0, 10) >= today) : null;
      const figures = [
        { label: 'Crimes recorded', cell: countCell(kpis.cases.recorded) },
        { label: 'Cases closed', cell: countCell(kpis.cases.closed) },
        { label: 'Charge rate', cell: rateCell(kpis.chargeRate) },
        { label: 'Victim withdrawal', cell: rateCell(kpis.victimWithdrawal.share) },
        { label: 'Median days to referral', cell: medianCell(kpis.medianDays.toReferral) },
        { label: 'Median days to charge', cell: medianCell(kpis.medianDays.toCharge) },
        { label: 'Median days to closure', cell: medianCell(kpis.medianDays.toClosure) },
      ];
      const chart = {
        title: 'Median days, by stage',
        categories: figures.slice(4).map((f) => f.label.replace('Median days to ', 'To ')),
        values: figures.slice(4).map((f) => f.cell.plot),
        national: null,
      };
      render(res, 'force.njk', {
        title: forceName(force),
        force,
        figures,
        chartJson: jsonForScript(chart),
        today,
        bailBy,
        dueToday,
        missed: 'items' in missed ? missed.items : null,
        bailing,
        ageBands: ageBands(caseload.items, now()),
        openShown: caseload.items.length,
        openMore: caseload.nextOffset !== null,
      });
    }),
  );

  router.get(
    '/forces/:force/trends',
    signedIn(async (req, res) => {
      const force = ownForce(req);
      const token = req.user.accessToken;
      const quarters = quartersUpTo(now(), 8);
      const cohort = (q: (typeof quarters)[number]) => ({ recordedFrom: q.recordedFrom, recordedTo: q.recordedTo });
      const own = await Promise.all(quarters.map((q) => api.get<KpiReport>(token, `/forces/${force}/kpis`, cohort(q))));
      // England and Wales beside the force's figure: the national row every force's user may read (suppressed as published).
      const national = await Promise.all(
        quarters.map((q) => api.get<Pick<NationalKpis, 'national'>>(token, '/national/kpis/england-and-wales', cohort(q))),
      );
      const rows = quarters.map((quarter, i) => ({
        quarter,
        recorded: countCell(own[i]!.cases.recorded),
        closed: countCell(own[i]!.cases.closed),
        chargeRate: rateCell(own[i]!.chargeRate),
        withdrawal: rateCell(own[i]!.victimWithdrawal.share),
        nationalChargeRate: rateCell(national[i]!.national.chargeRate),
        nationalWithdrawal: rateCell(national[i]!.national.victimWithdrawal.share),
      }));
      const chart = {
        kind: 'bar',
        title: `Crimes recorded in ${forceName(force)}, by quarter`,
        categories: quarters.map((q) => q.key),
        values: rows.map((r) => r.recorded.plot ?? 0),
        national: null,
      };
      render(res, 'trends.njk', { title: 'KPIs over quarters', rows, chartJson: jsonForScript(chart), scope: forceName(force) });
    }),
  );

  router.get(
    '/forces/:force/investigations',
    signedIn(async (req, res) => {
      const force = ownForce(req);
      const filters = Object.fromEntries(
        INVESTIGATION_FILTERS.map((name) => [name, typeof req.query[name] === 'string' ? req.query[name] : undefined]),
      );
      const offset = typeof req.query['offset'] === 'string' && /^\d{1,6}$/.test(req.query['offset']) ? req.query['offset'] : '0';
      try {
        const page = await api.get<Page<Row>>(req.user.accessToken, `/forces/${force}/investigations`, { ...filters, limit: '50', offset });
        const query = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1]));
        render(res, 'investigations.njk', {
          title: 'Investigations',
          force,
          page,
          filters,
          statuses: STATUSES,
          offences: OFFENCE_GROUPS,
          query: query.toString(),
        });
      } catch (error) {
        // A malformed filter: the API names it (422); the form says so beside the field.
        if (!(error instanceof ApiError) || (error.status !== 422 && error.status !== 400)) throw error;
        res.status(422);
        render(res, 'investigations.njk', {
          title: 'Investigations',
          force,
          page: null,
          filters,
          statuses: STATUSES,
          offences: OFFENCE_GROUPS,
          problem: error.detail,
        });
      }
    }),
  );

  router.get(
    '/forces/:force/investigations/:caseId',
    signedIn(async (req, res) => {
      const force = ownForce(req);
      const caseId = req.params['caseId'];
      if (typeof caseId !== 'string' || !/^[0-9a-f-]{36}$/i.test(caseId)) throw new ApiError(404, 'Not found');
      const detail = await api.get<Row & { timeline: Row[] }>(req.user.accessToken, `/forces/${force}/investigations/${caseId}`);
      render(res, 'investigation.njk', { title: `Investigation ${text(detail['crimeReference']) || caseId}`, force, detail });
    }),
  );
}

const dutiesOf = (victim: Row): Row[] => (Array.isArray(victim['openDuties']) ? (victim['openDuties'] as Row[]) : []);

/** Open investigations by how long ago they were reported (the first 500 the API returns: the page says if there are more). */
export const AGE_BANDS = [
  { label: 'Under 30 days', upTo: 30 },
  { label: '30 to 89 days', upTo: 90 },
  { label: '90 to 179 days', upTo: 180 },
  { label: '180 to 364 days', upTo: 365 },
  { label: 'A year or more', upTo: Number.POSITIVE_INFINITY },
] as const;

export function ageBands(open: readonly Row[], now: Date): { label: string; count: number }[] {
  const counts = AGE_BANDS.map((band) => ({ label: band.label, count: 0 }));
  for (const row of open) {
    const reported = Date.parse(text(row['reportedAt']) || text(row['recordedAt']));
    if (Number.isNaN(reported)) continue;
    const days = (now.getTime() - reported) / DAY;
    counts[AGE_BANDS.findIndex((band) => days < band.upTo)]!.count += 1;
  }
  return counts;
}

/** A JSON field as text ('' for anything that is not a string or a number). */
const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
