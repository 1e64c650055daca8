import { OFFENCE_GROUPS, OUTCOME_CODES } from '#contracts';
import { DUTY_QUERY, INVESTIGATION_STATUSES, SUSPECT_STATUSES } from '#projections';
import { PAGING, type FilterRule } from './filters.js';

export { DUTY_QUERY } from '#projections';

export const INVESTIGATION_FILTERS: Readonly<Record<string, FilterRule>> = {
  status: { kind: 'enum', values: INVESTIGATION_STATUSES },
  offence: { kind: 'enum', values: OFFENCE_GROUPS },
  investigatorId: { kind: 'officer-id' },
  outcomeCode: { kind: 'enum', values: OUTCOME_CODES.map(String) },
  reportedFrom: { kind: 'instant' },
  reportedTo: { kind: 'instant' },
  recordedFrom: { kind: 'instant' },
  recordedTo: { kind: 'instant' },
  ...PAGING,
};

export const SUSPECT_FILTERS: Readonly<Record<string, FilterRule>> = {
  status: { kind: 'enum', values: SUSPECT_STATUSES },
  caseId: { kind: 'uuid' },
  repeatFlag: { kind: 'boolean' },
  bailEndsBy: { kind: 'date' },
  ...PAGING,
};

export const VICTIM_FILTERS: Readonly<Record<string, FilterRule>> = {
  duties: { kind: 'enum', values: DUTY_QUERY },
  caseId: { kind: 'uuid' },
  withdrawn: { kind: 'boolean' },
  ...PAGING,
};

export const CASELOAD_FILTERS: Readonly<Record<string, FilterRule>> = { officerId: { kind: 'officer-id' }, ...PAGING };

/** The cohort of a KPI report (`GET /forces/{force}/kpis`, `GET /national/kpis`): cases recorded in a period, of an offence group. */
export const KPI_FILTERS: Readonly<Record<string, FilterRule>> = {
  recordedFrom: { kind: 'instant' },
  recordedTo: { kind: 'instant' },
  offence: { kind: 'enum', values: OFFENCE_GROUPS },
};
