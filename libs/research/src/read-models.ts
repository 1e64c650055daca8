import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import {
  evolveInvestigation,
  INVESTIGATION_EVENTS,
  NATIONAL_READ_MODELS,
  type InvestigationRow,
  type ReadModel,
  type ReadModelTables,
} from '#projections';

/**
 * The investigations read model's fold (`evolveInvestigation`, the code that serves live traffic) behind the
 * `ReadModel` contract: one row per case with its status, offence group and outcome code (`summary`: the whole
 * investigation row). Beside it, replays can rebuild the national KPI facts read model (`national_kpis`, the rows
 * the national KPIs are computed from).
 */
export const caseStatusReadModel: ReadModel = {
  name: 'case_status',
  version: 1,
  eventTypes: INVESTIGATION_EVENTS,
  tables: ['case_status'],
  createTables(t: ReadModelTables): readonly string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${t.table('case_status')} (
        case_id uuid PRIMARY KEY,
        force text NOT NULL,
        status text NOT NULL,
        offence text,
        outcome_code integer,
        summary jsonb NOT NULL
      )`,
    ];
  },
  async apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void> {
    const ids = [...new Set(events.map((e) => (e.data as { caseId: string }).caseId))];
    const existing = await em.query<{ case_id: string; force: string; summary: InvestigationRow }[]>(
      `SELECT case_id, force, summary FROM ${t.table('case_status')} WHERE case_id = ANY ($1::uuid[])`,
      [ids],
    );
    const rows = new Map(existing.map((r) => [r.case_id, { force: r.force, summary: r.summary }]));
    for (const event of events) {
      const caseId = (event.data as { caseId: string }).caseId;
      const current = rows.get(caseId);
      rows.set(caseId, { force: current?.force ?? event.metadata.force, summary: evolveInvestigation(current?.summary ?? null, event) });
    }
    const values = [...rows.entries()].map(([caseId, r]) => ({
      case_id: caseId,
      force: r.force,
      status: r.summary.status,
      offence: r.summary.offence,
      outcome_code: r.summary.outcomeCode,
      summary: r.summary,
    }));
    await em.query(
      `INSERT INTO ${t.table('case_status')} (case_id, force, status, offence, outcome_code, summary)
       SELECT case_id, force, status, offence, outcome_code, summary FROM jsonb_to_recordset($1::jsonb)
         AS x(case_id uuid, force text, status text, offence text, outcome_code integer, summary jsonb)
       ON CONFLICT (case_id) DO UPDATE SET status = EXCLUDED.status, offence = EXCLUDED.offence,
         outcome_code = EXCLUDED.outcome_code, summary = EXCLUDED.summary`,
      [JSON.stringify(values)],
    );
  },
};

/** Read models a replay can rebuild, by name. */
export const REPLAYABLE_READ_MODELS: ReadonlyMap<string, ReadModel> = new Map(
  [caseStatusReadModel, ...NATIONAL_READ_MODELS].map((model) => [model.name, model]),
);
