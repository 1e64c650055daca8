import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { READ_HORIZON_SQL } from '#event-store';
import { buildDdl, buildTables, copyChunks, investigationsReadModel, type ColumnType } from '#projections';

/**
 * The raw limit of the projection-rebuild bench (issue 14, item 5: "a raw limit that writes the same rows by COPY"):
 * the same events read in the same batches by a plain keyset SELECT on the force's index, below the same read horizon
 * as the store's readers (the next batch read while this one is written),
 * mapped to the rows of `investigations` and `investigation_timeline` as plainly as possible (no fold, no read of
 * existing rows, no catalogue check), and written into the same tables as the rebuild's, one transaction per batch:
 * one COPY of the timeline lines, one COPY of the rows of the cases that start in the batch, and one multi-row upsert
 * of the rows of cases an earlier batch started (their key is already there). As the rebuild does, the tables are
 * made with their primary keys and their other indexes are made once every row is in, and that is timed too.
 */

/** An investigation row as the raw limit maps it: every column of `investigations`, in table order. */
const INVESTIGATION_COLUMNS: readonly (readonly [string, ColumnType])[] = [
  ['case_id', 'uuid'],
  ['status', 'text'],
  ['crime_reference', 'text'],
  ['n100_reference', 'text'],
  ['offence', 'text'],
  ['offence_code', 'text'],
  ['investigator_id', 'text'],
  ['supervisor_id', 'text'],
  ['reported_at', 'timestamptz'],
  ['recorded_at', 'timestamptz'],
  ['opened_at', 'timestamptz'],
  ['closed_at', 'timestamptz'],
  ['outcome_code', 'integer'],
  ['cancelled_at', 'timestamptz'],
  ['reopened_count', 'integer'],
  ['suspects_linked', 'integer'],
  ['last_event_at', 'timestamptz'],
];
const TIMELINE_COLUMNS: readonly (readonly [string, ColumnType])[] = [
  ['case_id', 'uuid'],
  ['stream_id', 'text'],
  ['revision', 'bigint'],
  ['event_type', 'text'],
  ['occurred_at', 'timestamptz'],
  ['actor', 'text'],
];
const OUTCOME = 'uk.police.nom.cases.outcome-recorded.v1';
const STATUS_BY_TYPE: Readonly<Record<string, string>> = {
  'uk.police.nom.cases.crime-recorded.v2': 'recorded',
  'uk.police.nom.cases.investigation-opened.v1': 'under-investigation',
  [OUTCOME]: 'closed',
};

interface EventRow {
  position: string;
  stream_id: string;
  revision: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { occurredAt: string; actor: string };
}

async function copy(
  client: pg.Client,
  table: string,
  columns: readonly (readonly [string, ColumnType])[],
  rows: unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  const sql = `COPY ${table} (${columns.map(([c]) => c).join(', ')}) FROM STDIN`;
  await pipeline(
    Readable.from(
      copyChunks(
        columns.map(([, type]) => type),
        rows,
      ),
    ),
    client.query(copyFrom(sql)),
  );
}

const COLUMN = Object.fromEntries(INVESTIGATION_COLUMNS.map(([c], i) => [c, i])) as Readonly<Record<string, number>>;
/** Event data fields copied as they are, and their column. */
const COPIED: readonly (readonly [string, number])[] = (
  [
    ['crimeReference', 'crime_reference'],
    ['n100Reference', 'n100_reference'],
    ['offence', 'offence'],
    ['offenceCode', 'offence_code'],
    ['officerId', 'investigator_id'],
    ['reportedAt', 'reported_at'],
    ['openedAt', 'opened_at'],
    ['outcomeCode', 'outcome_code'],
  ] as const
).map(([field, column]) => [field, COLUMN[column]!]);

