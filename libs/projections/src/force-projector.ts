import { DataSource, IsNull, type EntityManager } from 'typeorm';
import {
  forceIdentifier,
  forceTopic,
  fromKafkaRecord,
  UndecodableRecordError,
  validateEvent,
  type ForceCode,
  type RecordedEvent,
} from '#contracts';
import { idle, migrateSchema, UndecodableEventError, type EventStore, type LoopState } from '#event-store';
import { relayRecordOf, type ConsumedRecord, type MessageBus, type RunningConsumer } from '#messaging';
import {
  assertReadModel,
  buildTables,
  contentHash,
  dropBuildTables,
  eventFromJson,
  eventToJson,
  lagRecord,
  loadBuilds,
  pointViews,
  recordBuildProgress,
  storeEventsFor,
  type Build,
  type ReadModelLag,
} from './builds.js';
import { CaseSummary } from './cases/case-summary.entity.js';
import { caseSummariesReadModel } from './cases/case-summaries.read-model.js';
import { FORCE_READ_MODEL_MIGRATIONS } from './migrations.js';
import { DeadLetter, ProcessedEvent } from './processed-event.entity.js';
import type { ReadModel } from './read-model.js';

export interface ForceProjectorOptions {
  readonly databaseUrl: string;
  readonly force: ForceCode;
  /** Defaults to `force_<code>`; tests use a unique one. */
  readonly schema?: string;
  readonly topicPrefix?: string;
  readonly groupPrefix?: string;
  /** The read models this runtime keeps (default: the case summaries). */
  readonly readModels?: readonly ReadModel[];
  /** The event store (upcasting reads): needed to rebuild from history, to measure lag and for a first build. */
  readonly store?: EventStore;
  /** Rebuild at start a read model that has no build yet (history exists) or whose code version changed (default true with a store). */
  readonly autoRebuild?: boolean;
  /** Connections to the force's database (default 7: one per partition consumed at once, plus queries). */
  readonly poolSize?: number;
  /** The consumer's state, for readiness (ADR 0021). */
  readonly onLoopState?: (state: LoopState) => void;
}

export function forceSchema(force: ForceCode, prefix = 'force_'): string {
  return `${prefix}${forceIdentifier(force)}`;
}

