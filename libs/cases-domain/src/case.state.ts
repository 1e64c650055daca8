import {
  assertNever,
  type CaseEvent,
  CaseEventTypes as T,
  type ChargingDecision,
  type DeviceOwnerRole,
  type LineOfEnquiry,
  type OffenceGroup,
  type RightToReviewResult,
  type RightToReviewScheme,
} from '#contracts';

/** Where the case stands; `reported` is an N100 incident, `cancelled` a report or crime cancelled under the rules. */
export type CaseStatus = 'none' | 'reported' | 'recorded' | 'under-investigation' | 'closed' | 'cancelled';

export type ExtractionStatus = 'requested' | 'agreed' | 'refused' | 'completed' | 'returned';
export interface ExtractionState {
  readonly deviceOwner: DeviceOwnerRole;
  readonly status: ExtractionStatus;
}

export interface CaseState {
  readonly status: CaseStatus;
  readonly caseId?: string;
  readonly n100Reference?: string;
  readonly reportedAt?: string;
  readonly crimeReference?: string;
  /** The offence group the crime was recorded under: some outcomes are not open to every offence. */
  readonly offence?: OffenceGroup;
  readonly investigatorId?: string;
  readonly supervisorId?: string;
  /** The investigation plan; undefined until one is set. */
  readonly linesOfEnquiry?: readonly LineOfEnquiry[];
  readonly suspectIds: readonly string[];
  readonly extractions: Readonly<Record<string, ExtractionState>>;
  readonly thirdPartyRequestIds: readonly string[];
  /** CPS reference of the charging file awaiting a decision. */
  readonly pendingChargingFile?: string;
  readonly chargingDecision?: ChargingDecision;
  readonly outcomeCode?: number;
  /** Victims' Right to Review requests of the current closure (cleared when the case is reopened). */
  readonly reviews: readonly ReviewState[];
}

export interface ReviewState {
  readonly reviewId: string;
  readonly scheme: RightToReviewScheme;
  readonly result?: RightToReviewResult;
}

export const initialCaseState: CaseState = { status: 'none', suspectIds: [], extractions: {}, thirdPartyRequestIds: [], reviews: [] };

function withExtraction(state: CaseState, extractionId: string, status: ExtractionStatus): CaseState {
  const current = state.extractions[extractionId];
  if (!current) return state;
  return { ...state, extractions: { ...state.extractions, [extractionId]: { ...current, status } } };
}

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case T.ReportReceived:
      return {
        ...state,
        status: 'reported',
        caseId: event.data.caseId,
        n100Reference: event.data.n100Reference,
        reportedAt: event.data.reportedAt,
      };
    case T.CrimeRecorded:
      return {
        ...state,
        status: 'recorded',
        caseId: event.data.caseId,
        crimeReference: event.data.crimeReference,
        offence: event.data.offence,
        reportedAt: event.data.reportedAt,
      };
    case T.RecordingCancelled:
      return { ...state, status: 'cancelled' };
    case T.InvestigationOpened:
      return { ...state, status: 'under-investigation' };
    case T.InvestigatorAssigned:
      return { ...state, investigatorId: event.data.officerId };
    case T.SupervisorAssigned:
      return { ...state, supervisorId: event.data.officerId };
    case T.InvestigationPlanSet:
      return { ...state, linesOfEnquiry: event.data.linesOfEnquiry };
    case T.LineOfEnquiryCompleted:
      return {
        ...state,
        linesOfEnquiry: state.linesOfEnquiry?.map((line) => (line.lineId === event.data.lineId ? { ...line, status: 'completed' } : line)),
      };
    case T.SuspectLinked:
      return { ...state, suspectIds: [...state.suspectIds, event.data.suspectId] };
    case T.DeviceExtractionRequested:
      return {
        ...state,
        extractions: { ...state.extractions, [event.data.extractionId]: { deviceOwner: event.data.deviceOwner, status: 'requested' } },
      };
    case T.DeviceExtractionAgreed:
      return withExtraction(state, event.data.extractionId, 'agreed');
    case T.DeviceExtractionRefused:
      return withExtraction(state, event.data.extractionId, 'refused');
    case T.DeviceExtractionCompleted:
      return withExtraction(state, event.data.extractionId, 'completed');
    case T.DeviceReturned:
      return withExtraction(state, event.data.extractionId, 'returned');
    case T.ThirdPartyMaterialRequested:
      return { ...state, thirdPartyRequestIds: [...state.thirdPartyRequestIds, event.data.requestId] };
    case T.CpsEarlyAdviceRequested:
      return state;
    case T.ChargingFileSubmitted:
      return { ...state, pendingChargingFile: event.data.cpsReference };
    case T.ChargingDecisionMade:
      return { ...state, pendingChargingFile: undefined, chargingDecision: event.data.decision };
    case T.OutcomeRecorded:
      return { ...state, status: 'closed', outcomeCode: event.data.outcomeCode };
    case T.CaseReopened:
      return { ...state, status: 'under-investigation', outcomeCode: undefined, reviews: [] };
    case T.RightToReviewRequested:
      return { ...state, reviews: [...state.reviews, { reviewId: event.data.reviewId, scheme: event.data.scheme }] };
    case T.RightToReviewDecided:
      return {
        ...state,
        reviews: state.reviews.map((r) => (r.reviewId === event.data.reviewId ? { ...r, result: event.data.result } : r)),
      };
    default:
      return assertNever(event);
  }
}
