import { assertNever, type CivilOrder, type SuspectEvent, SuspectEventTypes as T, victimUpdateTriggeredAt } from '#contracts';
import { ruiFirstReviewBy } from './bail.rules.js';
import { evolveCourt, type CourtState } from './court.state.js';

/** Where the suspect stands. Voluntary interviews do not change it: the suspect stays at liberty. */
export type SuspectStatus =
  'none' | 'identified' | 'in-custody' | 'on-bail' | 'released-under-investigation' | 'no-further-action' | 'charged';

/** A running pre-charge bail period; it survives a re-arrest while on bail (PACE s46A). */
export interface BailPeriod {
  readonly startDate: string;
  readonly endsOn: string;
  readonly conditions: readonly string[];
  /** The end date the expiry reminder was recorded for (once per end date: an extension earns a new one). */
  readonly remindedFor?: string;
}

export interface CivilOrderState {
  readonly order: CivilOrder;
  readonly decision: 'pending' | 'granted' | 'refused';
  /** Once granted: when, and its last day (absent: until further order). */
  readonly grantedAt?: string;
  readonly expiresOn?: string;
}

/** The latest review of the current repeat-suspect flag, and whether a disruption decision has ended it. */
export interface FlagReviewState {
  readonly reviewId: string;
  readonly decided: boolean;
}

export interface SuspectState {
  readonly status: SuspectStatus;
  readonly caseId?: string;
  readonly suspectId?: string;
  readonly lastArrestedAt?: string;
  readonly bail?: BailPeriod;
  /** When an arranged voluntary interview is due; cleared once held, or on arrest or disposal. */
  readonly voluntaryInterviewFor?: string;
  readonly repeatSuspect: boolean;
  readonly civilOrders: Readonly<Record<string, CivilOrderState>>;
  /**
   * While released under investigation: the date its next review is due by (RUI_REVIEW.maxDaysAhead after the release,
   * then the date each review sets), and the due date already recorded as overdue (the timer records each once).
   */
  readonly ruiNextReviewBy?: string;
  readonly ruiOverdueFor?: string;
  /** After the charge: the case at court, from the first hearing (court.state.ts). */
  readonly court?: CourtState;
  /** The current flag's latest review (none while unflagged, or flagged and not yet reviewed). */
  readonly flagReview?: FlagReviewState;
  /** Breaches recorded (ids), so that a retried record is refused. */
  readonly breachIds?: readonly string[];
}

export const initialSuspectState: SuspectState = { status: 'none', repeatSuspect: false, civilOrders: {} };

function withOrder(state: SuspectState, orderId: string, order: CivilOrderState): SuspectState {
  return { ...state, civilOrders: { ...state.civilOrders, [orderId]: order } };
}

/** The suspect leaves the pre-charge process: any bail period and arranged interview end. */
function disposed(state: SuspectState, status: SuspectStatus): SuspectState {
  return { ...state, status, bail: undefined, voluntaryInterviewFor: undefined };
}

export function evolve(state: SuspectState, event: SuspectEvent): SuspectState {
  switch (event.type) {
    case T.SuspectIdentified:
      return { ...state, status: 'identified', caseId: event.data.caseId, suspectId: event.data.suspectId };
    case T.SuspectArrested:
      return { ...state, status: 'in-custody', lastArrestedAt: event.data.arrestedAt, voluntaryInterviewFor: undefined };
    case T.VoluntaryInterviewArranged:
      return { ...state, voluntaryInterviewFor: event.data.scheduledFor };
    case T.SuspectInterviewed:
      return event.data.setting === 'voluntary' ? { ...state, voluntaryInterviewFor: undefined } : state;
    case T.PreChargeBailGranted: {
      const { bailStartDate: startDate, bailEndsOn: endsOn, conditions } = event.data;
      return { ...state, status: 'on-bail', bail: { startDate, endsOn, conditions } };
    }
    case T.BailExtended:
    case T.BailExtendedByCourt:
      return state.bail ? { ...state, bail: { ...state.bail, endsOn: event.data.bailEndsOn } } : state;
    case T.BailConditionsChanged:
      return state.bail ? { ...state, bail: { ...state.bail, conditions: event.data.conditions } } : state;
    case T.ReleasedUnderInvestigation:
    case T.BailCancelled:
    case T.BailLapsed:
      return {
        ...state,
        status: 'released-under-investigation',
        bail: undefined,
        // When the release began (released, or bail cancelled or lapsed), as the victim's update duty counts it.
        ruiNextReviewBy: ruiFirstReviewBy(victimUpdateTriggeredAt(event)!),
        ruiOverdueFor: undefined,
      };
    case T.ReleaseUnderInvestigationReviewOverdue:
      return { ...state, ruiOverdueFor: event.data.reviewDueBy };
    case T.BailExpiryApproaching:
      return state.bail ? { ...state, bail: { ...state.bail, remindedFor: event.data.bailEndsOn } } : state;
    case T.ReleaseUnderInvestigationReviewed:
      return { ...state, ruiNextReviewBy: event.data.nextReviewBy };
    case T.ReleasedNoFurtherAction:
      return disposed(state, 'no-further-action');
    case T.SuspectCharged:
      return disposed(state, 'charged');
    case T.RepeatSuspectFlagRaised:
      return { ...state, repeatSuspect: true, flagReview: undefined };
    case T.RepeatSuspectFlagCleared:
      return { ...state, repeatSuspect: false, flagReview: undefined };
    case T.RepeatSuspectFlagReviewed:
      return { ...state, flagReview: { reviewId: event.data.reviewId, decided: false } };
    case T.DisruptionDecisionRecorded:
      return state.flagReview ? { ...state, flagReview: { ...state.flagReview, decided: true } } : state;
    case T.CivilOrderBreached:
      return { ...state, breachIds: [...(state.breachIds ?? []), event.data.breachId] };
    case T.FirstHearingHeld:
    case T.TrialListed:
    case T.TrialStarted:
    case T.VerdictRecorded:
    case T.ProsecutionDiscontinued: {
      const court = evolveCourt(state.court, event);
      return court ? { ...state, court } : state;
    }
    case T.CivilOrderAppliedFor:
      return withOrder(state, event.data.orderId, { order: event.data.order, decision: 'pending' });
    case T.CivilOrderGranted: {
      const { orderId, order, grantedAt, expiresOn } = event.data;
      return withOrder(state, orderId, { order, decision: 'granted', grantedAt, ...(expiresOn === undefined ? {} : { expiresOn }) });
    }
    case T.CivilOrderRefused:
      return withOrder(state, event.data.orderId, { order: event.data.order, decision: 'refused' });
    case T.HistoryChecksCompleted:
    case T.DisruptionTacticRecorded:
    case T.RepeatSuspectCheckReviewed:
      return state;
    default:
      return assertNever(event);
  }
}