/** A read model's `apply` threw: the batch is then applied event by event to isolate the poison one. */
class ReadModelApplyError extends Error {
  override readonly name = 'ReadModelApplyError';
  constructor(
    readonly readModel: string,
    override readonly cause: unknown,
  ) {
    super(`read model ${readModel}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A record no read model can take, and why (with the event when it decoded as this force's). */
interface Poison {
  readonly record: ConsumedRecord;
  readonly reason: string;
  readonly event?: RecordedEvent;
}

/** An event to apply and, when it came from Kafka, the record it came in. */
interface Incoming {
  readonly event: RecordedEvent;
  readonly record?: ConsumedRecord;
}

export interface RebuildOptions {
  /** Events per transaction while reading history (default 5000). */
  readonly batchSize?: number;
  /** Drop the replaced build's tables after the switch (default true). */
  readonly dropOld?: boolean;
  /** How long to wait for the live consumer to reach the rebuild's position before the hand-over (default 120 s). */
  readonly handOverTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called after every history batch (events read so far). */
  readonly onProgress?: (events: number, position: bigint) => void;
  /** Stop once the history is read, before the hand-over (the build stays `building`): the bench measures this. */
  readonly stopBeforeHandOver?: boolean;
}

export interface RebuildResult {
  readonly readModel: string;
  readonly version: number;
  readonly replaced: number | null;
  /** Events read from the store's history (up to the hand-over position). */
  readonly historyEvents: number;
  /** Events the live consumer had applied past that position, applied to the new build at the hand-over. */
  readonly tailEvents: number;
  readonly handOverPosition: bigint;
  readonly droppedOld: boolean;
}

export interface RetryOutcome {
  readonly id: string;
  readonly resolved: boolean;
  readonly reason?: string;
}

const DEFAULT_READ_MODELS: readonly ReadModel[] = [caseSummariesReadModel];

/** For reads that only look (lag, the hand-over's tail): an event the store cannot read is the tail's or the rebuild's to record. */
const passOver = (): Promise<void> => Promise.resolve();

/** Chunks of `size` from `source`, the next chunk being read while the consumer works on the current one. */
async function* readAhead<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
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

/**
 * One force's checkpointed projection runtime: one consumer group on the force's topic, writing only the
 * force's own schema, keeping a list of read models (ADR 0005, ADR 0013).
 *
 * * Each batch of records is decoded and validated (poison records go to `dead_letters`), de-duplicated on
 *   (stream id, revision) against the `processed_events` ledger, and applied in ONE transaction to the live
 *   build of every read model, whose progress (position, event time, count) is recorded in `projection_builds`.
 * * A read model's `apply` that throws makes the runtime retry the batch event by event, each read model
 *   behind a savepoint: the failing (event, read model) goes to `dead_letters`, everything else commits.
 * * A read model is rebuilt from the event store's history into a new build `<base>_v<N+1>` while the live build
 *   keeps serving and taking live events; the hand-over (under an exclusive advisory lock that live batches take
 *   shared) applies the tail the live consumer had taken past the rebuild's position and re-points the views.
 */
export class ForceProjector {
  readonly schema: string;
  readonly topic: string;
  readonly groupId: string;
  readonly readModels: ReadonlyMap<string, ReadModel>;
  private consumer?: RunningConsumer;
  private readonly lockKey: string;
  private readonly rebuilding = new Map<string, Promise<RebuildResult>>();
  private readonly background = new AbortController();

  private constructor(
    readonly force: ForceCode,
    private readonly dataSource: DataSource,
    schema: string,
    private readonly options: ForceProjectorOptions,
  ) {
    this.schema = schema;
    this.topic = forceTopic(force, options.topicPrefix);
    this.groupId = `${options.groupPrefix ?? `${options.topicPrefix ?? 'nom'}.projector`}.${force}`;
    this.readModels = new Map((options.readModels ?? DEFAULT_READ_MODELS).map((m) => [m.name, m]));
    this.lockKey = `nom-projection:${schema}`;
  }

  static async open(options: ForceProjectorOptions): Promise<ForceProjector> {
    const schema = options.schema ?? forceSchema(options.force);
    const models = options.readModels ?? DEFAULT_READ_MODELS;
    for (const model of models) assertReadModel(model);
    if (new Set(models.map((m) => m.name)).size !== models.length) throw new Error('read model names must be unique');
    await migrateSchema(options.databaseUrl, schema, FORCE_READ_MODEL_MIGRATIONS);
    const dataSource = new DataSource({
      type: 'postgres',
      url: options.databaseUrl,
      schema,
      entities: [CaseSummary, ProcessedEvent, DeadLetter],
      logging: false,
      // One connection per partition consumed at once (KafkaMessageBus: 3), plus queries and a rebuild.
      extra: { max: options.poolSize ?? 7 },
    });
    await dataSource.initialize();
    const projector = new ForceProjector(options.force, dataSource, schema, options);
    await projector.ensureBuilds();
    return projector;
  }

  /** Read models with no live build (or a live build of another code version) that a rebuild must make. */
  private readonly pendingRebuilds = new Set<string>();

  /**
   * Every read model gets a live build: a new force (empty ledger) starts one at once; a read model added to a
   * force with history (or without a store) is built from the store by a rebuild; a live build of another code
   * version is frozen and rebuilt.
   */
  private async ensureBuilds(): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      const builds = await loadBuilds(em, this.schema, `status IN ('live', 'building')`);
      const [{ any }] = await em.query<[{ any: boolean }]>(`SELECT EXISTS (SELECT 1 FROM ${this.schema}.processed_events) AS any`);
      for (const model of this.readModels.values()) {
        const live = builds.find((b) => b.readModel === model.name && b.status === 'live');
        const building = builds.find((b) => b.readModel === model.name && b.status === 'building');
        if (live) {
          if (live.codeVersion === model.version) {
            for (const ddl of model.createTables(buildTables(this.schema, live.version))) await em.query(ddl);
          } else {
            this.pendingRebuilds.add(model.name);
          }
        } else if (building || (any && this.options.store)) {
          this.pendingRebuilds.add(model.name);
        } else {
          // Nothing projected yet in this force (or no store to read history from): start live at once.
          const version = await this.nextVersion(em, model);
          for (const ddl of model.createTables(buildTables(this.schema, version))) await em.query(ddl);
          await em.query(
            `INSERT INTO ${this.schema}.projection_builds (read_model, version, code_version, status, switched_at) VALUES ($1, $2, $3, 'live', now())`,
            [model.name, version, model.version],
          );
          await pointViews(em, this.schema, model, version);
        }
      }
    });
  }

  private async nextVersion(em: EntityManager, model: ReadModel): Promise<number> {
    const [{ max }] = await em.query<[{ max: number | null }]>(`SELECT max(version) AS max FROM ${this.schema}.projection_builds WHERE read_model = $1`, [model.name]);
    return Math.max((max ?? 0) + 1, model.version);
  }

  async start(bus: MessageBus): Promise<void> {
    await bus.ensureTopics([this.topic]);
    this.consumer = await bus.consume({
      topic: this.topic,
      groupId: this.groupId,
      name: `projector:${this.force}`,
      handleBatch: (r) => this.handleRecords(r),
      ...(this.options.onLoopState ? { onState: this.options.onLoopState } : {}),
    });
    if (this.options.store && this.options.autoRebuild !== false && this.pendingRebuilds.size > 0) {
      // One at a time: each reads the force's whole history.
      const names = [...this.pendingRebuilds];
      void (async () => {
        for (const name of names) {
          if (this.background.signal.aborted) return;
          await this.rebuild(name, { handOverTimeoutMs: 3_600_000 }).catch(() => undefined);
        }
      })();
    }
  }

  /**
   * Decodes a record; a poison one (undecodable, another force's, invalid) comes back as a reason instead, with
   * the event when it could be decoded and is this force's (its position then counts as taken by the live path).
   */
  private decode(record: ConsumedRecord): RecordedEvent | Poison {
    try {
      const event = fromKafkaRecord(record);
      if (event.metadata.force !== this.force) return { record, reason: `event of force ${event.metadata.force} on ${this.force}'s topic` };
      const violations = validateEvent(event, { personalFieldsProtected: true });
      if (violations.length > 0) return { record, reason: `invalid event: ${violations.map((v) => `${v.field} ${v.reason}`).join('; ')}`, event };
      return event;
    } catch (error) {
      if (error instanceof UndecodableRecordError) return { record, reason: error.message };
      throw error;
    }
  }

