import type { AccreditationProgramme, LapseReason, LessonCategory, ReviewFindings, WellbeingOutcome } from '#contracts';

/**
 * Commands on one officer's development stream. Time (`at`), ids and the acting officer arrive in the command:
 * the decider has no clock and no random source (STYLE.md habit 1).
 */
export type OfficerDevelopmentCommand =
  | { readonly kind: 'enrol-on-accreditation'; readonly officerId: string; readonly programme: AccreditationProgramme; readonly at: string }
  | { readonly kind: 'achieve-accreditation'; readonly officerId: string; readonly programme: AccreditationProgramme; readonly at: string }
  | {
      readonly kind: 'lapse-accreditation';
      readonly officerId: string;
      readonly programme: AccreditationProgramme;
      readonly reason: LapseReason;
      readonly at: string;
    }
  | {
      readonly kind: 'record-training';
      readonly officerId: string;
      readonly courseCode: string;
      readonly hours: number;
      readonly at: string;
    }
  | {
      readonly kind: 'record-caseload';
      readonly officerId: string;
      /** Calendar date of the count (YYYY-MM-DD). */
      readonly asOf: string;
      readonly openCases: number;
      /** The force's caseload threshold, from the force's configuration. */
      readonly threshold: number;
    }
  | {
      readonly kind: 'hold-wellbeing-check-in';
      readonly officerId: string;
      /** The acting officer: whoever held the check-in. */
      readonly heldBy: string;
      readonly heldOn: string;
      readonly outcome: WellbeingOutcome;
    }
  | {
      readonly kind: 'hold-case-review';
      /** The officer in the case, whose stream this is. */
      readonly officerId: string;
      readonly caseId: string;
      /** The acting officer. */
      readonly reviewerId: string;
      readonly findings: ReviewFindings;
      readonly actionsRaised: number;
      readonly at: string;
    }
  /** Sent by the supervisory review timer (process manager) when a case's review cycle ran out. */
  | {
      readonly kind: 'record-case-review-overdue';
      readonly officerId: string;
      readonly caseId: string;
      readonly dueBy: string;
      readonly at: string;
    }
  | {
      readonly kind: 'record-lesson-learned';
      readonly officerId: string;
      readonly lessonId: string;
      readonly caseId: string;
      readonly category: LessonCategory;
      readonly shareNationally: boolean;
      readonly at: string;
    };
