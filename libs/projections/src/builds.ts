import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { validateEvent, type RecordedEvent } from '#contracts';
import type { ReadModel, ReadModelTables } from './read-model.js';
import { queryPrepared } from './prepared-query.js';

export type BuildStatus = 'building' | 'live' | 'retired';

/** One build of a read model (`projection_builds`): its tables are `<base>_v<version>`. */
export interface Build {
  readonly readModel: string;
  readonly version: number;
  /** The read model's code version (`ReadModel.version`) that built it. */
  readonly codeVersion: number;
  readonly status: BuildStatus;
  /** Highest global position applied (live builds: the largest of the batches; partitions progress unevenly). */
  readonly appliedPosition: bigint;
  /** Store time (recordedAt) of the latest event applied. */
  readonly appliedEventAt: string | null;
  /** Events of the force this build has taken in (every type, the ones it ignores included). */
  readonly appliedEvents: number;
}

/** How far one build is behind the log (the projectors' `lag()`). */
export interface ReadModelLag {
  readonly readModel: string;
  readonly version: number;
  readonly status: Build['status'];
  /** The build's tables were made by another code version: it is frozen until its rebuild switches. */
  readonly stale: boolean;
  readonly appliedPosition: string;
  readonly appliedEventAt: string | null;
  readonly appliedEvents: number;
  readonly headPosition: string;
  readonly eventsBehind: number;
  readonly secondsBehind: number;
}

/** One build's lag record; `since`: store time of the oldest event it has not taken in (null when none). */
export function lagRecord(build: Build, stale: boolean, head: bigint, eventsBehind: number, since: string | null, now: Date): ReadModelLag {
  const secondsBehind = since ? Math.max(0, (now.getTime() - Date.parse(since)) / 1000) : 0;
  return {
    readModel: build.readModel,
    version: build.version,
    status: build.status,
    stale,
    appliedPosition: build.appliedPosition.toString(),
    appliedEventAt: build.appliedEventAt,
    appliedEvents: build.appliedEvents,
    headPosition: head.toString(),
    eventsBehind,
    secondsBehind: Math.round(secondsBehind * 1000) / 1000,
  };
}

interface BuildRow {
  read_model: string;
  version: number;
  code_version: number;
  status: BuildStatus;
  applied_position: string;
  applied_event_at: Date | null;
  applied_events: string;
}

export const BUILD_COLUMNS = 'read_model, version, code_version, status, applied_position, applied_event_at, applied_events';

export function buildFromRow(r: BuildRow): Build {
  return {
    readModel: r.read_model,
    version: r.version,
    codeVersion: r.code_version,
    status: r.status,
    appliedPosition: BigInt(r.applied_position),
    appliedEventAt: r.applied_event_at ? r.applied_event_at.toISOString() : null,
    appliedEvents: Number(r.applied_events),
  };
}

export async function loadBuilds(em: EntityManager, schema: string, where = 'TRUE', params: unknown[] = []): Promise<Build[]> {
  // A build's progress: its own row's (rebuild, hand-over, national projector) and its partitions' (the live path).
  const rows = await queryPrepared<BuildRow>(
    em,
    `SELECT ${BUILD_COLUMNS} FROM (
       SELECT b.read_model, b.version, b.code_version, b.status,
              GREATEST(b.applied_position, p.applied_position) AS applied_position,
              GREATEST(b.applied_event_at, p.applied_event_at) AS applied_event_at,
              b.applied_events + coalesce(p.applied_events, 0) AS applied_events
       FROM ${schema}.projection_builds b
       LEFT JOIN (
         SELECT read_model, version, max(applied_position) AS applied_position, max(applied_event_at) AS applied_event_at,
                sum(applied_events) AS applied_events
         FROM ${schema}.projection_build_progress GROUP BY read_model, version
       ) p ON p.read_model = b.read_model AND p.version = b.version
     ) builds
     WHERE ${where} ORDER BY read_model, version`,
    params,
  );
  return rows.map(buildFromRow);
}

const NAME = /^[a-z][a-z0-9_]*$/;

/** The tables of one build, as read models name them (`bulk`: written by a rebuild from history, ADR 0044). */
export function buildTables(schema: string, version: number, bulk = false): ReadModelTables {
  return {
    schema: `"${schema}"`,
    version,
    ...(bulk ? { bulk } : {}),
    table(base: string): string {
      if (!NAME.test(base)) throw new Error(`not a read model table name: ${JSON.stringify(base)}`);
      return `"${schema}"."${base}_v${version}"`;
    },
    index(base: string, name: string): string {
      if (!NAME.test(base) || !NAME.test(name)) throw new Error(`not an index name: ${base} ${name}`);
      return `"${base}_v${version}_${name}_idx"`;
    },
  };
}

export function assertReadModel(model: ReadModel): void {
  if (!NAME.test(model.name)) throw new Error(`read model name must match ${NAME.source}: ${model.name}`);
  if (!Number.isInteger(model.version) || model.version < 1)
    throw new Error(`read model ${model.name}: version must be a positive integer`);
  for (const base of model.tables) if (!NAME.test(base)) throw new Error(`read model ${model.name}: bad table name ${base}`);
}

/** Points the view `<schema>."<base>"` of every table of the read model at the given build (in the caller's transaction). */
export async function pointViews(em: EntityManager, schema: string, model: ReadModel, version: number): Promise<void> {
  const t = buildTables(schema, version);
  for (const base of model.tables) {
    await em.query(`DROP VIEW IF EXISTS "${schema}"."${base}"`);
    await em.query(`CREATE VIEW "${schema}"."${base}" AS SELECT * FROM ${t.table(base)}`);
  }
}