  /**
   * Applies a batch of Kafka records in one transaction: poison records to the dead-letter table, the rest
   * through every live build, each (stream id, revision) at most once. If a read model's apply throws, the
   * batch is applied again event by event so that only the failing (event, read model) is dead-lettered.
   */
  async handleRecords(records: readonly ConsumedRecord[]): Promise<void> {
    const incoming: Incoming[] = [];
    const poison: Poison[] = [];
    for (const record of records) {
      const decoded = this.decode(record);
      if ('reason' in decoded) poison.push(decoded);
      else incoming.push({ event: decoded, record });
    }
    await this.applyIncoming(incoming, poison);
  }

  /** Applies events (one transaction); returns how many were new. Redelivered events change nothing. */
  async apply(events: readonly RecordedEvent[]): Promise<number> {
    return this.applyIncoming(events.map((event) => ({ event })), []);
  }

  private async applyIncoming(incoming: readonly Incoming[], poison: readonly Poison[]): Promise<number> {
    try {
      return await this.liveTransaction(async (em, builds) => {
        if (poison.length > 0) await this.deadLetterRecords(em, poison);
        return this.claimAndApply(em, builds, incoming, false);
      });
    } catch (error) {
      if (!(error instanceof ReadModelApplyError)) throw error;
      // Isolate the poison event: one transaction per event, each read model behind a savepoint.
      let applied = 0;
      if (poison.length > 0) await this.liveTransaction((em) => this.deadLetterRecords(em, poison));
      for (const one of incoming) applied += await this.liveTransaction((em, builds) => this.claimAndApply(em, builds, [one], true));
      return applied;
    }
  }

