import { DataSource, type EntityManager } from 'typeorm';
import { forceIdentifier, forceTopic, type ForceCode, type RecordedEvent } from '#contracts';
import { migrateSchema, type EventStore, type LoopState } from '#event-store';
import type { ConsumedRecord, MessageBus } from '#messaging';
import { assertReadModel, buildTables, contentHash, loadBuilds, type Build, type ReadModelLag } from './builds.js';
import { ForceDeadLetters, type RetryOutcome } from './force/dead-letters.js';
import { liveBuild, type ForceRuntime } from './force/force-runtime.js';
import { forceLag } from './force/lag.js';
import { LiveConsumer } from './force/live-consumer.js';
import { ForceRebuilds, type RebuildOptions, type RebuildResult } from './force/rebuild.js';
import { FORCE_READ_MODEL_MIGRATIONS } from './migrations.js';
import { DeadLetter, ProcessedEvent } from './processed-event.entity.js';
import type { ReadModel } from './read-model.js';
import { FORCE_READ_MODELS } from './read-models/index.js';
import type { ViewReader } from './read-models/query.js';

export { DeadLetterNotFoundError, RebuildRunningError, UnknownReadModelError } from './force/force-runtime.js';
export type { RetryOutcome } from './force/dead-letters.js';
export type { RebuildOptions, RebuildResult } from './force/rebuild.js';

export interface ForceProjectorOptions {
  readonly databaseUrl: string;
  readonly force: ForceCode;
  /** Defaults to `force_<code>`; tests use a unique one. */
  readonly schema?: string;
  readonly topicPrefix?: string;
  readonly groupPrefix?: string;
  /** The read models this runtime keeps (default: the force read models, `FORCE_READ_MODELS`). */
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

/**
 * One force's checkpointed projection runtime (ADR 0005, ADR 0013): one consumer group on the force's topic,
 * writing only the force's own schema, keeping a list of read models. It puts together its parts, each in
 * `force/`: the live consumer (`LiveConsumer`), rebuild and hand-over (`ForceRebuilds`), dead letters
 * (`ForceDeadLetters`) and lag (`forceLag`). Queries belong to each read model's folder, over `views`.
 */
export class ForceProjector {
  readonly schema: string;
  readonly topic: string;
  readonly groupId: string;
  readonly readModels: ReadonlyMap<string, ReadModel>;
  private readonly live: LiveConsumer;
  private readonly rebuilds: ForceRebuilds;
  private readonly letters: ForceDeadLetters;
  private readonly runtime: ForceRuntime;

  private constructor(
    readonly force: ForceCode,
    private readonly dataSource: DataSource,
    schema: string,
    private readonly options: ForceProjectorOptions,
  ) {
    this.schema = schema;
    this.topic = forceTopic(force, options.topicPrefix);
    this.groupId = `${options.groupPrefix ?? `${options.topicPrefix ?? 'nom'}.projector`}.${force}`;
    this.readModels = new Map((options.readModels ?? FORCE_READ_MODELS).map((m) => [m.name, m]));
    const rt: ForceRuntime = {
      force,
      schema,
      topic: this.topic,
      dataSource,
      readModels: this.readModels,
      lockKey: `nom-projection:${schema}`,
      ...(options.store ? { store: options.store } : {}),
    };
    this.live = new LiveConsumer(rt, this.groupId);
    this.rebuilds = new ForceRebuilds(rt);
    this.letters = new ForceDeadLetters(rt, this.live);
    this.runtime = rt;
  }

  static async open(options: ForceProjectorOptions): Promise<ForceProjector> {
    const schema = options.schema ?? forceSchema(options.force);
    const models = options.readModels ?? FORCE_READ_MODELS;
    for (const model of models) assertReadModel(model);
    if (new Set(models.map((m) => m.name)).size !== models.length) throw new Error('read model names must be unique');
    await migrateSchema(options.databaseUrl, schema, FORCE_READ_MODEL_MIGRATIONS);
    const dataSource = new DataSource({
      type: 'postgres',
      url: options.databaseUrl,
      schema,
      entities: [ProcessedEvent, DeadLetter],
      logging: false,
      // One connection per partition consumed at once (KafkaMessageBus: 3), plus queries and a rebuild.
      extra: { max: options.poolSize ?? 7 },
    });
    await dataSource.initialize();
    const projector = new ForceProjector(options.force, dataSource, schema, options);
    await projector.rebuilds.ensureBuilds();
    return projector;
  }

  /** Consumes the force's topic; then rebuilds (in the background) the read models that need one. */
  async start(bus: MessageBus): Promise<void> {
    await this.live.start(bus, this.options.onLoopState);
    if (this.options.autoRebuild !== false) this.rebuilds.startPending();
  }

  /** Applies a batch of Kafka records in one transaction (see `LiveConsumer.handleRecords`). */
  handleRecords(records: readonly ConsumedRecord[]): Promise<void> {
    return this.live.handleRecords(records);
  }

  /** Applies events (one transaction); returns how many were new. Redelivered events change nothing. */
  apply(events: readonly RecordedEvent[]): Promise<number> {
    return this.live.apply(events);
  }

  /** Rebuilds a read model from the store's history and hands over to it (see `ForceRebuilds`). */
  rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildResult> {
    return this.rebuilds.rebuild(name, options);
  }

  /** Rebuilds several read models (default: all) reading the store's history once for all of them (ADR 0044). */
  rebuildAll(names?: readonly string[], options: RebuildOptions = {}): Promise<RebuildResult[]> {
    return this.rebuilds.rebuildAll(names, options);
  }

  /** How far each build is behind the force's log (see `forceLag`). */
  lag(now: Date = new Date()): Promise<ReadModelLag[]> {
    return forceLag(this.runtime, now);
  }

  /** Unresolved dead letters, oldest first. */
  deadLetters(): Promise<DeadLetter[]> {
    return this.letters.list();
  }

  /** Retries a dead letter through the current code (see `ForceDeadLetters.retry`). */
  retryDeadLetter(id: string): Promise<RetryOutcome> {
    return this.letters.retry(id);
  }

  /** SHA-256 of a table of a read model's build (default: the live one), rows ordered by primary key. */
  async contentHash(
    name: string,
    table: string,
    options: { version?: number; exclude?: readonly string[] } = {},
  ): Promise<{ rows: number; sha256: string }> {
    const version = options.version ?? (await liveBuild(this.runtime, name)).version;
    return contentHash(this.dataSource.manager, buildTables(this.schema, version).table(table), options.exclude);
  }

  builds(): Promise<Build[]> {
    return loadBuilds(this.dataSource.manager, this.schema);
  }

  /** The force's database, for read models' own queries (their views live in `schema`). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** The force's views (`<schema>."<base>"`), for the read models' queries (`investigationDetail(projector.views, id)`). */
  get views(): ViewReader {
    const em = this.dataSource.manager;
    return { view: (base) => `"${this.schema}"."${base}"`, query: (sql, params) => em.query(sql, params) };
  }

  processedCount(): Promise<number> {
    return this.dataSource.getRepository(ProcessedEvent).count();
  }

  async close(): Promise<void> {
    // Aborts the rebuilds at once (they resume from their position next time), then stops consuming.
    const rebuildsStopped = this.rebuilds.close();
    await this.live.stop();
    await rebuildsStopped;
    await this.dataSource.destroy();
  }
}
