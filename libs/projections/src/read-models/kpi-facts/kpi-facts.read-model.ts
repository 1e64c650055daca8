import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import { KPI_EVENT_TYPES } from '#kpis';
import type { ReadModel, ReadModelTables } from '../../read-model.js';
import { applyKeyedFold, createTableSql } from '../table-spec.js';
import { caseFactsFold, dutyFactsFold, occurrenceFactsFold, victimFactsFold } from './kpi-facts.fold.js';
import { KPI_CASES, KPI_DUTIES, KPI_OCCURRENCES, KPI_VICTIMS } from './kpi-facts.table.js';

/**
 * The KPI facts (#kpis) of every case, victim and update duty, one row each, with the force they belong to. The
 * same read model serves a force (`force_kpis`, in the force's schema, fed from its topic) and the nation
 * (`national_kpis`, in the national schema, fed from every force): the KPIs are computed from these rows by the
 * same functions, so the force's figures and the national ones cannot drift apart.
 */
function kpiFactsReadModel(name: 'force_kpis' | 'national_kpis'): ReadModel {
  return {
    name,
    // 2: a duty is (victim, trigger event); version 1 merged the duties one trigger opens for several victims.
    // 3: measures by period (issue 13): occurrences, first arrest and interview, a referral is a charging file only.
    // 4: bail lapses among the occurrences.
    // 5: disruption decisions and order breaches among the occurrences.
    // 6: CPS decisions per suspect among the occurrences (the CPS timeliness interval, issue 13).
    // 7: a victim's first video-recorded (ABE) interview among the victim facts (reportToAbeInterview).
    version: 7,
    eventTypes: KPI_EVENT_TYPES,
    tables: [KPI_CASES.base, KPI_VICTIMS.base, KPI_DUTIES.base, KPI_OCCURRENCES.base],
    createTables: (t: ReadModelTables) => [
      ...createTableSql(t, KPI_CASES),
      ...createTableSql(t, KPI_VICTIMS),
      ...createTableSql(t, KPI_DUTIES),
      ...createTableSql(t, KPI_OCCURRENCES),
    ],
    async apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void> {
      await applyKeyedFold(em, t, caseFactsFold, events);
      await applyKeyedFold(em, t, victimFactsFold, events);
      await applyKeyedFold(em, t, dutyFactsFold, events);
      await applyKeyedFold(em, t, occurrenceFactsFold, events);
    },
  };
}

export const forceKpisReadModel: ReadModel = kpiFactsReadModel('force_kpis');
export const nationalKpisReadModel: ReadModel = kpiFactsReadModel('national_kpis');