/**
 * A read model's DDL for a build, split: what a rebuild runs first (tables, unique indexes) and the plain indexes
 * it creates once the history is in (one sort each, rather than every row's entry kept up while it writes).
 */
export function buildDdl(model: ReadModel, tables: ReadModelTables): { readonly first: string[]; readonly deferred: string[] } {
  const first: string[] = [];
  const deferred: string[] = [];
  for (const ddl of model.createTables(tables)) (/^\s*CREATE\s+INDEX\b/i.test(ddl) ? deferred : first).push(ddl);
  return { first, deferred };
}

export async function dropBuildTables(em: EntityManager, schema: string, model: ReadModel, version: number): Promise<void> {
  const t = buildTables(schema, version);
  for (const base of model.tables) await em.query(`DROP TABLE IF EXISTS ${t.table(base)} CASCADE`);
}

/** A decoded event as stored in a dead letter (bigints as decimal strings), and back. */
export function eventToJson(event: RecordedEvent): Record<string, unknown> {
  return { ...event, revision: event.revision.toString(), position: event.position.toString() };
}

export function eventFromJson(json: Record<string, unknown>): RecordedEvent {
  return {
    ...(json as unknown as RecordedEvent),
    revision: BigInt(json['revision'] as string),
    position: BigInt(json['position'] as string),
  };
}

/**
 * SHA-256 over a table's rows ordered by its primary key, each row as canonical JSON without the `exclude`d
 * (bookkeeping) columns: two builds with the same content have the same hash, however they were built.
 */
export async function contentHash(
  em: EntityManager,
  qualifiedTable: string,
  exclude: readonly string[] = [],
): Promise<{ rows: number; sha256: string }> {
  const keys: { attname: string }[] = await em.query(
    `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [qualifiedTable],
  );
  if (keys.length === 0) throw new Error(`${qualifiedTable} has no primary key`);
  const order = keys.map((k) => `"${k.attname}"`).join(', ');
  const hash = createHash('sha256');
  let rows = 0;
  let after: unknown[] | undefined;
  const page = 5000;
  for (;;) {
    const bound = after ? `WHERE (${order}) > (${after.map((_, i) => `$${i + 2}`).join(', ')})` : '';
    const batch: { doc: string; key: unknown[] }[] = await em.query(
      `SELECT (to_jsonb(t) - $1::text[])::text AS doc, jsonb_build_array(${order}) AS key FROM ${qualifiedTable} t ${bound} ORDER BY ${order} LIMIT ${page}`,
      [exclude, ...(after ?? [])],
    );
    for (const row of batch) hash.update(row.doc).update('\n');
    rows += batch.length;
    if (batch.length < page) break;
    after = batch[batch.length - 1]!.key;
  }
  return { rows, sha256: hash.digest('hex') };
}

/**
 * Records a batch's progress on builds (in the caller's transaction): the highest position and event time, and
 * how many events were taken in. One statement per build, in the given order (callers pass name order, so
 * concurrent batches lock the rows in the same order).
 */
export async function recordBuildProgress(
  em: EntityManager,
  schema: string,
  builds: readonly Pick<Build, 'readModel' | 'version'>[],
  events: readonly RecordedEvent[],
  /** The batch read up to here (past its last event: dead letters after it). */
  reached = 0n,
  /**
   * The Kafka partition the batch came from (the live path): its own progress row, so that the transactions of
   * different partitions do not queue on one row. Without it (a rebuild, the national projector), the build's row.
   */
  partition?: number,
): Promise<void> {
  if (builds.length === 0) return;
  let position = reached;
  let at = '';
  for (const e of events) {
    if (e.position > position) position = e.position;
    if (e.recordedAt > at) at = e.recordedAt;
  }
  const keys = [builds.map((b) => b.readModel), builds.map((b) => b.version)];
  if (partition !== undefined) {
    await queryPrepared(
      em,
      `INSERT INTO ${schema}.projection_build_progress AS p (read_model, version, kafka_partition, applied_position, applied_event_at, applied_events)
       SELECT t.read_model, t.version, $3, $4, $5::timestamptz, $6 FROM unnest($1::text[], $2::int[]) AS t(read_model, version)
       ON CONFLICT (read_model, version, kafka_partition) DO UPDATE
       SET applied_position = GREATEST(p.applied_position, EXCLUDED.applied_position),
           applied_event_at = GREATEST(p.applied_event_at, EXCLUDED.applied_event_at),
           applied_events = p.applied_events + EXCLUDED.applied_events`,
      [...keys, partition, position.toString(), at || null, events.length],
    );
    return;
  }
  // One statement for every build: the rows stay locked until the commit, so no round trip is spent while holding them.
  await queryPrepared(
    em,
    `UPDATE ${schema}.projection_builds b
     SET applied_position = GREATEST(b.applied_position, $3), applied_event_at = GREATEST(b.applied_event_at, $4::timestamptz),
         applied_events = b.applied_events + $5, updated_at = now()
     FROM unnest($1::text[], $2::int[]) AS t(read_model, version)
     WHERE b.read_model = t.read_model AND b.version = t.version`,
    [...keys, position.toString(), at || null, events.length],
  );
}

/**
 * The events of a store-fed batch a read model takes: its types, and only events the live path would accept
 * (valid against the catalogue, personal fields protected: read models never see them in clear).
 */
export function storeEventsFor(model: ReadModel, events: readonly RecordedEvent[]): RecordedEvent[] {
  return events.filter((event) => model.eventTypes.has(event.type) && validateEvent(event, { personalFieldsProtected: true }).length === 0);
}
