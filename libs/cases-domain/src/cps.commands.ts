import type {
  AdministrativeFinalisationReason,
  ChargingDecision,
  ChargingTest,
  CpsActionCategory,
  ThresholdTestCondition,
} from '#contracts';

interface OnCase {
  readonly caseId: string;
  /** When it happened (ISO 8601 with an offset). */
  readonly at: string;
}

/** One action of a CPS action plan, as the command gives it. */
export interface CpsActionInput {
  readonly actionId: string;
  readonly category: CpsActionCategory;
  /** The day (ISO date, UK) by which the police are to complete it. */
  readonly dueBy: string;
}

/** The CPS part of a case (docs/cps-rules.md): advice, action plans, charging files and decisions per suspect. */
export type CpsCommand =
  | (OnCase & {
      readonly kind: 'request-early-advice';
      /** Names the request for its advice; left out only by callers from before requests had ids. */
      readonly adviceRequestId?: string;
    })
  | (OnCase & {
      readonly kind: 'give-early-advice';
      readonly adviceRequestId: string;
      readonly cpsReference?: string;
      readonly actionPlan: readonly CpsActionInput[];
    })
  | (OnCase & { readonly kind: 'complete-cps-action'; readonly actionId: string })
  /** Sent by the process manager's action timer: records each open action past its due day as overdue, once. */
  | (OnCase & { readonly kind: 'check-cps-actions'; readonly now: string })
  | (OnCase & {
      readonly kind: 'submit-charging-file';
      readonly cpsReference: string;
      /** The suspects the file is for; every suspect linked to the case when left out. */
      readonly suspectIds?: readonly string[];
    })
  /** A decision on the whole file, without the test applied (the case-level form kept for existing callers). */
  | (OnCase & { readonly kind: 'record-charging-decision'; readonly cpsReference: string; readonly decision: ChargingDecision })
  | (OnCase & {
      readonly kind: 'record-suspect-charging-decision';
      readonly suspectId: string;
      readonly cpsReference: string;
      readonly test: ChargingTest;
      readonly decision: ChargingDecision;
      readonly thresholdConditions?: readonly ThresholdTestCondition[];
      readonly fullCodeReviewBy?: string;
      readonly actionPlan?: readonly CpsActionInput[];
    })
  | (OnCase & {
      readonly kind: 'finalise-charging-file';
      readonly cpsReference: string;
      readonly reason: AdministrativeFinalisationReason;
    });
