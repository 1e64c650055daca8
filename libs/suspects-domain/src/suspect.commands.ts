import type {
  Authoriser,
  BailCancellationReason,
  BreachResponse,
  CivilOrder,
  DisruptionOption,
  DisruptionTactic,
  HistoryCheckSystem,
  InterviewResponse,
  InterviewSetting,
} from '#contracts';
import type { CourtCommand } from './court.commands.js';

/**
 * Commands carry time (`at`), ids and, where the law reserves a step to a rank, the authorising officer and
 * rank: the decider has no clock and no random source (STYLE.md habit 1). The stream is one suspect in one
 * case, so every command names both.
 */
interface OnSuspect {
  readonly caseId: string;
  readonly suspectId: string;
  /** When it happened (ISO 8601 with an offset). */
  readonly at: string;
}

export type SuspectCommand =
  | CourtCommand
  | (OnSuspect & {
      readonly kind: 'identify-suspect';
      readonly name: string;
      readonly dateOfBirth?: string;
      readonly pncId?: string;
      readonly croNumber?: string;
    })
  | (OnSuspect & {
      readonly kind: 'record-history-checks';
      readonly systems: readonly HistoryCheckSystem[];
      readonly resultSummary: string;
    })
  | (OnSuspect & { readonly kind: 'arrest-suspect'; readonly custodyClockStartedAt: string })
  | (OnSuspect & { readonly kind: 'arrange-voluntary-interview'; readonly scheduledFor: string })
  | (OnSuspect & {
      readonly kind: 'record-interview';
      readonly setting: InterviewSetting;
      readonly response: InterviewResponse;
    })
  | (OnSuspect & {
      readonly kind: 'grant-pre-charge-bail';
      readonly authorisedBy: Authoriser;
      /** Last day of bail; defaults to the longest period the law allows at this step. */
      readonly endsOn?: string;
      readonly conditions: readonly string[];
      /** When the victim's views on the conditions were sought; absent when they were not. */
      readonly victimViewsSoughtAt?: string;
    })
  | (OnSuspect & { readonly kind: 'extend-bail'; readonly authorisedBy: Authoriser; readonly endsOn: string })
  | (OnSuspect & { readonly kind: 'record-court-bail-extension'; readonly court: string; readonly endsOn: string })
  | (OnSuspect & {
      readonly kind: 'change-bail-conditions';
      readonly conditions: readonly string[];
      readonly victimViewsSoughtAt?: string;
    })
  | (OnSuspect & { readonly kind: 'release-under-investigation' })
  | (OnSuspect & { readonly kind: 'cancel-bail'; readonly authorisedBy: Authoriser; readonly grounds: BailCancellationReason })
  /** Sent by the bail timer (process manager): records the expiry reminder or the lapse that `now` has reached. */
  | (OnSuspect & { readonly kind: 'check-bail'; readonly now: string })
  | (OnSuspect & { readonly kind: 'review-release-under-investigation'; readonly reviewedBy: Authoriser; readonly nextReviewBy: string })
  | (OnSuspect & { readonly kind: 'release-no-further-action'; readonly decidedBy: 'police' | 'cps' })
  | (OnSuspect & { readonly kind: 'charge-suspect'; readonly cpsDecisionReference: string })
  | (OnSuspect & {
      readonly kind: 'raise-repeat-suspect-flag';
      readonly reason: string;
      readonly linkedCaseIds: readonly string[];
    })
  | (OnSuspect & { readonly kind: 'clear-repeat-suspect-flag'; readonly reason: string })
  | (OnSuspect & { readonly kind: 'review-repeat-suspect-check'; readonly reason: string })
  | (OnSuspect & {
      readonly kind: 'record-disruption-tactic';
      readonly tactic: DisruptionTactic;
      readonly detail?: string;
      readonly authorisedBy?: Authoriser;
    })
  | (OnSuspect & { readonly kind: 'review-repeat-suspect-flag'; readonly reviewId: string; readonly summary: string })
  | (OnSuspect & {
      readonly kind: 'record-disruption-decision';
      readonly tactics: readonly DisruptionOption[];
      readonly reason?: string;
    })
  | (OnSuspect & {
      readonly kind: 'record-civil-order-breach';
      readonly breachId: string;
      readonly orderId: string;
      readonly breachedAt: string;
      readonly response: BreachResponse;
      readonly detail?: string;
    })
  | (OnSuspect & {
      readonly kind: 'apply-for-civil-order';
      readonly orderId: string;
      readonly order: CivilOrder;
      readonly court: string;
    })
  | (OnSuspect & { readonly kind: 'record-civil-order-granted'; readonly orderId: string; readonly expiresOn?: string })
  | (OnSuspect & { readonly kind: 'record-civil-order-refused'; readonly orderId: string });

export type SuspectCommandKind = SuspectCommand['kind'];
/** The command of one kind, for the use-case deciders. */
export type CommandOf<K extends SuspectCommandKind> = Extract<SuspectCommand, { readonly kind: K }>;
