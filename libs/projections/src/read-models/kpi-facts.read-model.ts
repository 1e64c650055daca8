import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import {
  CASE_FACT_EVENTS,
  DUTY_FACT_EVENTS,
  KPI_EVENT_TYPES,
  VICTIM_FACT_EVENTS,
  foldCaseFacts,
  foldDutyFacts,
  foldVictimFacts,
  updateDutyId,
  type CaseFacts,
  type DutyFacts,
  type KpiFacts,
  type VictimFacts,
} from '#kpis';
import type { ReadModel, ReadModelTables } from '../read-model.js';
import { applyKeyedFold, createTableSql, field, type KeyedFold, type TableSpec } from './table-spec.js';

export const KPI_CASES: TableSpec<CaseFacts> = {
  base: 'kpi_cases',
  columns: {
    caseId: 'uuid', force: 'text', offence: 'text', reportedAt: 'timestamptz', recordedAt: 'timestamptz', cancelled: 'boolean', referredAt: 'timestamptz',
    chargedAt: 'timestamptz', outcomeCode: 'integer', closedAt: 'timestamptz', reopenedCount: 'integer',
  },
  key: ['caseId'],
  indexes: [['force']],
};
export const KPI_VICTIMS: TableSpec<VictimFacts> = {
  base: 'kpi_victims',
  columns: {
    victimId: 'uuid', caseId: 'uuid', force: 'text', firstContactAt: 'timestamptz', isvaReferredAt: 'timestamptz', withdrawn: 'boolean',
    withdrawalStage: 'text', withdrawalCount: 'integer',
  },
  key: ['victimId'],
  indexes: [['force']],
};
export const KPI_DUTIES: TableSpec<DutyFacts> = {
  base: 'kpi_duties',
  columns: { dutyId: 'uuid', victimId: 'uuid', caseId: 'uuid', force: 'text', dueBy: 'timestamptz', status: 'text', missed: 'boolean', metOnTime: 'boolean' },
  key: ['dutyId'],
  indexes: [['force']],
};

const caseFold: KeyedFold<CaseFacts> = { spec: KPI_CASES, keyOf: (e) => (CASE_FACT_EVENTS.has(e.type) ? field(e, 'caseId') : undefined), evolve: foldCaseFacts };
const victimFold: KeyedFold<VictimFacts> = { spec: KPI_VICTIMS, keyOf: (e) => (VICTIM_FACT_EVENTS.has(e.type) ? field(e, 'victimId') : undefined), evolve: foldVictimFacts };
const dutyFold: KeyedFold<DutyFacts> = { spec: KPI_DUTIES, keyOf: (e) => (DUTY_FACT_EVENTS.has(e.type) ? updateDutyId(field(e, 'victimId'), field(e, 'triggerEventId')) : undefined), evolve: foldDutyFacts };

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
    version: 2,
    eventTypes: KPI_EVENT_TYPES,
    tables: [KPI_CASES.base, KPI_VICTIMS.base, KPI_DUTIES.base],
    createTables: (t: ReadModelTables) => [...createTableSql(t, KPI_CASES), ...createTableSql(t, KPI_VICTIMS), ...createTableSql(t, KPI_DUTIES)],
    async apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void> {
      await applyKeyedFold(em, t, caseFold, events);
      await applyKeyedFold(em, t, victimFold, events);
      await applyKeyedFold(em, t, dutyFold, events);
    },
  };
}

export const forceKpisReadModel: ReadModel = kpiFactsReadModel('force_kpis');
export const nationalKpisReadModel: ReadModel = kpiFactsReadModel('national_kpis');

/** Rows of the fact views, by force (each row's own). `schema` and the view names are the caller's. */
export function kpiFactsByForce(cases: readonly CaseFacts[], victims: readonly VictimFacts[], duties: readonly DutyFacts[]): Map<string, KpiFacts> {
  const byForce = new Map<string, { cases: CaseFacts[]; victims: VictimFacts[]; duties: DutyFacts[] }>();
  const of = (force: string) => byForce.get(force) ?? byForce.set(force, { cases: [], victims: [], duties: [] }).get(force)!;
  for (const c of cases) of(c.force).cases.push(c);
  for (const v of victims) of(v.force).victims.push(v);
  for (const d of duties) of(d.force).duties.push(d);
  return byForce;
}
