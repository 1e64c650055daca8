import {
  CASE_FACT_EVENTS,
  DUTY_FACT_EVENTS,
  VICTIM_FACT_EVENTS,
  foldCaseFacts,
  foldDutyFacts,
  foldOccurrenceFacts,
  foldVictimFacts,
  occurrenceIdOf,
  updateDutyId,
  type CaseFacts,
  type DutyFacts,
  type OccurrenceFacts,
  type VictimFacts,
} from '#kpis';
import { field, type KeyedFold } from '../table-spec.js';
import { KPI_CASES, KPI_DUTIES, KPI_OCCURRENCES, KPI_VICTIMS } from './kpi-facts.table.js';

/** The pure folds of #kpis, keyed: a case by its id, a victim by theirs, a duty by (victim, triggering event). */
export const caseFactsFold: KeyedFold<CaseFacts> = {
  spec: KPI_CASES,
  keyOf: (e) => (CASE_FACT_EVENTS.has(e.type) ? field(e, 'caseId') : undefined),
  evolve: foldCaseFacts,
};
export const victimFactsFold: KeyedFold<VictimFacts> = {
  spec: KPI_VICTIMS,
  keyOf: (e) => (VICTIM_FACT_EVENTS.has(e.type) ? field(e, 'victimId') : undefined),
  evolve: foldVictimFacts,
};
export const dutyFactsFold: KeyedFold<DutyFacts> = {
  spec: KPI_DUTIES,
  keyOf: (e) => (DUTY_FACT_EVENTS.has(e.type) ? updateDutyId(field(e, 'victimId'), field(e, 'triggerEventId')) : undefined),
  evolve: foldDutyFacts,
};
export const occurrenceFactsFold: KeyedFold<OccurrenceFacts> = {
  spec: KPI_OCCURRENCES,
  keyOf: occurrenceIdOf,
  evolve: foldOccurrenceFacts,
};
