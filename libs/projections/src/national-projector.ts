import { DataSource, type EntityManager } from 'typeorm';
import { validateEvent, type RecordedEvent } from '#contracts';
import {
  idle,
  isTransientError,
  migrateSchema,
  ReaderDeadLetters,
  superviseLoop,
  type DeadLetterStore,
  type EventStore,
  type SuperviseOptions,
} from '#event-store';
import {
  assertReadModel,
  buildTables,
  contentHash,
  dropBuildTables,
  lagRecord,
  loadBuilds,
  pointViews,
  recordBuildProgress,
  storeEventsFor,
  type Build,
  type ReadModelLag,
} from './builds.js';
import { NATIONAL_READ_MODEL_MIGRATIONS } from './migrations.js';
import type { ReadModel } from './read-model.js';
import { queryPrepared } from './prepared-query.js';
import { NATIONAL_READ_MODELS, nationalSchema } from './read-models/index.js';

export interface NationalProjectorOptions {
  readonly databaseUrl: string;
  /**
   * The event store's log as stored (upcast, personal fields still encrypted: the platform's `logStore`). National
   * read models hold no personal field, and events are validated with personal fields protected, as the force
   * runtime does.
   */
  readonly store: EventStore & DeadLetterStore;
  /** Defaults to `nationalSchema()` (`force_national`); the platform passes `nationalSchema(prefix)`. */
  readonly schema?: string;
  /** Default: NATIONAL_READ_MODELS. */
  readonly readModels?: readonly ReadModel[];
  /** Events per batch (one transaction each, default 2000). */
  readonly batchSize?: number;
  /** How long to wait before polling the log again once a read came back empty (default 200 ms). */
  readonly idlePollMs?: number;
  /** Called when a batch fails (the tail retries it after a pause). */
  readonly onError?: (error: unknown) => void;
  /** Its name in the log's reader dead letters (default `national-projector`). */
  readonly name?: string;
}

/**
 * The national projection runtime (ADR 0013, "National read models"): ONE checkpointed tail of the event store's
 * global log (every force's events, and the platform's), applying the national read models in the national
 * schema. Each batch is applied, in one transaction, to every active build together with the build's progress
 * (`projection_builds.applied_position`, the checkpoint), so a crash mid-batch leaves nothing behind and a
 * restart resumes after the last committed position: exactly once. The log is read in position order and the
 * store never returns an event that could later commit below one already returned, so the position is the
 * whole exactly-once key (no ledger, unlike a force runtime fed by Kafka's at-least-once delivery).
 *
 * Tables are versioned builds behind views, like a force's (builds.ts). A read model with no live build of its
 * code version gets a new build (`building`) that the same tail fills from position 0 beside the live one (each
 * build takes only events past its own position); once it has reached the live build's position it is switched
 * to (views re-pointed, old build dropped) in the batch's transaction. Several processes may run the tail: a
 * batch takes an exclusive advisory lock and re-reads the builds' positions, so a batch another process already
 * committed changes nothing.
 */
export class NationalProjector {
  readonly schema: string;
  readonly readModels: ReadonlyMap<string, ReadModel>;
  private readonly lockKey: string;
  private readonly background = new AbortController();
  private tail?: Promise<void>;
  /**
   * Events it cannot take (undecodable, not upcastable, invalid, or a read model's apply failed), recorded in the
   * log's reader dead letters and passed: one event never stops the national read models.
   */
  readonly deadLetters: ReaderDeadLetters;

  private constructor(
    private readonly dataSource: DataSource,
    schema: string,
    private readonly options: NationalProjectorOptions,
  ) {
    this.schema = schema;
    this.deadLetters = new ReaderDeadLetters(options.store, options.name ?? 'national-projector');
    this.readModels = new Map((options.readModels ?? NATIONAL_READ_MODELS).map((m) => [m.name, m]));
    this.lockKey = `nom-projection:${schema}`;
  }

