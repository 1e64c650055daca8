import { assertNever } from './assert-never.js';
import { SuspectEventTypes, type SuspectEvent, type SuspectEventType } from './suspects.events.js';

// What a suspect event means for the victims context's update duties. In the contracts so that the victims context
// (which imports nothing but the contracts) can react to suspect events.

/** What a suspect event obliges the force to tell the victim (Victims' Code right 6), if anything. */
export type VictimUpdateTrigger =
  | 'arrested'
  | 'interviewed'
  | 'charged'
  | 'released'
  | 'bailed'
  | 'released-under-investigation'
  | 'bail-conditions-changed'
  | 'bail-cancelled'
  | 'bail-lapsed'
  | 'verdict'
  | 'discontinued';

/**
 * Whether a suspect event starts a Victims' Code update deadline, and which. Lives in the contracts so that
 * the victims context (which imports nothing but the contracts) can react to suspect events.
 */
export function victimUpdateTrigger(event: { readonly type: SuspectEventType }): VictimUpdateTrigger | undefined {
  switch (event.type) {
    case SuspectEventTypes.SuspectArrested:
      return 'arrested';
    case SuspectEventTypes.SuspectInterviewed:
      return 'interviewed';
    case SuspectEventTypes.ReleasedNoFurtherAction:
      return 'released';
    // An extension re-bails the suspect to a new date the victim needs for their safety planning.
    case SuspectEventTypes.PreChargeBailGranted:
    case SuspectEventTypes.BailExtended:
    case SuspectEventTypes.BailExtendedByCourt:
      return 'bailed';
    case SuspectEventTypes.ReleasedUnderInvestigation:
      return 'released-under-investigation';
    case SuspectEventTypes.BailConditionsChanged:
      return 'bail-conditions-changed';
    // Victims' Code right 6.1: the victim is told of a charge within the deadline too (the charge letter may meet it).
    case SuspectEventTypes.SuspectCharged:
      return 'charged';
    case SuspectEventTypes.BailCancelled:
      return 'bail-cancelled';
    case SuspectEventTypes.BailLapsed:
      return 'bail-lapsed';
    // Victims' Code right 6: told of the trial's outcome, and of a decision to stop the case (docs/evidence-and-court.md).
    case SuspectEventTypes.VerdictRecorded:
      return 'verdict';
    case SuspectEventTypes.ProsecutionDiscontinued:
      return 'discontinued';
    // Reminders and reviews are for the police, not news for the victim; hearings and listings reach the victim through
    // the Witness Care Unit, not as a police update duty.
    case SuspectEventTypes.FirstHearingHeld:
    case SuspectEventTypes.TrialListed:
    case SuspectEventTypes.TrialStarted:
    case SuspectEventTypes.BailExpiryApproaching:
    case SuspectEventTypes.ReleaseUnderInvestigationReviewed:
    case SuspectEventTypes.ReleaseUnderInvestigationReviewOverdue:
    case SuspectEventTypes.SuspectIdentified:
    case SuspectEventTypes.HistoryChecksCompleted:
    case SuspectEventTypes.VoluntaryInterviewArranged:
    case SuspectEventTypes.RepeatSuspectFlagRaised:
    case SuspectEventTypes.RepeatSuspectFlagCleared:
    case SuspectEventTypes.RepeatSuspectCheckReviewed:
    case SuspectEventTypes.DisruptionTacticRecorded:
    case SuspectEventTypes.CivilOrderAppliedFor:
    case SuspectEventTypes.CivilOrderGranted:
    case SuspectEventTypes.CivilOrderRefused:
    case SuspectEventTypes.RepeatSuspectFlagReviewed:
    case SuspectEventTypes.DisruptionDecisionRecorded:
    case SuspectEventTypes.CivilOrderBreached:
      return undefined;
    default:
      return assertNever(event.type);
  }
}

/**
 * When the trigger of a Victims' Code update deadline happened, as its event states it (the arrest's `arrestedAt`,
 * the release's `releasedAt`...): the deadline runs from it, however late the event was recorded or processed.
 * Undefined for a suspect event that starts no deadline (see victimUpdateTrigger).
 */
export function victimUpdateTriggeredAt(event: SuspectEvent): string | undefined {
  switch (event.type) {
    case SuspectEventTypes.SuspectArrested:
      return event.data.arrestedAt;
    case SuspectEventTypes.SuspectInterviewed:
      return event.data.interviewedAt;
    case SuspectEventTypes.ReleasedNoFurtherAction:
    case SuspectEventTypes.ReleasedUnderInvestigation:
      return event.data.releasedAt;
    case SuspectEventTypes.PreChargeBailGranted:
      return event.data.bailedAt;
    case SuspectEventTypes.BailExtended:
    case SuspectEventTypes.BailExtendedByCourt:
      return event.data.extendedAt;
    case SuspectEventTypes.BailConditionsChanged:
      return event.data.changedAt;
    case SuspectEventTypes.SuspectCharged:
      return event.data.chargedAt;
    case SuspectEventTypes.BailCancelled:
      return event.data.cancelledAt;
    case SuspectEventTypes.BailLapsed:
      return event.data.lapsedAt;
    case SuspectEventTypes.VerdictRecorded:
      return event.data.recordedAt;
    case SuspectEventTypes.ProsecutionDiscontinued:
      return event.data.discontinuedAt;
    case SuspectEventTypes.FirstHearingHeld:
    case SuspectEventTypes.TrialListed:
    case SuspectEventTypes.TrialStarted:
    case SuspectEventTypes.BailExpiryApproaching:
    case SuspectEventTypes.ReleaseUnderInvestigationReviewed:
    case SuspectEventTypes.ReleaseUnderInvestigationReviewOverdue:
    case SuspectEventTypes.SuspectIdentified:
    case SuspectEventTypes.HistoryChecksCompleted:
    case SuspectEventTypes.VoluntaryInterviewArranged:
    case SuspectEventTypes.RepeatSuspectFlagRaised:
    case SuspectEventTypes.RepeatSuspectFlagCleared:
    case SuspectEventTypes.RepeatSuspectCheckReviewed:
    case SuspectEventTypes.DisruptionTacticRecorded:
    case SuspectEventTypes.CivilOrderAppliedFor:
    case SuspectEventTypes.CivilOrderGranted:
    case SuspectEventTypes.CivilOrderRefused:
    case SuspectEventTypes.RepeatSuspectFlagReviewed:
    case SuspectEventTypes.DisruptionDecisionRecorded:
    case SuspectEventTypes.CivilOrderBreached:
      return undefined;
    default:
      return assertNever(event);
  }
}
