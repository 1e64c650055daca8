import { endOfLondonDay, isInstant, isIsoDate, ukDate } from '#calendar';
import { CaseEventTypes as T, CPS_REFERENCE_PATTERN, MAX_CPS_ACTIONS, type CaseEvent } from '#contracts';
import type { CommandOf } from './case.commands.js';
import { refuse } from './case.errors.js';
import { requireInvestigation, requirePattern } from './case.guards.js';
import type { CaseState } from './case.state.js';
import type { CpsActionInput } from './cps.commands.js';

/**
 * An action plan the CPS sets (early advice, or a decision asking for further investigation; docs/cps-rules.md): at
 * most MAX_CPS_ACTIONS actions, each id new to the case, each due on a day after the day the plan is set.
 */
export function requireActionPlan(plan: readonly CpsActionInput[], state: CaseState, at: string): CpsActionInput[] {
  if (plan.length > MAX_CPS_ACTIONS) refuse('invalid-action-plan', `an action plan holds at most ${MAX_CPS_ACTIONS} actions`, 'actionPlan');
  const ids = new Set(state.cps.actions.map((a) => a.actionId));
  const today = ukDate(at);
  for (const action of plan) {
    if (ids.has(action.actionId)) refuse('invalid-action-plan', `action ${action.actionId} is already on the case`, 'actionPlan');
    ids.add(action.actionId);
    if (!isIsoDate(action.dueBy) || action.dueBy <= today) {
      refuse('invalid-action-plan', `an action is due on a day after the plan is set (${today}): ${action.dueBy}`, 'actionPlan');
    }
  }
  return plan.map(({ actionId, category, dueBy }) => ({ actionId, category, dueBy }));
}

/** Early investigative advice asked of the CPS (DG6): advice, not a referral for a charging decision. */
export function requestEarlyAdvice(command: CommandOf<'request-early-advice'>, state: CaseState): CaseEvent[] {
  const { caseId, adviceRequestId, at } = command;
  requireInvestigation(state);
  if (adviceRequestId !== undefined && state.cps.adviceRequests.some((r) => r.adviceRequestId === adviceRequestId)) return [];
  return [{ type: T.CpsEarlyAdviceRequested, data: { caseId, requestedAt: at, ...(adviceRequestId ? { adviceRequestId } : {}) } }];
}

/** The CPS's early advice on a request of the case, once, with its action plan. */
export function giveEarlyAdvice(command: CommandOf<'give-early-advice'>, state: CaseState): CaseEvent[] {
  const { caseId, adviceRequestId, cpsReference, at } = command;
  requireInvestigation(state);
  const request = state.cps.adviceRequests.find((r) => r.adviceRequestId === adviceRequestId);
  if (request === undefined)
    refuse('unknown-advice-request', `no request for early advice ${adviceRequestId} on this case`, 'adviceRequestId');
  if (request.advised) refuse('advice-already-given', `the CPS already gave its advice on request ${adviceRequestId}`);
  if (cpsReference !== undefined) requirePattern(cpsReference, CPS_REFERENCE_PATTERN, 'cpsReference', 'a CPS reference');
  const actionPlan = requireActionPlan(command.actionPlan, state, at);
  return [
    {
      type: T.CpsEarlyAdviceGiven,
      data: { caseId, adviceRequestId, ...(cpsReference ? { cpsReference } : {}), actionPlan, advisedAt: at },
    },
  ];
}

/** The police complete an action of a plan (an overdue one too: late, but done). */
export function completeCpsAction(command: CommandOf<'complete-cps-action'>, state: CaseState): CaseEvent[] {
  const { caseId, actionId, at } = command;
  requireInvestigation(state);
  const action = state.cps.actions.find((a) => a.actionId === actionId);
  if (action === undefined) refuse('unknown-cps-action', `no CPS action ${actionId} on this case`, 'actionId');
  if (action.status === 'completed') refuse('cps-action-already-completed', `CPS action ${actionId} is already completed`);
  return [{ type: T.CpsActionCompleted, data: { caseId, actionId, completedAt: at } }];
}

/**
 * The action timer's check at `now` (UK dates): every action still open after its due day is recorded overdue, once,
 * timed at the end of that day. A case no longer under investigation records nothing (the timer may fire late or
 * twice, and after a case closed).
 */
export function checkCpsActions(command: CommandOf<'check-cps-actions'>, state: CaseState): CaseEvent[] {
  const { caseId, now } = command;
  if (!isInstant(now)) refuse('invalid-time', `now is not an instant: ${now}`, 'now');
  if (state.status !== 'under-investigation') return [];
  const today = ukDate(now);
  return state.cps.actions
    .filter((a) => a.status === 'open' && a.dueBy < today)
    .map((a) => ({
      type: T.CpsActionOverdue,
      data: { caseId, actionId: a.actionId, dueBy: a.dueBy, overdueAt: endOfLondonDay(a.dueBy), detectedAt: now },
    }));
}

/** When an action due on `dueBy` is overdue: the first instant after its last day, UK time (the timer's due time). */
export function overdueFrom(dueBy: string): string {
  return new Date(Date.parse(endOfLondonDay(dueBy)) + 1).toISOString();
}
