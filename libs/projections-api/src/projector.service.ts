import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  FORCE_CODES,
  fromKafkaRecord,
  isForceCode,
  NATIONAL,
  nationalTopic,
  PlatformEventTypes,
  type ForceCode,
  type ForceOnboardedData,
  type ProjectionIsolation,
} from '#contracts';
import type { DeadLetterStore, EventStore, LoopRegistry } from '#event-store';
import type { ConsumedRecord, MessageBus, RunningConsumer } from '#messaging';
import { BACKBONE_CONFIG, EVENT_STORE, LOG_STORE, LOOPS, PROJECTOR_BUS, problem, type BackboneConfig } from '#platform';
import {
  databaseUrlFor,
  defaultForcePlacement,
  ensureDatabase,
  ForceProjector,
  NationalProjector,
  nationalSchema,
  PROJECTOR_READ_MODELS,
  readForceOnboarding,
  type ForcePlacement,
  type ReadModelLag,
} from '#projections';

/**
 * The force projection runtimes of this process (ADR 0005, ADR 0013): one per force, each on its own consumer
 * group and schema (or database). Forces come from NOM_FORCES (the bootstrap default) and from the onboarding
 * events (`force-onboarded`): read from the store at start, then followed on the national topic, so that a
 * force onboarded while the projector runs starts projecting at once, from its topic's beginning.
 */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projector');
  private readonly projectors = new Map<string, ForceProjector>();
  private readonly placements = new Map<string, ForcePlacement>();
  private readonly starting = new Map<string, Promise<ForceProjector>>();
  private platformConsumer?: RunningConsumer;
  private nationalProjector?: NationalProjector;

  constructor(
    @Inject(PROJECTOR_BUS) private readonly bus: MessageBus,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOG_STORE) private readonly logStore: EventStore & DeadLetterStore,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.databaseUrl) throw new Error('DATABASE_URL is required by the projector');
    // The national read models (national KPIs): one tail of the whole log as stored (personal fields encrypted).
    this.nationalProjector = await NationalProjector.open({
      databaseUrl: this.config.databaseUrl,
      store: this.logStore,
      schema: nationalSchema(this.config.projectionSchemaPrefix),
    });
    this.nationalProjector.start({
      backoff: this.config.retry,
      onState: this.loops.report,
      onError: (_error, state) =>
        this.logger.warn(
          `national projection ${state.state}, attempt ${state.attempt}, retrying in ${state.retryInMs ?? 0} ms: ${state.lastError ?? ''}`,
        ),
    });
    const onboarded = await this.onboardedForces();
    for (const force of this.config.forces) {
      if (!onboarded.has(force)) await this.startForce(force, this.defaultPlacement(force, this.config.projectionIsolation));
    }
    for (const data of onboarded.values()) await this.startForce(data.force, data);
    const topic = nationalTopic(this.config.topicPrefix);
    await this.bus.ensureTopics([topic]);
    this.platformConsumer = await this.bus.consume({
      topic,
      groupId: `${this.config.topicPrefix}.projector.platform`,
      name: 'projector:onboarding',
      handleBatch: (r) => this.onNationalRecords(r),
      onState: this.loops.report,
    });
    this.logger.log(`projecting ${this.projectors.size} force(s): ${[...this.projectors.keys()].join(', ')}`);
  }

  /** The placement a force gets when the command does not choose: `<prefix><force>`, in its own database or not. */
  defaultPlacement(force: ForceCode, isolation: ProjectionIsolation): ForcePlacement {
    return defaultForcePlacement(this.config, force, isolation);
  }

  private async onboardedForces(): Promise<Map<string, ForceOnboardedData>> {
    const out = new Map<string, ForceOnboardedData>();
    for (const force of FORCE_CODES) {
      const data = await readForceOnboarding(this.store, force);
      if (data) out.set(force, data);
    }
    return out;
  }

  private async onNationalRecords(records: readonly ConsumedRecord[]): Promise<void> {
    for (const record of records) {
      let event;
      try {
        event = fromKafkaRecord(record);
      } catch {
        continue; // not ours to judge: the national topic's own consumers dead-letter what they cannot read
      }
      if (event.type !== PlatformEventTypes.ForceOnboarded || event.metadata.force !== NATIONAL) continue;
      const data = event.data as ForceOnboardedData;
      if (!isForceCode(data.force)) continue;
      await this.startForce(data.force, data);
    }
  }

  /** Starts a force's runtime (idempotent): its database and schema, its topic and consumer group. */
  startForce(force: ForceCode, placement: ForcePlacement): Promise<ForceProjector> {
    const running = this.projectors.get(force);
    if (running) return Promise.resolve(running);
    const pending = this.starting.get(force);
    if (pending) return pending;
    const start = (async () => {
      const base = this.config.databaseUrl!;
      if (placement.database) await ensureDatabase(base, placement.database);
      const projector = await ForceProjector.open({
        databaseUrl: placement.database ? databaseUrlFor(base, placement.database) : base,
        force,
        schema: placement.schema,
        topicPrefix: this.config.topicPrefix,
        poolSize: this.config.projectorPoolSize,
        store: this.store,
        readModels: PROJECTOR_READ_MODELS,
        onLoopState: this.loops.report,
      });
      await projector.start(this.bus);
      this.projectors.set(force, projector);
      this.placements.set(force, placement);
      this.logger.log(`projecting ${force} into ${placement.database ? `database ${placement.database}, ` : ''}schema ${placement.schema}`);
      return projector;
    })().finally(() => this.starting.delete(force));
    this.starting.set(force, start);
    return start;
  }

  /** The force's projector, or a 404 when this process does not project that force. */
  projectorOf(force: string): ForceProjector {
    const projector = this.projectors.get(force);
    if (!projector) throw problem(404, 'not-found', 'Not found');
    return projector;
  }

  forces(): { force: string; placement: ForcePlacement }[] {
    return [...this.placements].map(([force, placement]) => ({ force, placement })).sort((a, b) => a.force.localeCompare(b.force));
  }

  async lag(force: string): Promise<ReadModelLag[]> {
    return this.projectorOf(force).lag();
  }

  /**
   * The Kafka consumer lag of the force's projector group: records on the force's topic after the group's committed
   * offsets, summed over partitions (undefined: no broker, as in the quick start's in-process bus). The read models'
   * own lag (`lag`) counts from their checkpoints, committed with their rows; this is the broker's view of the group.
   */
  async consumerLag(force: string): Promise<number | undefined> {
    const projector = this.projectorOf(force);
    const offsets = await this.bus.offsets?.(projector.topic, projector.groupId);
    if (!offsets) return undefined;
    const committed = new Map(
      (offsets.groups.find((g) => g.groupId === projector.groupId)?.committed ?? []).map((c) => [c.partition, c.offset]),
    );
    return offsets.endOffsets.reduce(
      (sum, end) => sum + Math.max(0, Number(BigInt(end.offset) - BigInt(committed.get(end.partition) ?? '0'))),
      0,
    );
  }

  /** Dead letters of every reader of the log (relay, national projector, process managers, ...), by reader. */
  readerDeadLetters(): Promise<ReadonlyMap<string, number>> {
    return this.logStore.deadLetterCounts();
  }

  /** The national read models' runtime (started at bootstrap). */
  national(): NationalProjector {
    if (!this.nationalProjector) throw problem(503, 'unavailable', 'The national projection is not running');
    return this.nationalProjector;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.platformConsumer?.stop();
    await this.nationalProjector?.close();
    await Promise.allSettled([...this.starting.values()]);
    for (const projector of this.projectors.values()) await projector.close();
    this.projectors.clear();
  }
}
