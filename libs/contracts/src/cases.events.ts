import { OUTCOME_CODES } from './outcome-codes.js';

/** Event type names: string literals, never class names (DESIGN.md section 3). */
export const CaseEventTypes = {
  CrimeRecorded: 'uk.police.nom.cases.crime-recorded.v1',
  InvestigationOpened: 'uk.police.nom.cases.investigation-opened.v1',
  InvestigatorAssigned: 'uk.police.nom.cases.investigator-assigned.v1',
  OutcomeRecorded: 'uk.police.nom.cases.outcome-recorded.v1',
} as const;

/** Offence groups a RASSO case can be recorded under (Home Office offence classification, abridged). */
export const OFFENCE_GROUPS = [
  'rape-of-female-16-plus',
  'rape-of-female-under-16',
  'rape-of-female-under-13',
  'rape-of-male-16-plus',
  'rape-of-male-under-16',
  'rape-of-male-under-13',
  'sexual-assault',
  'sexual-activity-with-child',
  'other-sexual-offence',
] as const;
export type OffenceGroup = (typeof OFFENCE_GROUPS)[number];

export interface CrimeRecordedData {
  readonly caseId: string;
  /** The force's own crime reference number (CRN). */
  readonly crimeReference: string;
  readonly offence: OffenceGroup;
  /** When the victim (or a third party) reported it. */
  readonly reportedAt: string;
  /** When the crime was recorded under the Home Office Crime Recording Rules. */
  readonly recordedAt: string;
}

export interface InvestigationOpenedData {
  readonly caseId: string;
  readonly openedAt: string;
}

export interface InvestigatorAssignedData {
  readonly caseId: string;
  /** Officer id (collar/warrant reference), not a name: names are personal data. */
  readonly officerId: string;
  readonly assignedAt: string;
}

export interface OutcomeRecordedData {
  readonly caseId: string;
  readonly outcomeCode: number;
  readonly recordedAt: string;
}

export type CaseEvent =
  | { readonly type: typeof CaseEventTypes.CrimeRecorded; readonly data: CrimeRecordedData }
  | { readonly type: typeof CaseEventTypes.InvestigationOpened; readonly data: InvestigationOpenedData }
  | { readonly type: typeof CaseEventTypes.InvestigatorAssigned; readonly data: InvestigatorAssignedData }
  | { readonly type: typeof CaseEventTypes.OutcomeRecorded; readonly data: OutcomeRecordedData };

const caseId = { type: 'string', format: 'uuid' } as const;
const instant = { type: 'string', format: 'date-time' } as const;

/** JSON Schemas (draft 2020-12), one per event type and version. */
export const caseEventSchemas = {
  [CaseEventTypes.CrimeRecorded]: {
    type: 'object',
    additionalProperties: false,
    required: ['caseId', 'crimeReference', 'offence', 'reportedAt', 'recordedAt'],
    properties: {
      caseId,
      crimeReference: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9/-]{2,31}$' },
      offence: { enum: [...OFFENCE_GROUPS] },
      reportedAt: instant,
      recordedAt: instant,
    },
  },
  [CaseEventTypes.InvestigationOpened]: {
    type: 'object',
    additionalProperties: false,
    required: ['caseId', 'openedAt'],
    properties: { caseId, openedAt: instant },
  },
  [CaseEventTypes.InvestigatorAssigned]: {
    type: 'object',
    additionalProperties: false,
    required: ['caseId', 'officerId', 'assignedAt'],
    properties: { caseId, officerId: { type: 'string', pattern: '^[A-Za-z0-9-]{2,32}$' }, assignedAt: instant },
  },
  [CaseEventTypes.OutcomeRecorded]: {
    type: 'object',
    additionalProperties: false,
    required: ['caseId', 'outcomeCode', 'recordedAt'],
    properties: { caseId, outcomeCode: { type: 'integer', enum: [...OUTCOME_CODES] }, recordedAt: instant },
  },
} as const;
