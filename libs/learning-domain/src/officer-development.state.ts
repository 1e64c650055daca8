import { type AccreditationProgramme, assertNever, LearningEventTypes as T, type OfficerDevelopmentEvent } from '#contracts';

/** Where an officer stands on one programme; a lapsed accreditation can be enrolled on again. */
export type AccreditationStatus = 'enrolled' | 'accredited' | 'lapsed';

export interface OfficerDevelopmentState {
  readonly accreditations: Readonly<Partial<Record<AccreditationProgramme, AccreditationStatus>>>;
  readonly trainingHours: number;
  readonly latestCaseload?: { readonly asOf: string; readonly openCases: number; readonly thresholdExceeded: boolean };
  /** Case ids reviewed at least once: lessons are learned from reviewed cases only. */
  readonly reviewedCases: readonly string[];
  readonly lessons: readonly string[];
  /** Per case, the due date of the last review cycle recorded overdue (once per cycle). */
  readonly overdueReviews?: Readonly<Record<string, string>>;
}

export const initialOfficerDevelopmentState: OfficerDevelopmentState = {
  accreditations: {},
  trainingHours: 0,
  reviewedCases: [],
  lessons: [],
};

function withAccreditation(state: OfficerDevelopmentState, programme: AccreditationProgramme, status: AccreditationStatus) {
  return { ...state, accreditations: { ...state.accreditations, [programme]: status } };
}

export function evolveOfficerDevelopment(state: OfficerDevelopmentState, event: OfficerDevelopmentEvent): OfficerDevelopmentState {
  switch (event.type) {
    case T.AccreditationEnrolled:
      return withAccreditation(state, event.data.programme, 'enrolled');
    case T.AccreditationAchieved:
      return withAccreditation(state, event.data.programme, 'accredited');
    case T.AccreditationLapsed:
      return withAccreditation(state, event.data.programme, 'lapsed');
    case T.TrainingCompleted:
      return { ...state, trainingHours: state.trainingHours + event.data.hours };
    case T.CaseloadRecorded: {
      const { asOf, openCases, thresholdExceeded } = event.data;
      // Counts can arrive late (backfill): the latest is the one with the latest date, not the last recorded.
      if (state.latestCaseload && state.latestCaseload.asOf > asOf) return state;
      return { ...state, latestCaseload: { asOf, openCases, thresholdExceeded } };
    }
    case T.WellbeingCheckInHeld:
      return state;
    case T.CaseReviewHeld:
      return state.reviewedCases.includes(event.data.caseId)
        ? state
        : { ...state, reviewedCases: [...state.reviewedCases, event.data.caseId] };
    case T.CaseReviewOverdue:
      return { ...state, overdueReviews: { ...state.overdueReviews, [event.data.caseId]: event.data.dueBy } };
    case T.LessonLearnedRecorded:
      return { ...state, lessons: [...state.lessons, event.data.lessonId] };
    default:
      return assertNever(event);
  }
}
