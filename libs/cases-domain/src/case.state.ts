import {
  assertNever,
  type CaseEvent,
  CaseEventTypes as T,
  type ChargingDecision,
  type LineOfEnquiry,
  type NotInvestigatedReason,
  type OffenceGroup,
  type RightToReviewResult,
  type RightToReviewScheme,
} from '#contracts';
import { evolveCps, initialCpsState, type CpsState } from './cps.state.js';
import { evolveDigital, type ExtractionState, type ThirdPartyOutcome } from './digital.state.js';

/** Where the case stands; `reported` is an N100 incident, `cancelled` a report or crime cancelled under the rules. */
export type CaseStatus = 'none' | 'reported' | 'recorded' | 'under-investigation' | 'closed' | 'cancelled';

export type { ExtractionState, ExtractionStatus } from './digital.state.js';

export interface CaseState {
  readonly status: CaseStatus;
  readonly caseId?: string;
  readonly n100Reference?: string;
  readonly reportedAt?: string;
  readonly crimeReference?: string;
  /** The offence group the crime was recorded under: some outcomes are not open to every offence. */
  readonly offence?: OffenceGroup;
  /** The Home Office offence code it was recorded under, when the record carries one (a charging file names it). */
  readonly offenceCode?: string;
  readonly investigatorId?: string;
  readonly supervisorId?: string;
  /** The investigation plan; undefined until one is set. */
  readonly linesOfEnquiry?: readonly LineOfEnquiry[];
  readonly suspectIds: readonly string[];
  readonly extractions: Readonly<Record<string, ExtractionState>>;
  readonly thirdPartyRequestIds: readonly string[];
  /** The holder's answer to each third-party request answered so far, by request id. */
  readonly thirdPartyOutcomes: Readonly<Record<string, ThirdPartyOutcome>>;
  /** CPS reference of a charging file awaiting a decision (kept by cps.state.ts). */
  readonly pendingChargingFile?: string;
  /** The latest CPS decision, on a file or a suspect. */
  readonly chargingDecision?: ChargingDecision;
  /** Early advice, action plans, charging files and decisions per suspect (cps.state.ts). */
  readonly cps: CpsState;
  readonly outcomeCode?: number;
  /** A decision not to investigate the recorded crime, standing until an investigation is opened after all. */
  readonly notInvestigated?: NotInvestigatedReason;
  /** Victims' Right to Review requests of the current closure (cleared when the case is reopened). */
  readonly reviews: readonly ReviewState[];
}

export interface ReviewState {
  readonly reviewId: string;
  readonly scheme: RightToReviewScheme;
  readonly result?: RightToReviewResult;
}

export const initialCaseState: CaseState = {
  status: 'none',
  suspectIds: [],
  extractions: {},
  thirdPartyRequestIds: [],
  thirdPartyOutcomes: {},
  reviews: [],
  cps: initialCpsState,
};

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
        ...(event.data.offenceCode ? { offenceCode: event.data.offenceCode } : {}),
        reportedAt: event.data.reportedAt,
      };
    case T.RecordingCancelled:
      return { ...state, status: 'cancelled' };
    case T.InvestigationOpened:
      return { ...state, status: 'under-investigation', notInvestigated: undefined };
    case T.DecidedNotToInvestigate:
      return { ...state, notInvestigated: event.data.reason };
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
    case T.DeviceExtractionAgreed:
    case T.DeviceExtractionRefused:
    case T.DeviceExtractionAgreementWithdrawn:
    case T.DeviceExtractionCompleted:
    case T.DeviceReturned:
    case T.ThirdPartyMaterialRequested:
    case T.ThirdPartyMaterialOutcomeRecorded:
    case T.ProblemProfileRecorded:
      return evolveDigital(state, event);
    case T.CpsEarlyAdviceRequested:
    case T.CpsEarlyAdviceGiven:
    case T.CpsActionCompleted:
    case T.CpsActionOverdue:
    case T.ChargingFileSubmitted:
    case T.ChargingDecisionMade:
    case T.SuspectChargingDecisionMade:
    case T.ChargingFileAdministrativelyFinalised:
      return evolveCps(state, event);
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