  static async open(options: NationalProjectorOptions): Promise<NationalProjector> {
    const schema = options.schema ?? nationalSchema();
    const models = options.readModels ?? NATIONAL_READ_MODELS;
    for (const model of models) assertReadModel(model);
    if (new Set(models.map((m) => m.name)).size !== models.length) throw new Error('read model names must be unique');
    await migrateSchema(options.databaseUrl, schema, NATIONAL_READ_MODEL_MIGRATIONS);
    const dataSource = new DataSource({ type: 'postgres', url: options.databaseUrl, schema, logging: false, extra: { max: 3 } });
    await dataSource.initialize();
    const projector = new NationalProjector(dataSource, schema, options);
    await projector.ensureBuilds();
    return projector;
  }

  /**
   * Every read model gets an active build of its code version: a `live` one if the read model is new (nothing to
   * replace, its tables fill from position 0 while served), else a `building` one beside the live build of another
   * code version. Tables of active builds are (re)created idempotently.
   */
  private async ensureBuilds(): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      const builds = await loadBuilds(em, this.schema, `status IN ('live', 'building')`);
      for (const model of this.readModels.values()) {
        const live = builds.find((b) => b.readModel === model.name && b.status === 'live');
        const building = builds.find((b) => b.readModel === model.name && b.status === 'building');
        if (building && building.codeVersion !== model.version) {
          await dropBuildTables(em, this.schema, model, building.version);
          await em.query(`DELETE FROM ${this.schema}.projection_builds WHERE read_model = $1 AND version = $2`, [
            model.name,
            building.version,
          ]);
        }
        const current = [live, building].find((b) => b?.codeVersion === model.version);
        if (current) {
          for (const ddl of model.createTables(buildTables(this.schema, current.version))) await em.query(ddl);
          continue;
        }
        const [{ max }] = await em.query<[{ max: number | null }]>(
          `SELECT max(version) AS max FROM ${this.schema}.projection_builds WHERE read_model = $1`,
          [model.name],
        );
        const version = Math.max((max ?? 0) + 1, model.version);
        await dropBuildTables(em, this.schema, model, version);
        for (const ddl of model.createTables(buildTables(this.schema, version))) await em.query(ddl);
        await em.query(
          `INSERT INTO ${this.schema}.projection_builds (read_model, version, code_version, status, switched_at) VALUES ($1, $2, $3, $4, ${live ? 'NULL' : 'now()'})`,
          [model.name, version, model.version, live ? 'building' : 'live'],
        );
        if (!live) await pointViews(em, this.schema, model, version);
      }
    });
  }

  /** Active builds this code runs (a live build of another code version is frozen until its replacement switches). */
  private async activeBuilds(em: EntityManager): Promise<Build[]> {
    const builds = await loadBuilds(em, this.schema, `status IN ('live', 'building')`);
    return builds.filter((b) => this.readModels.get(b.readModel)?.version === b.codeVersion);
  }

  /**
   * Starts the tail in the background (until `close`), under `superviseLoop` (ADR 0021): a failed batch is
   * retried with backoff from the builds' positions, and `supervision.onState` reports the tail's readiness.
   */
  start(supervision: Pick<SuperviseOptions, 'backoff' | 'onState' | 'onError'> = {}): void {
    if (this.tail) return;
    const signal = this.background.signal;
    const onError = supervision.onError ?? ((error: unknown) => this.options.onError?.(error));
    this.tail = superviseLoop(
      'national-projector',
      async (loop) => {
        while (!signal.aborted) {
          const applied = await this.step();
          loop.healthy();
          if (applied === 0) await idle(this.options.idlePollMs ?? 200, signal);
        }
      },
      { ...supervision, signal, onError },
    );
  }

  /**
   * One batch: reads the log after the lowest position of the active builds, and applies it in one transaction.
   * Returns how many events it read (0: nothing visible past the checkpoint yet, which does not mean caught up).
   */
  async step(): Promise<number> {
    const builds = await this.activeBuilds(this.dataSource.manager);
    if (builds.length === 0) return 0;
    const from = builds.reduce((m, b) => (b.appliedPosition < m ? b.appliedPosition : m), builds[0]!.appliedPosition);
    const batchSize = this.options.batchSize ?? 2000;
    const events: RecordedEvent[] = [];
    this.deadLetters.startBatch();
    const isolatedBefore = this.deadLetters.recorded;
    const read = { fromPosition: from, batchSize, maxCount: batchSize, onUndecodable: this.deadLetters.onUndecodable };
    for await (const event of this.options.store.readAll(read)) {
      // An event the live force runtimes would refuse as invalid is refused here too, and recorded.
      const violations = this.readModelTypes.has(event.type) ? validateEvent(event, { personalFieldsProtected: true }) : [];
      if (violations.length === 0) events.push(event);
      else {
        const reason = violations.map((v) => `${v.field} ${v.reason}`).join('; ');
        await this.deadLetters.isolate(event, 'apply', new Error(`invalid event: ${reason}`));
      }
    }
    const reached = this.deadLetters.reached(events.at(-1)?.position);
    if (reached === undefined) return 0;
    await this.applyBatch(events, reached);
    return events.length + this.deadLetters.recorded - isolatedBefore;
  }

  private get readModelTypes(): ReadonlySet<string> {
    return new Set([...this.readModels.values()].flatMap((m) => [...m.eventTypes]));
  }

  /** Applies a batch read from the log (position order) to every active build past its own position, with the checkpoints. */
  private async applyBatch(events: readonly RecordedEvent[], reached: bigint): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await queryPrepared(em, 'SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      // Re-read under the lock: another process may have committed this batch already.
      const builds = await this.activeBuilds(em);
      for (const build of builds) {
        const model = this.readModels.get(build.readModel)!;
        if (reached <= build.appliedPosition) continue;
        const fresh = events.filter((e) => e.position > build.appliedPosition);
        const mine = storeEventsFor(model, fresh);
        if (mine.length > 0) await this.applyIsolating(em, model, build.version, mine);
        await recordBuildProgress(em, this.schema, [build], fresh, reached);
      }
      await switchCaughtUpBuilds(em, this.schema, this.readModels);
    });
  }

  /**
   * Applies a read model's events in one go; if that fails for a fault of the data, event by event behind a
   * savepoint, recording each event that fails as a dead letter (a transient fault rolls the batch back: retried).
   */
  private async applyIsolating(em: EntityManager, model: ReadModel, version: number, events: readonly RecordedEvent[]): Promise<void> {
    const tables = buildTables(this.schema, version);
    await em.query('SAVEPOINT national_batch');
    try {
      await model.apply(em, tables, events);
      await em.query('RELEASE SAVEPOINT national_batch');
      return;
    } catch (error) {
      if (isTransientError(error)) throw error;
      await em.query('ROLLBACK TO SAVEPOINT national_batch');
    }
    for (const event of events) {
      await em.query('SAVEPOINT national_event');
      try {
        await model.apply(em, tables, [event]);
        await em.query('RELEASE SAVEPOINT national_event');
      } catch (error) {
        if (isTransientError(error)) throw error;
        await em.query('ROLLBACK TO SAVEPOINT national_event');
        const reason = error instanceof Error ? error.message : String(error);
        await this.deadLetters.isolate(event, 'apply', new Error(`read model ${model.name}: ${reason}`));
      }
    }
  }

  /**
   * Waits until every active build has taken the log up to its head as it is now (the head, not an empty read:
   * the store's read horizon is cluster-wide, so a read can come back empty while committed events wait).
   */
  async catchUp(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    const head = await this.options.store.headPosition();
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      const builds = await this.activeBuilds(this.dataSource.manager);
      if (builds.every((b) => b.appliedPosition >= head)) return;
      if (Date.now() > deadline) throw new Error(`national projector: not caught up with position ${head} in time`);
      // Without a running tail, the caller drives it.
      if (!this.tail) {
        if ((await this.step()) === 0) await idle(20, options.signal);
      } else {
        await idle(25, options.signal);
      }
      if (options.signal?.aborted) throw new Error('catch-up aborted');
    }
  }

  /**
   * Per build: how far behind the whole log it is (events counted up to 10 000, then reported as 10 000) and how
   * long the oldest event it has not taken has waited.
   */
  lag(now: Date = new Date()): Promise<ReadModelLag[]> {
    return nationalLag(this.options.store, this.dataSource.manager, this.schema, this.readModels, now);
  }

  async builds(): Promise<Build[]> {
    return loadBuilds(this.dataSource.manager, this.schema);
  }

  /** SHA-256 of a table of a read model's live build, rows ordered by primary key. */
  async contentHash(name: string, table: string): Promise<{ rows: number; sha256: string }> {
    const [live] = await loadBuilds(this.dataSource.manager, this.schema, `read_model = $1 AND status = 'live'`, [name]);
    if (!live) throw new Error(`no live build of ${name}`);
    return contentHash(this.dataSource.manager, buildTables(this.schema, live.version).table(table));
  }

  /** The national database, for queries of the views `<schema>.<base>`. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async close(): Promise<void> {
    this.background.abort();
    await this.tail?.catch(() => undefined);
    await this.dataSource.destroy();
  }
}

/** A `building` build that has reached its live build's position replaces it (in the batch's transaction). */
async function switchCaughtUpBuilds(em: EntityManager, schema: string, readModels: ReadonlyMap<string, ReadModel>): Promise<void> {
  const builds = await loadBuilds(em, schema, `status IN ('live', 'building')`);
  for (const building of builds.filter((b) => b.status === 'building')) {
    const model = readModels.get(building.readModel);
    if (!model || model.version !== building.codeVersion) continue;
    const live = builds.find((b) => b.readModel === building.readModel && b.status === 'live');
    if (live && building.appliedPosition < live.appliedPosition) continue;
    if (live) {
      await dropBuildTables(em, schema, model, live.version);
      await em.query(`DELETE FROM ${schema}.projection_builds WHERE read_model = $1 AND version = $2`, [model.name, live.version]);
    }
    await em.query(
      `UPDATE ${schema}.projection_builds SET status = 'live', switched_at = now(), updated_at = now() WHERE read_model = $1 AND version = $2`,
      [model.name, building.version],
    );
    await pointViews(em, schema, model, building.version);
  }
}

async function nationalLag(
  store: EventStore,
  em: EntityManager,
  schema: string,
  readModels: ReadonlyMap<string, ReadModel>,
  now: Date,
): Promise<ReadModelLag[]> {
  const builds = await loadBuilds(em, schema, `status IN ('live', 'building')`);
  const head = await store.headPosition();
  const out: ReadModelLag[] = [];
  for (const build of builds) {
    let eventsBehind = 0;
    let oldest: string | null = null;
    if (build.appliedPosition < head) {
      // An event the store cannot read is the tail's to record (as a dead letter); here it is not counted.
      const onUndecodable = (): Promise<void> => Promise.resolve();
      const behind = store.readAll({ fromPosition: build.appliedPosition, batchSize: 1000, maxCount: 10_000, onUndecodable });
      for await (const event of behind) {
        if (eventsBehind === 0) oldest = event.recordedAt;
        eventsBehind += 1;
      }
    }
    const since = oldest ?? (build.appliedPosition < head ? build.appliedEventAt : null);
    out.push(lagRecord(build, readModels.get(build.readModel)?.version !== build.codeVersion, head, eventsBehind, since, now));
  }
  return out;
}