/** One case's row from the batch's events alone (null where the batch says nothing). */
function plainRow(caseId: string, events: readonly EventRow[]): unknown[] {
  const row: unknown[] = INVESTIGATION_COLUMNS.map(() => null);
  row[COLUMN['case_id']!] = caseId;
  row[COLUMN['status']!] = 'reported';
  row[COLUMN['reopened_count']!] = 0;
  row[COLUMN['suspects_linked']!] = 0;
  for (const e of events) {
    const d = e.data;
    row[COLUMN['last_event_at']!] = e.metadata.occurredAt;
    row[COLUMN['status']!] = STATUS_BY_TYPE[e.type] ?? row[COLUMN['status']!];
    for (const [field, column] of COPIED) if (d[field] !== undefined) row[column] = d[field];
    if (d['recordedAt'] !== undefined) row[COLUMN[e.type === OUTCOME ? 'closed_at' : 'recorded_at']!] = d['recordedAt'];
  }
  return row;
}

/** Builds the raw limit's tables in `target` and writes the force's events into them; returns the events read. */
export async function rawCopyRebuild(
  databaseUrl: string,
  eventsSchema: string,
  target: string,
  force: string,
  batchSize: number,
): Promise<number> {
  const reader = new pg.Client({ connectionString: databaseUrl });
  const writer = new pg.Client({ connectionString: databaseUrl });
  await reader.connect();
  await writer.connect();
  try {
    const tables = buildTables(target, 1);
    const ddl = buildDdl(investigationsReadModel, tables);
    await writer.query(`CREATE SCHEMA ${target}`);
    for (const statement of ddl.first) await writer.query(statement);
    const investigations = tables.table('investigations');
    const upsert = `INSERT INTO ${investigations} SELECT * FROM unnest(${INVESTIGATION_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
       ON CONFLICT (case_id) DO UPDATE SET ${INVESTIGATION_COLUMNS.slice(1)
         .map(([c]) => `${c} = EXCLUDED.${c}`)
         .join(', ')}`;
    const read = (after: string): Promise<pg.QueryResult<EventRow>> =>
      reader.query<EventRow>(
        `SELECT position, event_id, stream_id, revision, type, data, metadata, recorded_at FROM ${eventsSchema}.events
         WHERE force = $2 AND position > $1 AND position < ${READ_HORIZON_SQL} ORDER BY force, position LIMIT ${batchSize}`,
        [after, force],
      );
    let events = 0;
    let pending = read('0');
    for (;;) {
      const { rows } = await pending;
      if (rows.length === 0) break;
      events += rows.length;
      pending =
        rows.length < batchSize ? Promise.resolve({ rows: [] as EventRow[] } as pg.QueryResult<EventRow>) : read(rows.at(-1)!.position);
      const byCase = new Map<string, EventRow[]>();
      const timeline: unknown[][] = [];
      for (const r of rows) {
        const caseId = r.data['caseId'] as string;
        (byCase.get(caseId) ?? byCase.set(caseId, []).get(caseId)!).push(r);
        timeline.push([caseId, r.stream_id, r.revision, r.type, r.metadata.occurredAt, r.metadata.actor]);
      }
      const started: unknown[][] = [];
      const continued: unknown[][] = [];
      for (const [caseId, caseEvents] of byCase) (caseEvents[0]!.revision === '0' ? started : continued).push(plainRow(caseId, caseEvents));
      await writer.query('BEGIN');
      await copy(writer, tables.table('investigation_timeline'), TIMELINE_COLUMNS, timeline);
      await copy(writer, investigations, INVESTIGATION_COLUMNS, started);
      if (continued.length > 0)
        await writer.query(
          upsert,
          INVESTIGATION_COLUMNS.map((_, i) => continued.map((row) => row[i])),
        );
      await writer.query('COMMIT');
    }
    for (const statement of ddl.deferred) await writer.query(statement);
    return events;
  } finally {
    await reader.end().catch(() => undefined);
    await writer.end().catch(() => undefined);
  }
}
