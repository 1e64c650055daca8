import type { NextFunction, Request, Response, Router } from 'express';
import type { PageContext, PageHandler, SignedInRequest } from './page.js';
import { csrfMatches } from './session.js';
import { forceName } from './figures.js';

type Guard = (handler: PageHandler) => (req: Request, res: Response, next: NextFunction) => void;
type Share = { met: number; total: number; share: number | null } | { suppressed: true };
interface Conformance {
  readonly suppressionThreshold: number;
  readonly forces: {
    force: string;
    modelVersion: { adopted: string | null; stamped: { version: string; events: number }[] };
    rules: Record<string, Share>;
  }[];
}
interface Lag {
  readonly force: string;
  readonly deadLetters: number;
  readonly readModels: {
    readModel: string;
    version: number;
    status: string;
    eventsBehind: number;
    secondsBehind: number | null;
    appliedEventAt: string | null;
  }[];
}
interface LogSealState {
  readonly log: string;
  readonly sealedThrough: string;
  readonly lastCheckpoint: { readonly position: string; readonly signedAt: string; readonly keyId: string } | null;
}
interface AuditVerification {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly intact: boolean;
  readonly logs: readonly {
    readonly log: string;
    readonly intact: boolean;
    readonly verifiedRecords: number;
    readonly verifiedCheckpoints: number;
    readonly unsealedRecords: number;
    readonly finding: { readonly kind: string; readonly position: string; readonly detail: string } | null;
  }[];
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
  return {
    text: share.share === null ? 'No cases' : `${(Math.round(share.share * 1000) / 10).toFixed(1)}% (${share.met} of ${share.total})`,
    suppressed: false,
  };
};

const verifiedText = (v: AuditVerification['logs'][number]): string =>
  v.intact || !v.finding
    ? `Intact: ${v.verifiedRecords} records and ${v.verifiedCheckpoints} checkpoints checked, ${v.unsealedRecords} not yet sealed`
    : `Not intact: ${v.finding.kind} at position ${v.finding.position}. ${v.finding.detail}`;

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
      render(res, 'conformance.njk', {
        title: 'Conformance and model versions',
        rows,
        rules: Object.values(RULES),
        threshold: conformance.suppressionThreshold,
      });
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

  /** Each log's seal (the newest checkpoint, not the first page of them) and, after "Verify now", the verification. */
  const auditPage = async (req: SignedInRequest, res: Response, verification?: AuditVerification): Promise<void> => {
    const { logs: state } = await api.get<{ logs: LogSealState[] }>(req.user.accessToken, '/national/audit/state');
    const logs = state.map((l) => {
      const signedAt = l.lastCheckpoint?.signedAt;
      const ageMinutes = signedAt ? Math.max(0, Math.round((now().getTime() - Date.parse(signedAt)) / 60_000)) : null;
      const verified = verification?.logs.find((v) => v.log === l.log);
      const row = (key: string, text: string): { key: { text: string }; value: { text: string } } => ({
        key: { text: key },
        value: { text },
      });
      const rows = [row('Last sealed position', l.sealedThrough)];
      if (l.lastCheckpoint) {
        rows.push(row('Last checkpoint signed', `${l.lastCheckpoint.signedAt} (${ageMinutes} minutes ago)`));
        rows.push(row('Last checkpoint position', l.lastCheckpoint.position), row('Signing key', l.lastCheckpoint.keyId));
      } else rows.push(row('Last checkpoint signed', 'No checkpoint signed yet'));
      if (verified) rows.push(row('Verified now', verifiedText(verified)));
      return { log: l.log, rows };
    });
    const canVerify = req.user.roles.includes('national-team');
    render(res, 'audit.njk', { title: 'Audit state', logs, verification, canVerify });
  };
  router.get(
    '/national/audit',
    signedIn((req, res) => auditPage(req, res)),
  );
  router.post(
    '/national/audit/verify',
    signedIn(async (req, res) => {
      if (!csrfMatches(req.session, (req.body as Record<string, unknown> | undefined)?.['csrfToken'])) {
        res.status(403);
        return render(res, 'error.njk', {
          title: 'Forbidden',
          message: 'The form had expired or did not come from this console. Go back and try again.',
        });
      }
      // The API verifies both logs now (the national team's right); its answer is shown as is.
      await auditPage(req, res, await api.post<AuditVerification>(req.user.accessToken, '/national/audit/verifications'));
    }),
  );

  router.get(
    '/national/access-log',
    signedIn(async (req, res) => {
      const filters = Object.fromEntries(
        ACCESS_FILTERS.map((name) => [name, typeof req.query[name] === 'string' ? req.query[name] : undefined]),
      );
      const searched = ACCESS_FILTERS.some((name) => filters[name]);
      const page = await api.get<{ entries: Record<string, unknown>[]; next?: string }>(req.user.accessToken, '/national/access-log', {
        ...filters,
        limit: '100',
      });
      const query = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1] && e[0] !== 'after'));
      render(res, 'access-log.njk', { title: 'Access log', page, filters, searched, query: query.toString() });
    }),
  );
}
