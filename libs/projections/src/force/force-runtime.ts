import type { DataSource, EntityManager } from 'typeorm';
import type { ForceCode, RecordedEvent } from '#contracts';
import type { EventStore } from '#event-store';
import type { ConsumedRecord } from '#messaging';
import { buildTables, loadBuilds, recordBuildProgress, type Build } from '../builds.js';
import type { ReadModel } from '../read-model.js';
import { deadLetterEvent } from './dead-letter-records.js';
import { queryPrepared } from '../prepared-query.js';

/**
 * What the parts of one force's projection runtime share (ADR 0005, ADR 0013): the force, its schema and
 * database, its topic, its read models, the event store it rebuilds from and the advisory-lock key that orders
 * live batches (shared) against a hand-over (exclusive).
 */
export interface ForceRuntime {
  readonly force: ForceCode;
  readonly schema: string;
  readonly topic: string;
  readonly dataSource: DataSource;
  readonly readModels: ReadonlyMap<string, ReadModel>;
  readonly lockKey: string;
  readonly store?: EventStore;
}

/** A read model's `apply` threw: the batch is then applied event by event to isolate the poison one. */
export class ReadModelApplyError extends Error {
  override readonly name = 'ReadModelApplyError';
  constructor(
    readonly readModel: string,
    override readonly cause: unknown,
  ) {
    super(`read model ${readModel}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A record no read model can take, and why (with the event when it decoded as this force's). */
export interface Poison {
  readonly record: ConsumedRecord;
  readonly reason: string;
  readonly event?: RecordedEvent;
}

/** An event to apply and, when it came from Kafka, the record it came in. */
export interface Incoming {
  readonly event: RecordedEvent;
  readonly record?: ConsumedRecord;
}

/** For reads that only look (lag, the hand-over's tail): an event the store cannot read is the tail's or the rebuild's to record. */
export const passOver = (): Promise<void> => Promise.resolve();

/** A transaction of the live path: shared lock (a hand-over waits for it), then the live builds as they are now. */
export function liveTransaction<T>(rt: ForceRuntime, work: (em: EntityManager, builds: readonly Build[]) => Promise<T>): Promise<T> {
  return rt.dataSource.transaction(async (em) => {
    await queryPrepared(em, 'SELECT pg_advisory_xact_lock_shared(hashtext($1))', [rt.lockKey]);
    const builds = await loadBuilds(em, rt.schema, `status = 'live'`);
    // A build made by another code version of its read model is frozen until its rebuild switches.
    return work(
      em,
      builds.filter((b) => rt.readModels.get(b.readModel)?.version === b.codeVersion),
    );
  });
}

/**
 * Applies events of the read model's types to one build. Not isolating: an error becomes a ReadModelApplyError
 * (the caller rolls back and isolates). Isolating: event by event behind a savepoint, failures dead-lettered.
 */
export async function applyToBuild(
  rt: ForceRuntime,
  em: EntityManager,
  model: ReadModel,
  version: number,
  incoming: readonly Incoming[],
  isolate: boolean,
  /** A rebuild's history batch into its own build (ADR 0044): new rows by COPY. */
  bulk = false,
): Promise<void> {
  const relevant = incoming.filter((i) => model.eventTypes.has(i.event.type));
  if (relevant.length === 0) return;
  const tables = buildTables(rt.schema, version, bulk && !isolate);
  if (!isolate) {
    try {
      await model.apply(
        em,
        tables,
        relevant.map((i) => i.event),
      );
    } catch (error) {
      throw new ReadModelApplyError(model.name, error);
    }
    return;
  }
  for (const one of relevant) {
    await em.query('SAVEPOINT read_model_apply');
    try {
      await model.apply(em, tables, [one.event]);
      await em.query('RELEASE SAVEPOINT read_model_apply');
    } catch (error) {
      await em.query('ROLLBACK TO SAVEPOINT read_model_apply');
      await deadLetterEvent(em, rt.schema, model.name, version, one, error instanceof Error ? error.message : String(error));
    }
  }
}

export function recordProgress(
  rt: ForceRuntime,
  em: EntityManager,
  builds: readonly Pick<Build, 'readModel' | 'version'>[],
  events: readonly RecordedEvent[],
  /** The Kafka partition the events came from (the live path; see recordBuildProgress). */
  partition?: number,
): Promise<void> {
  return recordBuildProgress(em, rt.schema, builds, events, 0n, partition);
}

export async function liveBuild(rt: ForceRuntime, name: string): Promise<Build> {
  const [live] = await loadBuilds(rt.dataSource.manager, rt.schema, `read_model = $1 AND status = 'live'`, [name]);
  if (!live) throw new UnknownReadModelError(name);
  return live;
}

export class UnknownReadModelError extends Error {
  override readonly name = 'UnknownReadModelError';
  constructor(readonly readModel: string) {
    super(`no read model ${readModel} (or no live build of it)`);
  }
}

export class RebuildRunningError extends Error {
  override readonly name = 'RebuildRunningError';
  constructor(readonly readModel: string) {
    super(`a rebuild of ${readModel} is already running`);
  }
}

export class DeadLetterNotFoundError extends Error {
  override readonly name = 'DeadLetterNotFoundError';
  constructor(readonly id: string) {
    super(`no unresolved dead letter ${id}`);
  }
}
