import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import type { ReadModel, ReadModelTables } from '../read-model.js';
import type { CaseSummary } from './case-summary.entity.js';
import { CASE_SUMMARY_EVENTS, evolveCaseSummary } from './case-summary.projection.js';

/** A row of a `case_summaries` build as node-postgres returns it. */
interface CaseSummaryRow {
  case_id: string;
  stream_id: string;
  crime_reference: string | null;
  offence: string | null;
  status: CaseSummary['status'];
  investigator_id: string | null;
  outcome_code: number | null;
  reported_at: Date | null;
  recorded_at: Date | null;
  opened_at: Date | null;
  closed_at: Date | null;
  last_revision: string;
  timeline: CaseSummary['timeline'];
}

const COLUMNS = [
  'case_id', 'stream_id', 'crime_reference', 'offence', 'status', 'investigator_id', 'outcome_code',
  'reported_at', 'recorded_at', 'opened_at', 'closed_at', 'last_revision', 'timeline',
] as const;

function fromRow(r: CaseSummaryRow): CaseSummary {
  return {
    caseId: r.case_id,
    streamId: r.stream_id,
    crimeReference: r.crime_reference,
    offence: r.offence,
    status: r.status,
    investigatorId: r.investigator_id,
    outcomeCode: r.outcome_code,
    reportedAt: r.reported_at,
    recordedAt: r.recorded_at,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    lastRevision: r.last_revision,
    timeline: r.timeline,
  };
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The case list and detail (`case_summaries`): one row per case, folded by the pure `evolveCaseSummary`. One
 * SELECT of the rows a batch touches, the fold in memory, one multi-row upsert (unnest of column arrays).
 */
export const caseSummariesReadModel: ReadModel = {
  name: 'case_summaries',
  version: 1,
  eventTypes: CASE_SUMMARY_EVENTS,
  tables: ['case_summaries'],
  createTables(t: ReadModelTables): readonly string[] {
    const table = t.table('case_summaries');
    return [
      `CREATE TABLE IF NOT EXISTS ${table} (
        case_id         uuid PRIMARY KEY,
        stream_id       text NOT NULL,
        crime_reference text,
        offence         text,
        status          text NOT NULL,
        investigator_id text,
        outcome_code    integer,
        reported_at     timestamptz,
        recorded_at     timestamptz,
        opened_at       timestamptz,
        closed_at       timestamptz,
        last_revision   bigint NOT NULL,
        timeline        jsonb NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS ${t.index?.('case_summaries', 'status') ?? `"case_summaries_v${t.version ?? 1}_status_idx"`} ON ${table} (status, recorded_at DESC)`,
    ];
  },
  async apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void> {
    const table = t.table('case_summaries');
    const caseIds = [...new Set(events.map((e) => (e.data as { caseId: string }).caseId))];
    const existing: CaseSummaryRow[] = await em.query(`SELECT ${COLUMNS.join(', ')} FROM ${table} WHERE case_id = ANY ($1::uuid[])`, [caseIds]);
    const rows = new Map(existing.map((r) => [r.case_id, fromRow(r)]));
    for (const event of events) {
      const caseId = (event.data as { caseId: string }).caseId;
      rows.set(caseId, evolveCaseSummary(rows.get(caseId) ?? null, event));
    }
    const all = [...rows.values()];
    await em.query(
      `INSERT INTO ${table} (${COLUMNS.join(', ')})
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
                            $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::bigint[], $13::jsonb[])
       ON CONFLICT (case_id) DO UPDATE SET
         stream_id = EXCLUDED.stream_id, crime_reference = EXCLUDED.crime_reference, offence = EXCLUDED.offence,
         status = EXCLUDED.status, investigator_id = EXCLUDED.investigator_id, outcome_code = EXCLUDED.outcome_code,
         reported_at = EXCLUDED.reported_at, recorded_at = EXCLUDED.recorded_at, opened_at = EXCLUDED.opened_at,
         closed_at = EXCLUDED.closed_at, last_revision = EXCLUDED.last_revision, timeline = EXCLUDED.timeline`,
      [
        all.map((r) => r.caseId),
        all.map((r) => r.streamId),
        all.map((r) => r.crimeReference),
        all.map((r) => r.offence),
        all.map((r) => r.status),
        all.map((r) => r.investigatorId),
        all.map((r) => r.outcomeCode),
        all.map((r) => iso(r.reportedAt)),
        all.map((r) => iso(r.recordedAt)),
        all.map((r) => iso(r.openedAt)),
        all.map((r) => iso(r.closedAt)),
        all.map((r) => r.lastRevision),
        all.map((r) => JSON.stringify(r.timeline)),
      ],
    );
  },
};
