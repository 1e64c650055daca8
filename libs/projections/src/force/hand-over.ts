import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import { UndecodableEventError } from '#event-store';
import { relayRecordOf } from '#messaging';
import { buildTables, dropBuildTables, loadBuilds, pointViews, storeEventsFor, type Build } from '../builds.js';
import type { ReadModel } from '../read-model.js';
import { applyToBuild, passOver, ReadModelApplyError, recordProgress, type ForceRuntime } from './force-runtime.js';

/** The steps of a rebuild (rebuild.ts): its build, its history batches, and the hand-over to the live path. */

/** The next build version of a read model: past every build it had, and at least its code version. */
export async function nextVersion(rt: ForceRuntime, em: EntityManager, model: ReadModel): Promise<number> {
  const [{ max }] = await em.query<[{ max: number | null }]>(
    `SELECT max(version) AS max FROM ${rt.schema}.projection_builds WHERE read_model = $1`,
    [model.name],
  );
  return Math.max((max ?? 0) + 1, model.version);
}

/** The build a rebuild writes: the one left `building`, or a new version with fresh tables. */
export function startBuild(rt: ForceRuntime, model: ReadModel): Promise<Build> {
  const schema = rt.schema;
  return rt.dataSource.transaction(async (em) => {
    const [existing] = await loadBuilds(em, schema, `read_model = $1 AND status = 'building'`, [model.name]);
    if (existing && existing.codeVersion === model.version) return existing;
    if (existing) {
      await dropBuildTables(em, schema, model, existing.version);
      await em.query(`DELETE FROM ${schema}.projection_builds WHERE read_model = $1 AND version = $2`, [model.name, existing.version]);
      await em.query(`DELETE FROM ${schema}.dead_letters WHERE read_model = $1 AND build_version = $2`, [model.name, existing.version]);
    }
    const version = await nextVersion(rt, em, model);
    await dropBuildTables(em, schema, model, version);
    for (const ddl of model.createTables(buildTables(schema, version))) await em.query(ddl);
    await em.query(`INSERT INTO ${schema}.projection_builds (read_model, version, code_version, status) VALUES ($1, $2, $3, 'building')`, [
      model.name,
      version,
      model.version,
    ]);
    const [created] = await loadBuilds(em, schema, `read_model = $1 AND version = $2`, [model.name, version]);
    return created!;
  });
}

/** Chunks of `size` from `source`, the next chunk being read while the consumer works on the current one. */
export async function* readAhead<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  const next = async (): Promise<T[]> => {
    const out: T[] = [];
    while (out.length < size) {
      const r = await iterator.next();
      if (r.done) break;
      out.push(r.value);
    }
    return out;
  };
  let pending = next();
  try {
    for (;;) {
      const chunk = await pending;
      if (chunk.length === 0) return;
      pending = next();
      yield chunk;
    }
  } finally {
    // Stopped early (abort, error): let the read in flight settle, and close the source.
    await pending.catch(() => undefined);
    await iterator.return?.();
  }
}

/** The events of a history chunk the relay publishes (the live path's events); the others go to `refused`. */
export async function publishedOnly(
  chunk: readonly RecordedEvent[],
  refused: (failure: UndecodableEventError) => Promise<void>,
): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (const event of chunk) {
    try {
      relayRecordOf(event);
      out.push(event);
    } catch (error) {
      await refused(new UndecodableEventError(event, 'publish', error instanceof Error ? error.message : String(error)));
    }
  }
  return out;
}

/**
 * One batch of history into the new build, with its progress, in one transaction. An event the live path would
 * refuse as invalid (and dead-letter for every read model) is skipped here too: both paths take the same events.
 */
export async function applyHistory(rt: ForceRuntime, model: ReadModel, version: number, events: readonly RecordedEvent[]): Promise<void> {
  const incoming = storeEventsFor(model, events).map((event) => ({ event }));
  const build = { readModel: model.name, version };
  try {
    await rt.dataSource.transaction(async (em) => {
      await applyToBuild(rt, em, model, version, incoming, false);
      await recordProgress(rt, em, [build], events);
    });
  } catch (error) {
    if (!(error instanceof ReadModelApplyError)) throw error;
    await rt.dataSource.transaction(async (em) => {
      await applyToBuild(rt, em, model, version, incoming, true);
      await recordProgress(rt, em, [build], events);
    });
  }
}

