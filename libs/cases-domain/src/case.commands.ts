import type {
  CancellationReason,
  LineOfEnquiryCategory,
  NotInvestigatedReason,
  OffenceGroup,
  ReopeningReason,
  RightToReviewResult,
  RightToReviewScheme,
} from '#contracts';
import type { CpsCommand } from './cps.commands.js';
import type { DigitalCommand } from './digital.commands.js';

/**
 * Commands carry time (`at`), ids and references: the decider has no clock and no random source (STYLE.md
 * habit 1). The acting officer and force travel with the command context, not here.
 */
interface OnCase {
  readonly caseId: string;
  /** When it happened (ISO 8601 with an offset). */
  readonly at: string;
}

export type CaseCommand =
  | (OnCase & { readonly kind: 'receive-report'; readonly n100Reference: string; readonly reportedAt: string })
  | (OnCase & {
      readonly kind: 'record-crime';
      readonly crimeReference: string;
      readonly offence: OffenceGroup;
      /** Home Office classification code; may be left out when the group determines it (the rape groups). */
      readonly offenceCode?: string;
      /** Required when recording directly; taken from the report when recording an N100 incident. */
      readonly reportedAt?: string;
    })
  | (OnCase & { readonly kind: 'cancel-recording'; readonly reason: CancellationReason })
  | (OnCase & { readonly kind: 'open-investigation' })
  | (OnCase & {
      readonly kind: 'decide-not-to-investigate';
      readonly reason: NotInvestigatedReason;
      readonly decidedBy: string;
      readonly explanation: string;
    })
  | (OnCase & { readonly kind: 'assign-investigator'; readonly officerId: string })
  | (OnCase & { readonly kind: 'assign-supervisor'; readonly officerId: string })
  | (OnCase & {
      readonly kind: 'set-investigation-plan';
      readonly linesOfEnquiry: readonly { readonly lineId: string; readonly category: LineOfEnquiryCategory }[];
    })
  | (OnCase & { readonly kind: 'complete-line-of-enquiry'; readonly lineId: string })
  /**
   * Sent by an officer, and later by a process manager reacting to the suspects context's identification
   * (suspect-identified -> link-suspect), so that outcomes naming a suspect can be given.
   */
  | (OnCase & { readonly kind: 'link-suspect'; readonly suspectId: string })
  /** Device extractions, third-party material and the problem profile (digital.commands.ts). */
  | DigitalCommand
  /** Early advice, action plans, charging files and decisions per suspect (cps.commands.ts). */
  | CpsCommand
  | (OnCase & {
      readonly kind: 'record-outcome';
      readonly outcomeCode: number;
      /** The CPS's agreement to a caution for an indictable-only offence (outcomes 2 and 3), by CPS reference. */
      readonly cpsAgreementReference?: string;
      /**
       * The case's suspects with a charge recorded in the suspects context (gathered by the command's handler from
       * their streams, not given by the caller): outcome 1 needs one.
       */
      readonly chargedSuspectIds?: readonly string[];
    })
  | (OnCase & { readonly kind: 'reopen-case'; readonly reason: ReopeningReason })
  | (OnCase & {
      readonly kind: 'request-right-to-review';
      readonly reviewId: string;
      readonly victimId: string;
      readonly scheme: RightToReviewScheme;
      /** The case the victim's stream belongs to (read by the command's handler from it): must be this case. */
      readonly victimCaseId?: string;
    })
  | (OnCase & { readonly kind: 'decide-right-to-review'; readonly reviewId: string; readonly result: RightToReviewResult });

export type CaseCommandKind = CaseCommand['kind'];
/** The command of one kind, for the use-case deciders. */
export type CommandOf<K extends CaseCommandKind> = Extract<CaseCommand, { readonly kind: K }>;
