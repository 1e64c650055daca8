import { assertNever, CaseEventTypes as T, type CaseEvent, type ChargingDecision, type CpsActionCategory } from '#contracts';

export type CpsActionStatus = 'open' | 'overdue' | 'completed';
export interface CpsActionState {
  readonly actionId: string;
  readonly category: CpsActionCategory;
  readonly dueBy: string;
  /** `overdue`: still open, its due day passed (recorded once); it may yet be completed. */
  readonly status: CpsActionStatus;
}

/**
 * A suspect's open charging file: awaiting the CPS's decision, or awaiting the police's answer to the action plan of
 * a decision asking for further investigation. A decision that ends it, or an administrative finalisation, removes it.
 */
export interface CpsSuspectFile {
  readonly cpsReference: string;
  readonly submittedAt: string;
  readonly status: 'awaiting-decision' | 'awaiting-police';
}

export interface CpsState {
  readonly adviceRequests: readonly { readonly adviceRequestId?: string; readonly advised: boolean }[];
  readonly actions: readonly CpsActionState[];
  /** Open files by suspect id. */
  readonly files: Readonly<Record<string, CpsSuspectFile>>;
  /** The latest CPS decision on each suspect. */
  readonly decisions: Readonly<Record<string, ChargingDecision>>;
}

export const initialCpsState: CpsState = { adviceRequests: [], actions: [], files: {}, decisions: {} };

/** What the CPS part of the case folds in, and the two case-level facts it keeps up (for the view and the reviews). */
interface WithCps {
  readonly suspectIds: readonly string[];
  readonly cps: CpsState;
  readonly pendingChargingFile?: string;
  readonly chargingDecision?: ChargingDecision;
}

const withActions = (cps: CpsState, plan: readonly Omit<CpsActionState, 'status'>[] | undefined): CpsState =>
  plan === undefined ? cps : { ...cps, actions: [...cps.actions, ...plan.map((a) => ({ ...a, status: 'open' as const }))] };

const withActionStatus = (cps: CpsState, actionId: string, status: CpsActionStatus): CpsState => ({
  ...cps,
  actions: cps.actions.map((a) => (a.actionId === actionId ? { ...a, status } : a)),
});

/** A decision ends a suspect's file, except further investigation requested: the file then awaits the police. */
function decided(cps: CpsState, suspectIds: readonly string[], decision: ChargingDecision): CpsState {
  const files = { ...cps.files };
  for (const id of suspectIds) {
    const file = files[id];
    if (file === undefined) continue;
    if (decision === 'further-investigation-requested') files[id] = { ...file, status: 'awaiting-police' };
    else delete files[id];
  }
  return { ...cps, files, decisions: { ...cps.decisions, ...Object.fromEntries(suspectIds.map((id) => [id, decision])) } };
}

/** The CPS reference of a file awaiting a decision, if any (the case view's `pendingChargingFile`). */
function pending(cps: CpsState): string | undefined {
  return Object.values(cps.files).find((f) => f.status === 'awaiting-decision')?.cpsReference;
}

/** The CPS part's events (cases.cps-events.ts). */
export type CpsEvent = Extract<
  CaseEvent,
  {
    readonly type:
      | typeof T.CpsEarlyAdviceRequested
      | typeof T.CpsEarlyAdviceGiven
      | typeof T.CpsActionCompleted
      | typeof T.CpsActionOverdue
      | typeof T.ChargingFileSubmitted
      | typeof T.ChargingDecisionMade
      | typeof T.SuspectChargingDecisionMade
      | typeof T.ChargingFileAdministrativelyFinalised;
  }
>;

/** Folds a CPS event into the case (case.state.ts hands every CPS event here). */
export function evolveCps<S extends WithCps>(state: S, event: CpsEvent): S {
  const cps = state.cps;
  const next = (changed: CpsState, decision: ChargingDecision | undefined = state.chargingDecision): S => ({
    ...state,
    cps: changed,
    pendingChargingFile: pending(changed),
    chargingDecision: decision,
  });
  switch (event.type) {
    case T.CpsEarlyAdviceRequested:
      return next({ ...cps, adviceRequests: [...cps.adviceRequests, { adviceRequestId: event.data.adviceRequestId, advised: false }] });
    case T.CpsEarlyAdviceGiven: {
      const adviceRequests = cps.adviceRequests.map((r) =>
        r.adviceRequestId === event.data.adviceRequestId ? { ...r, advised: true } : r,
      );
      return next(withActions({ ...cps, adviceRequests }, event.data.actionPlan));
    }
    case T.CpsActionCompleted:
      return next(withActionStatus(cps, event.data.actionId, 'completed'));
    case T.CpsActionOverdue:
      return next(withActionStatus(cps, event.data.actionId, 'overdue'));
    case T.ChargingFileSubmitted: {
      // A file from before files named suspects was for every suspect linked to the case then.
      const { cpsReference, submittedAt, suspectIds = state.suspectIds } = event.data;
      const file: CpsSuspectFile = { cpsReference, submittedAt, status: 'awaiting-decision' };
      return next({ ...cps, files: { ...cps.files, ...Object.fromEntries(suspectIds.map((id) => [id, file])) } });
    }
    case T.ChargingDecisionMade: {
      const { cpsReference, decision } = event.data;
      const suspects = Object.keys(cps.files).filter(
        (id) => cps.files[id]!.cpsReference === cpsReference && cps.files[id]!.status === 'awaiting-decision',
      );
      return next(decided(cps, suspects, decision), decision);
    }
    case T.SuspectChargingDecisionMade:
      return next(withActions(decided(cps, [event.data.suspectId], event.data.decision), event.data.actionPlan), event.data.decision);
    case T.ChargingFileAdministrativelyFinalised: {
      const files = Object.fromEntries(Object.entries(cps.files).filter(([id]) => !event.data.suspectIds.includes(id)));
      return next({ ...cps, files });
    }
    default:
      return assertNever(event);
  }
}