/** Events the live consumer has taken (applied, or dead-lettered as poison) at positions up to `position`. */
export async function liveTakenUpTo(rt: ForceRuntime, em: EntityManager, position: bigint): Promise<number> {
  const [{ n }] = await em.query<[{ n: string }]>(
    `SELECT (SELECT count(*) FROM ${rt.schema}.processed_events WHERE position <= $1)
          + (SELECT count(DISTINCT (stream_id, revision)) FROM ${rt.schema}.dead_letters WHERE read_model IS NULL AND position <= $1) AS n`,
    [position.toString()],
  );
  return Number(n);
}

/** The events the live consumer took past `position`, read back from the store. */
async function liveTail(
  rt: ForceRuntime,
  em: EntityManager,
  model: ReadModel,
  position: bigint,
  batchSize: number,
): Promise<RecordedEvent[]> {
  const tailKeys: { stream_id: string; revision: string }[] = await em.query(
    `SELECT stream_id, revision FROM ${rt.schema}.processed_events WHERE position > $1`,
    [position.toString()],
  );
  const wanted = new Set(tailKeys.map((k) => `${k.stream_id}@${k.revision}`));
  const tail: RecordedEvent[] = [];
  if (wanted.size === 0) return tail;
  for await (const event of rt.store!.readAll({ force: rt.force, fromPosition: position, batchSize, onUndecodable: passOver })) {
    if (wanted.delete(`${event.streamId}@${event.revision.toString()}`)) tail.push(event);
    if (wanted.size === 0) break;
  }
  if (wanted.size > 0)
    throw new Error(`hand-over of ${model.name}: ${wanted.size} applied events not found in the store after ${position}`);
  return tail;
}

/**
 * The switch, in one transaction under the exclusive lock (live batches wait): apply to the new build the
 * events the live consumer took past `position` (so that it holds exactly the ledger's events), mark it live,
 * retire the old build, re-point the views.
 */
export function handOver(
  rt: ForceRuntime,
  model: ReadModel,
  version: number,
  position: bigint,
  historyEvents: number,
  batchSize: number,
): Promise<{ replaced: number | null; tail: number }> {
  const schema = rt.schema;
  return rt.dataSource.transaction(async (em) => {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [rt.lockKey]);
    const taken = await liveTakenUpTo(rt, em, position);
    if (taken !== historyEvents)
      throw new Error(`hand-over of ${model.name}: the ledger holds ${taken} events up to ${position}, the history ${historyEvents}`);
    const tail = await liveTail(rt, em, model, position, batchSize);
    for (let i = 0; i < tail.length; i += batchSize) {
      const slice = tail.slice(i, i + batchSize).map((event) => ({ event }));
      await applyToBuild(rt, em, model, version, slice, true);
    }
    const [{ total, top, at }] = await em.query<[{ total: string; top: string; at: Date | null }]>(
      `SELECT count(*) AS total, coalesce(max(position), 0) AS top,
              (SELECT applied_event_at FROM ${schema}.projection_builds WHERE read_model = $1 AND version = $2) AS at
       FROM ${schema}.processed_events`,
      [model.name, version],
    );
    const tailAt = tail.reduce<string | null>((m, e) => (m === null || e.recordedAt > m ? e.recordedAt : m), null);
    const [old] = await loadBuilds(em, schema, `read_model = $1 AND status = 'live'`, [model.name]);
    if (old) {
      await em.query(
        `UPDATE ${schema}.projection_builds SET status = 'retired', updated_at = now() WHERE read_model = $1 AND version = $2`,
        [model.name, old.version],
      );
      // Its failures are superseded by the new build's own.
      await em.query(`DELETE FROM ${schema}.dead_letters WHERE read_model = $1 AND build_version = $2 AND resolved_at IS NULL`, [
        model.name,
        old.version,
      ]);
    }
    const position2 = BigInt(top) > position ? BigInt(top) : position;
    await em.query(
      `UPDATE ${schema}.projection_builds
       SET status = 'live', applied_position = $3, applied_events = $4,
           applied_event_at = GREATEST(applied_event_at, $5::timestamptz), switched_at = now(), updated_at = now()
       WHERE read_model = $1 AND version = $2`,
      [model.name, version, position2.toString(), Number(total), tailAt ?? at?.toISOString() ?? null],
    );
    await pointViews(em, schema, model, version);
    return { replaced: old?.version ?? null, tail: tail.length };
  });
}
