import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import { idle, UndecodableEventError } from '#event-store';
import { relayRefusal } from '#messaging';
import { buildDdl, buildTables, dropBuildTables, loadBuilds, pointViews, type Build } from '../builds.js';
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
    // Its plain indexes are made once the history is in (`indexBuild`).
    for (const ddl of buildDdl(model, buildTables(schema, version)).first) await em.query(ddl);
    await em.query(`INSERT INTO ${schema}.projection_builds (read_model, version, code_version, status) VALUES ($1, $2, $3, 'building')`, [
      model.name,
      version,
      model.version,
    ]);
    const [created] = await loadBuilds(em, schema, `read_model = $1 AND version = $2`, [model.name, version]);
    return created!;
  });
}

/**
 * Chunks of `size` from `source`, each passed through `prepare`: the next chunk is read and prepared while the
 * consumer works on the current one (a rebuild costs the larger of the two, not their sum).
 */
export async function* readAhead<T, U>(source: AsyncIterable<T>, size: number, prepare: (chunk: T[]) => Promise<U>): AsyncGenerator<U> {
  const iterator = source[Symbol.asyncIterator]();
  const next = async (): Promise<U | undefined> => {
    const out: T[] = [];
    while (out.length < size) {
      const r = await iterator.next();
      if (r.done) break;
      out.push(r.value);
    }
    return out.length === 0 ? undefined : prepare(out);
  };
  let pending = next();
  try {
    for (;;) {
      const chunk = await pending;
      if (chunk === undefined) return;
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
    const refusal = relayRefusal(event);
    if (refusal === undefined) out.push(event);
    else await refused(new UndecodableEventError(event, 'publish', refusal));
  }
  return out;
}

/** The build's plain indexes, made once its history is in (idempotent: a resumed rebuild makes what is missing). */
export async function indexBuild(rt: ForceRuntime, model: ReadModel, version: number): Promise<void> {
  for (const ddl of buildDdl(model, buildTables(rt.schema, version)).deferred) await rt.dataSource.query(ddl);
}

/** A chunk of history as a rebuild applies it: its events, and the ones the read model takes. */
export interface HistoryChunk {
  /** The chunk's events the relay publishes (its progress counts them). */
  readonly events: readonly RecordedEvent[];
  /** Those of them the read model takes (its types, valid as the live path checks them). */
  readonly taken: readonly RecordedEvent[];
  /** Position of the chunk's last event (read, published or not). */
  readonly position: bigint;
}

/**
 * One chunk of history into the new build, with its progress, in one transaction. The chunk is written by the bulk
 * path (ADR 0044: rows the build lacks by COPY); if the read model's apply fails there, by the live path's
 * statements; if it fails there too, event by event, dead-lettering the ones that fail.
 */
export async function applyHistory(rt: ForceRuntime, model: ReadModel, version: number, chunk: HistoryChunk): Promise<void> {
  const incoming = chunk.taken.map((event) => ({ event }));
  const build = { readModel: model.name, version };
  const attempt = (isolate: boolean, bulk: boolean): Promise<void> =>
    rt.dataSource.transaction(async (em) => {
      await applyToBuild(rt, em, model, version, incoming, isolate, bulk);
      await recordProgress(rt, em, [build], chunk.events);
    });
  for (const bulk of [true, false]) {
    try {
      return await attempt(false, bulk);
    } catch (error) {
      if (!(error instanceof ReadModelApplyError)) throw error;
    }
  }
  await attempt(true, false);
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

/** A build whose history is written, to be made live: its read model and version, and the history it holds. */
export interface BuildSwitch {
  readonly model: ReadModel;
  readonly version: number;
  /** The position the history was written up to, and the events of the force's log it applied. */
  readonly position: bigint;
  readonly historyEvents: number;
  /** How many tail events are applied at a time. */
  readonly batchSize: number;
}

/**
 * The switch, in one transaction under the exclusive lock (live batches wait): apply to the new build the
 * events the live consumer took past `position` (so that it holds exactly the ledger's events), mark it live,
 * retire the old build, re-point the views.
 */
export function handOver(rt: ForceRuntime, build: BuildSwitch): Promise<{ replaced: number | null; tail: number }> {
  const { model, version, position, historyEvents, batchSize } = build;
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

/**
 * After the history: waits for the live consumer to have taken every event up to `position` (it never applies an
 * event twice, and the new build must hold exactly what the live ledger says was applied), hands over, and drops the
 * replaced build's tables unless told to keep them.
 */
export async function switchToBuild(
  rt: ForceRuntime,
  build: BuildSwitch,
  options: { readonly handOverTimeoutMs?: number; readonly signal?: AbortSignal | undefined; readonly dropOld?: boolean },
): Promise<{ replaced: number | null; tailEvents: number; droppedOld: boolean }> {
  const { model, position, historyEvents } = build;
  const deadline = Date.now() + (options.handOverTimeoutMs ?? 120_000);
  while ((await liveTakenUpTo(rt, rt.dataSource.manager, position)) < historyEvents) {
    if (Date.now() > deadline) {
      throw new Error(
        `rebuild of ${model.name}: the live consumer has not reached position ${position} (is the projector consuming?); ` +
          `the build stays 'building' and resumes on the next rebuild`,
      );
    }
    if (options.signal?.aborted) throw new Error('rebuild aborted');
    await idle(25, options.signal);
  }
  const { replaced, tail } = await handOver(rt, build);
  let droppedOld = false;
  if (replaced !== null && options.dropOld !== false) {
    await rt.dataSource.transaction(async (em) => {
      await dropBuildTables(em, rt.schema, model, replaced);
      await em.query(`DELETE FROM ${rt.schema}.projection_builds WHERE read_model = $1 AND version = $2`, [model.name, replaced]);
    });
    droppedOld = true;
  }
  return { replaced, tailEvents: tail, droppedOld };
}