  /** A transaction of the live path: shared lock (a hand-over waits for it), then the live builds as they are now. */
  private liveTransaction<T>(work: (em: EntityManager, builds: readonly Build[]) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [this.lockKey]);
      const builds = await loadBuilds(em, this.schema, `status = 'live'`);
      // A build made by another code version of its read model is frozen until its rebuild switches.
      return work(em, builds.filter((b) => this.readModels.get(b.readModel)?.version === b.codeVersion));
    });
  }

  private async claimAndApply(em: EntityManager, builds: readonly Build[], incoming: readonly Incoming[], isolate: boolean): Promise<number> {
    if (incoming.length === 0) return 0;
    const claimed: { stream_id: string; revision: string }[] = await em.query(
      `INSERT INTO ${this.schema}.processed_events (stream_id, revision, position)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
       ON CONFLICT DO NOTHING RETURNING stream_id, revision`,
      [incoming.map((i) => i.event.streamId), incoming.map((i) => i.event.revision.toString()), incoming.map((i) => i.event.position.toString())],
    );
    // `fresh` holds each newly claimed (stream, revision) once; a batch can carry the same event twice
    // (a relay re-send right behind the original), so take each claimed key once, in delivery order.
    const fresh = new Set(claimed.map((c) => `${c.stream_id}@${c.revision}`));
    const toApply = incoming.filter((i) => fresh.delete(`${i.event.streamId}@${i.event.revision.toString()}`));
    if (toApply.length === 0) return 0;
    for (const build of builds) {
      const model = this.readModels.get(build.readModel)!;
      await this.applyToBuild(em, model, build.version, toApply, isolate);
    }
    await this.recordProgress(em, builds, toApply.map((i) => i.event));
    return toApply.length;
  }

  /**
   * Applies events of the read model's types to one build. Not isolating: an error becomes a ReadModelApplyError
   * (the caller rolls back and isolates). Isolating: event by event behind a savepoint, failures dead-lettered.
   */
  private async applyToBuild(em: EntityManager, model: ReadModel, version: number, incoming: readonly Incoming[], isolate: boolean): Promise<void> {
    const relevant = incoming.filter((i) => model.eventTypes.has(i.event.type));
    if (relevant.length === 0) return;
    const tables = buildTables(this.schema, version);
    if (!isolate) {
      try {
        await model.apply(em, tables, relevant.map((i) => i.event));
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
        await this.deadLetterEvent(em, model.name, version, one, error instanceof Error ? error.message : String(error));
      }
    }
  }

  private recordProgress(em: EntityManager, builds: readonly Build[], events: readonly RecordedEvent[]): Promise<void> {
    return recordBuildProgress(em, this.schema, builds, events);
  }

  private async deadLetterRecords(em: EntityManager, poison: readonly Poison[]): Promise<void> {
    for (const { record, reason, event } of poison) {
      const headers = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, v?.toString() ?? '']));
      await em.query(
        `INSERT INTO ${this.schema}.dead_letters (topic, partition, "offset", event_id, reason, headers, value, stream_id, revision, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
        [
          record.topic, record.partition, record.offset, headers['ce_id'] ?? null, reason, JSON.stringify(headers), record.value?.toString('utf8') ?? null,
          event?.streamId ?? null, event?.revision.toString() ?? null, event?.position.toString() ?? null,
        ],
      );
    }
  }

  /** The events of a history chunk the relay publishes (the live path's events); the others go to `refused`. */
  private async publishedOnly(
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

  /** An event of the history a rebuild could not read from the store, recorded against the build it was rebuilding. */
  private async deadLetterUndecodable(readModel: string, version: number, failure: UndecodableEventError): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${this.schema}.dead_letters (event_id, reason, read_model, build_version, stream_id, revision, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        failure.eventId, `${failure.stage}: ${failure.reason}`, readModel, version,
        failure.streamId, failure.revision.toString(), failure.position.toString(),
      ],
    );
  }

  private async deadLetterEvent(em: EntityManager, readModel: string, version: number, one: Incoming, reason: string): Promise<void> {
    const { event, record } = one;
    const headers = record ? Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, v?.toString() ?? ''])) : null;
    await em.query(
      `INSERT INTO ${this.schema}.dead_letters
         (topic, partition, "offset", event_id, reason, headers, value, read_model, build_version, stream_id, revision, position, event)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT DO NOTHING`,
      [
        record?.topic ?? null,
        record?.partition ?? null,
        record?.offset ?? null,
        event.id,
        reason,
        headers ? JSON.stringify(headers) : null,
        record?.value?.toString('utf8') ?? null,
        readModel,
        version,
        event.streamId,
        event.revision.toString(),
        event.position.toString(),
        JSON.stringify(eventToJson(event)),
      ],
    );
  }

  // ---------------------------------------------------------------------------------------------------------
  // Rebuild

  /**
   * Rebuilds a read model from the event store's history into a new build and switches to it (see the class
   * comment). Resumes a build left `building` by an earlier run. One rebuild per read model at a time.
   */
  rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildResult> {
    const running = this.rebuilding.get(name);
    if (running) return running;
    // Closing the projector aborts its rebuilds (they resume from their position next time).
    const signal = options.signal ? AbortSignal.any([options.signal, this.background.signal]) : this.background.signal;
    const started = this.runRebuild(name, { ...options, signal }).finally(() => {
      this.rebuilding.delete(name);
      this.pendingRebuilds.delete(name);
    });
    this.rebuilding.set(name, started);
    return started;
  }

  private async runRebuild(name: string, options: RebuildOptions): Promise<RebuildResult> {
    const model = this.readModels.get(name);
    if (!model) throw new UnknownReadModelError(name);
    const store = this.options.store;
    if (!store) throw new Error('a rebuild needs the event store (ForceProjectorOptions.store)');
    const batchSize = options.batchSize ?? 5000;
    // A session lock held for the whole rebuild: another process's rebuild of the same read model waits its turn.
    const guard = this.dataSource.createQueryRunner();
    await guard.connect();
    try {
      const [{ locked }] = (await guard.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`${this.lockKey}:rebuild:${name}`])) as [{ locked: boolean }];
      if (!locked) throw new RebuildRunningError(name);
      try {
        const build = await this.startBuild(model);
        let position = build.appliedPosition;
        let events = build.appliedEvents;
        // An event of the history the store cannot read (undecodable, not upcastable) is recorded against this build
        // and passed; the relay never published it, so the live path never took it either.
        let skippedTo = position;
        const onUndecodable = async (failure: UndecodableEventError): Promise<void> => {
          await this.deadLetterUndecodable(model.name, build.version, failure);
          if (failure.position > skippedTo) skippedTo = failure.position;
        };
        // History: read the force's events from the store up to its head, in batches, each in one transaction.
        for (;;) {
          const head = await store.headPosition(this.force);
          if (position >= head) break;
          // The next batch is read while this one is applied (a rebuild costs the larger of the two, not their sum).
          const history = store.readAll({ force: this.force, fromPosition: position, batchSize, onUndecodable });
          for await (const chunk of readAhead(history, batchSize)) {
            const published = await this.publishedOnly(chunk, onUndecodable);
            await this.applyHistory(model, build.version, published);
            position = chunk[chunk.length - 1]!.position;
            events += published.length;
            options.onProgress?.(events, position);
            if (options.signal?.aborted) throw new Error('rebuild aborted');
          }
          if (skippedTo > position) position = skippedTo;
          // The read horizon may hold back events already committed (another session's open transaction).
          if (position < head) await idle(20, options.signal);
          if (options.signal?.aborted) throw new Error('rebuild aborted');
        }
        const historyEvents = events;
        if (options.stopBeforeHandOver) {
          return { readModel: name, version: build.version, replaced: null, historyEvents, tailEvents: 0, handOverPosition: position, droppedOld: false };
        }
        // Hand-over: the live consumer must have taken every event up to `position` first (it never applies an
        // event twice, and the new build must hold exactly what the live ledger says was applied).
        const deadline = Date.now() + (options.handOverTimeoutMs ?? 120_000);
        while ((await this.liveTakenUpTo(this.dataSource.manager, position)) < historyEvents) {
          if (Date.now() > deadline) {
            throw new Error(`rebuild of ${name}: the live consumer has not reached position ${position} (is the projector consuming?); the build stays 'building' and resumes on the next rebuild`);
          }
          if (options.signal?.aborted) throw new Error('rebuild aborted');
          await idle(25, options.signal);
        }
        const { replaced, tail } = await this.handOver(model, build.version, position, historyEvents, batchSize);
        let droppedOld = false;
        if (replaced !== null && options.dropOld !== false) {
          await this.dataSource.transaction(async (em) => {
            await dropBuildTables(em, this.schema, model, replaced);
            await em.query(`DELETE FROM ${this.schema}.projection_builds WHERE read_model = $1 AND version = $2`, [name, replaced]);
          });
          droppedOld = true;
        }
        return { readModel: name, version: build.version, replaced, historyEvents, tailEvents: tail, handOverPosition: position, droppedOld };
      } finally {
        await guard.query('SELECT pg_advisory_unlock(hashtext($1))', [`${this.lockKey}:rebuild:${name}`]);
      }
    } finally {
      await guard.release();
    }
  }

  /** The build a rebuild writes: the one left `building`, or a new version with fresh tables. */
  private async startBuild(model: ReadModel): Promise<Build> {
    return this.dataSource.transaction(async (em) => {
      const [existing] = await loadBuilds(em, this.schema, `read_model = $1 AND status = 'building'`, [model.name]);
      if (existing && existing.codeVersion === model.version) return existing;
      if (existing) {
        await dropBuildTables(em, this.schema, model, existing.version);
        await em.query(`DELETE FROM ${this.schema}.projection_builds WHERE read_model = $1 AND version = $2`, [model.name, existing.version]);
        await em.query(`DELETE FROM ${this.schema}.dead_letters WHERE read_model = $1 AND build_version = $2`, [model.name, existing.version]);
      }
      const version = await this.nextVersion(em, model);
      await dropBuildTables(em, this.schema, model, version);
      for (const ddl of model.createTables(buildTables(this.schema, version))) await em.query(ddl);
      await em.query(
        `INSERT INTO ${this.schema}.projection_builds (read_model, version, code_version, status) VALUES ($1, $2, $3, 'building')`,
        [model.name, version, model.version],
      );
      const [created] = await loadBuilds(em, this.schema, `read_model = $1 AND version = $2`, [model.name, version]);
      return created!;
    });
  }

  /**
   * One batch of history into the new build, with its progress, in one transaction. An event the live path would
   * refuse as invalid (and dead-letter for every read model) is skipped here too: both paths take the same events.
   */
  private async applyHistory(model: ReadModel, version: number, events: readonly RecordedEvent[]): Promise<void> {
    const incoming = storeEventsFor(model, events).map((event) => ({ event }));
    const build = { readModel: model.name, version } as Build;
    try {
      await this.dataSource.transaction(async (em) => {
        await this.applyToBuild(em, model, version, incoming, false);
        await this.recordProgress(em, [build], events);
      });
    } catch (error) {
      if (!(error instanceof ReadModelApplyError)) throw error;
      await this.dataSource.transaction(async (em) => {
        await this.applyToBuild(em, model, version, incoming, true);
        await this.recordProgress(em, [build], events);
      });
    }
  }

  /** Events the live consumer has taken (applied, or dead-lettered as poison) at positions up to `position`. */
  private async liveTakenUpTo(em: EntityManager, position: bigint): Promise<number> {
    const [{ n }] = await em.query<[{ n: string }]>(
      `SELECT (SELECT count(*) FROM ${this.schema}.processed_events WHERE position <= $1)
            + (SELECT count(DISTINCT (stream_id, revision)) FROM ${this.schema}.dead_letters WHERE read_model IS NULL AND position <= $1) AS n`,
      [position.toString()],
    );
    return Number(n);
  }

  /**
   * The switch, in one transaction under the exclusive lock (live batches wait): apply to the new build the
   * events the live consumer took past `position` (so that it holds exactly the ledger's events), mark it live,
   * retire the old build, re-point the views.
   */
  private async handOver(model: ReadModel, version: number, position: bigint, historyEvents: number, batchSize: number): Promise<{ replaced: number | null; tail: number }> {
    const store = this.options.store!;
    return this.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      const taken = await this.liveTakenUpTo(em, position);
      if (taken !== historyEvents) throw new Error(`hand-over of ${model.name}: the ledger holds ${taken} events up to ${position}, the history ${historyEvents}`);
      const tailKeys: { stream_id: string; revision: string }[] = await em.query(
        `SELECT stream_id, revision FROM ${this.schema}.processed_events WHERE position > $1`,
        [position.toString()],
      );
      const wanted = new Set(tailKeys.map((k) => `${k.stream_id}@${k.revision}`));
      const tail: RecordedEvent[] = [];
      if (wanted.size > 0) {
        for await (const event of store.readAll({ force: this.force, fromPosition: position, batchSize, onUndecodable: passOver })) {
          if (wanted.delete(`${event.streamId}@${event.revision.toString()}`)) tail.push(event);
          if (wanted.size === 0) break;
        }
        if (wanted.size > 0) throw new Error(`hand-over of ${model.name}: ${wanted.size} applied events not found in the store after ${position}`);
        for (let i = 0; i < tail.length; i += batchSize) {
          const slice = tail.slice(i, i + batchSize).map((event) => ({ event }));
          await this.applyToBuild(em, model, version, slice, true);
        }
      }
      const [{ total, top, at }] = await em.query<[{ total: string; top: string; at: Date | null }]>(
        `SELECT count(*) AS total, coalesce(max(position), 0) AS top,
                (SELECT applied_event_at FROM ${this.schema}.projection_builds WHERE read_model = $1 AND version = $2) AS at
         FROM ${this.schema}.processed_events`,
        [model.name, version],
      );
      const tailAt = tail.reduce<string | null>((m, e) => (m === null || e.recordedAt > m ? e.recordedAt : m), null);
      const [old] = await loadBuilds(em, this.schema, `read_model = $1 AND status = 'live'`, [model.name]);
      if (old) {
        await em.query(`UPDATE ${this.schema}.projection_builds SET status = 'retired', updated_at = now() WHERE read_model = $1 AND version = $2`, [model.name, old.version]);
        // Its failures are superseded by the new build's own.
        await em.query(`DELETE FROM ${this.schema}.dead_letters WHERE read_model = $1 AND build_version = $2 AND resolved_at IS NULL`, [model.name, old.version]);
      }
      const position2 = BigInt(top) > position ? BigInt(top) : position;
      await em.query(
        `UPDATE ${this.schema}.projection_builds
         SET status = 'live', applied_position = $3, applied_events = $4,
             applied_event_at = GREATEST(applied_event_at, $5::timestamptz), switched_at = now(), updated_at = now()
         WHERE read_model = $1 AND version = $2`,
        [model.name, version, position2.toString(), Number(total), tailAt ?? at?.toISOString() ?? null],
      );
      await pointViews(em, this.schema, model, version);
      return { replaced: old?.version ?? null, tail: tail.length };
    });
  }

  /** SHA-256 of a table of a read model's build (default: the live one), rows ordered by primary key. */
  async contentHash(name: string, table: string, options: { version?: number; exclude?: readonly string[] } = {}): Promise<{ rows: number; sha256: string }> {
    const version = options.version ?? (await this.liveBuild(name)).version;
    return contentHash(this.dataSource.manager, buildTables(this.schema, version).table(table), options.exclude);
  }

  async builds(): Promise<Build[]> {
    return loadBuilds(this.dataSource.manager, this.schema);
  }

  private async liveBuild(name: string): Promise<Build> {
    const [live] = await loadBuilds(this.dataSource.manager, this.schema, `read_model = $1 AND status = 'live'`, [name]);
    if (!live) throw new UnknownReadModelError(name);
    return live;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Lag

  /**
   * How far each read model's builds (live and building) are behind the force's log: events the store holds for
   * the force that the build has not taken in, and for how long the oldest of them has waited (0 when none).
   */
  async lag(now: Date = new Date()): Promise<ReadModelLag[]> {
    const store = this.options.store;
    if (!store) throw new Error('projection lag needs the event store (ForceProjectorOptions.store)');
    const builds = await loadBuilds(this.dataSource.manager, this.schema, `status IN ('live', 'building')`);
    const [head, total] = await Promise.all([store.headPosition(this.force), store.countEvents({ force: this.force })]);
    const out: ReadModelLag[] = [];
    for (const build of builds) {
      const eventsBehind = Math.max(0, total - build.appliedEvents);
      let oldest: string | null = null;
      if (eventsBehind > 0) {
        const next = store.readAll({ force: this.force, fromPosition: build.appliedPosition, maxCount: 1, onUndecodable: passOver });
        for await (const event of next) oldest = event.recordedAt;
      }
      const since = eventsBehind > 0 ? (oldest ?? build.appliedEventAt) : null;
      out.push(lagRecord(build, this.readModels.get(build.readModel)?.version !== build.codeVersion, head, eventsBehind, since, now));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Dead letters

  /** Unresolved dead letters, oldest first. */
  deadLetters(): Promise<DeadLetter[]> {
    return this.dataSource.getRepository(DeadLetter).find({ where: { resolvedAt: IsNull() }, order: { failedAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Retries a dead letter through the current code: a poison record is decoded and validated again, then applied
   * like a live record (to every live build); a read model's failure is applied again to that read model's live
   * build only. Success marks it resolved; failure keeps it, with the new reason.
   */
  async retryDeadLetter(id: string): Promise<RetryOutcome> {
    const letter = /^[0-9]{1,18}$/.test(id) ? await this.dataSource.getRepository(DeadLetter).findOne({ where: { id, resolvedAt: IsNull() } }) : null;
    if (!letter) throw new DeadLetterNotFoundError(id);
    const fail = async (reason: string): Promise<RetryOutcome> => {
      await this.dataSource.query(`UPDATE ${this.schema}.dead_letters SET reason = $2, attempts = attempts + 1, failed_at = now() WHERE id = $1`, [id, reason]);
      return { id, resolved: false, reason };
    };
    const resolve = (em: EntityManager): Promise<unknown> => em.query(`UPDATE ${this.schema}.dead_letters SET resolved_at = now(), attempts = attempts + 1 WHERE id = $1`, [id]);
    if (letter.readModel === null) {
      const record: ConsumedRecord = {
        topic: letter.topic ?? this.topic,
        partition: letter.partition ?? 0,
        offset: letter.offset ?? '0',
        key: null,
        value: letter.value === null ? null : Buffer.from(letter.value, 'utf8'),
        headers: letter.headers ?? {},
      };
      const decoded = this.decode(record);
      if ('reason' in decoded) return fail(decoded.reason);
      try {
        await this.liveTransaction(async (em, builds) => {
          await this.claimAndApply(em, builds, [{ event: decoded, record }], false);
          await resolve(em);
        });
      } catch (error) {
        if (!(error instanceof ReadModelApplyError)) throw error;
        return fail(error.message);
      }
      return { id, resolved: true };
    }
    const model = this.readModels.get(letter.readModel);
    if (!model || !letter.event) return fail(`read model ${letter.readModel} is not run by this projector`);
    const event = eventFromJson(letter.event);
    try {
      await this.liveTransaction(async (em, builds) => {
        const build = builds.find((b) => b.readModel === model.name);
        if (!build) throw new Error(`read model ${model.name} has no live build`);
        await this.applyToBuild(em, model, build.version, [{ event }], false);
        await resolve(em);
      });
    } catch (error) {
      return fail(error instanceof ReadModelApplyError ? error.message : (error as Error).message);
    }
    return { id, resolved: true };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Queries (the case summaries; other read models query their views `<schema>.<base>` the same way)

  listCases(options: { status?: string; limit?: number; offset?: number } = {}): Promise<CaseSummary[]> {
    return this.dataSource.getRepository(CaseSummary).find({
      where: options.status ? { status: options.status as CaseSummary['status'] } : {},
      order: { recordedAt: 'DESC', caseId: 'ASC' },
      take: Math.min(options.limit ?? 50, 500),
      skip: options.offset ?? 0,
    });
  }

  getCase(caseId: string): Promise<CaseSummary | null> {
    return this.dataSource.getRepository(CaseSummary).findOne({ where: { caseId } });
  }

  /** The force's database, for read models' own queries (their views live in `schema`). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async processedCount(): Promise<number> {
    return this.dataSource.getRepository(ProcessedEvent).count();
  }

  async close(): Promise<void> {
    this.background.abort();
    await this.consumer?.stop();
    await Promise.allSettled([...this.rebuilding.values()]);
    await this.dataSource.destroy();
  }
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
