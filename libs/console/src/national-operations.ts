import type { NextFunction, Request, Response, Router } from 'express';
import type { PageContext, PageHandler } from './page.js';
import { forceName } from './figures.js';

type Guard = (handler: PageHandler) => (req: Request, res: Response, next: NextFunction) => void;
type Share = { met: number; total: number; share: number | null } | { suppressed: true };
interface Conformance {
  readonly suppressionThreshold: number;
  readonly forces: { force: string; modelVersion: { adopted: string | null; stamped: { version: string; events: number }[] }; rules: Record<string, Share> }[];
}
interface Lag {
  readonly force: string;
  readonly deadLetters: number;
  readonly readModels: { readModel: string; version: number; status: string; eventsBehind: number; secondsBehind: number | null; appliedEventAt: string | null }[];
}
interface Checkpoint {
  readonly log: string;
  readonly position: string;
  readonly signedAt: string;
  readonly keyId: string;
}

export const RULES: Record<string, string> = {
  victimUpdatesOnTime: "Victims' Code updates on time",
  victimsReferredToIsva: 'Victims referred to an ISVA',
  chargesAfterSuspectFocusedAction: 'Charges after suspect-focused action',
  bailWithVictimViewsSought: "Bail with the victim's views sought",
};
const ACCESS_FILTERS = ['actor', 'subject', 'subjectType', 'from', 'to', 'after'] as const;

const shareText = (share: Share | undefined): { text: string; suppressed: boolean } => {
  if (!share) return { text: 'No data', suppressed: false };
  if ('suppressed' in share) return { text: 'Suppressed', suppressed: true };
  return { text: share.share === null ? 'No cases' : `${(Math.round(share.share * 1000) / 10).toFixed(1)}% (${share.met} of ${share.total})`, suppressed: false };
};

/** The national team's operating pages: conformance and model versions, projection lag and dead letters, audit state, the access log. */
export function nationalOperationsPages(router: Router, { render, api, now }: PageContext, signedIn: Guard): void {
  router.get(
    '/national/conformance',
    signedIn(async (req, res) => {
      const conformance = await api.get<Conformance>(req.user.accessToken, '/national/conformance');
      const rows = conformance.forces.map((f) => ({
        force: f.force,
        name: forceName(f.force),
        adopted: f.modelVersion.adopted ?? 'none recorded',
        stamped: f.modelVersion.stamped.map((s) => `${s.version} (${s.events} events)`).join(', '),
        rules: Object.keys(RULES).map((rule) => shareText(f.rules[rule])),
      }));
      render(res, 'conformance.njk', { title: 'Conformance and model versions', rows, rules: Object.values(RULES), threshold: conformance.suppressionThreshold });
    }),
  );

  router.get(
    '/national/operations',
    signedIn(async (req, res) => {
      const lag = await api.get<Lag[]>(req.user.accessToken, '/national/projections/lag');
      const rows = lag.map((f) => ({
        name: forceName(f.force),
        force: f.force,
        deadLetters: f.deadLetters,
        eventsBehind: Math.max(0, ...f.readModels.map((m) => m.eventsBehind)),
        secondsBehind: Math.max(0, ...f.readModels.map((m) => m.secondsBehind ?? 0)),
        notLive: f.readModels.filter((m) => m.status !== 'live').map((m) => `${m.readModel} v${m.version} (${m.status})`),
      }));
      render(res, 'operations.njk', { title: 'Projection lag and dead letters', rows });
    }),
  );

  router.get(
    '/national/audit',
    signedIn(async (req, res) => {
      const logs = await Promise.all(
        ['event-log', 'access-log'].map(async (log) => {
          const { checkpoints } = await api.get<{ checkpoints: Checkpoint[] }>(req.user.accessToken, '/national/audit/checkpoints', { log });
          const last = checkpoints.at(-1);
          const ageMinutes = last ? Math.max(0, Math.round((now().getTime() - Date.parse(last.signedAt)) / 60_000)) : null;
          return { log, count: checkpoints.length, last, ageMinutes };
        }),
      );
      render(res, 'audit.njk', { title: 'Audit state', logs });
    }),
  );

  router.get(
    '/national/access-log',
    signedIn(async (req, res) => {
      const filters = Object.fromEntries(ACCESS_FILTERS.map((name) => [name, typeof req.query[name] === 'string' ? req.query[name] : undefined]));
      const searched = ACCESS_FILTERS.some((name) => filters[name]);
      const page = await api.get<{ entries: Record<string, unknown>[]; next?: string }>(req.user.accessToken, '/national/access-log', { ...filters, limit: '100' });
      const query = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1] && e[0] !== 'after'));
      render(res, 'access-log.njk', { title: 'Access log', page, filters, searched, query: query.toString() });
    }),
  );
}
