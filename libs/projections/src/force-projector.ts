import { DataSource } from 'typeorm';
import {
  forceIdentifier,
  forceTopic,
  fromKafkaRecord,
  UndecodableRecordError,
  validateEvent,
  type ForceCode,
  type RecordedEvent,
} from '#contracts';
import { migrateSchema } from '#event-store';
import type { ConsumedRecord, MessageBus, RunningConsumer } from '#messaging';
import { CaseSummary } from './cases/case-summary.entity.js';
import { CASE_SUMMARY_EVENTS, evolveCaseSummary } from './cases/case-summary.projection.js';
import { FORCE_READ_MODEL_MIGRATIONS } from './migrations.js';
import { DeadLetter, ProcessedEvent } from './processed-event.entity.js';

export interface ForceProjectorOptions {
  readonly databaseUrl: string;
  readonly force: ForceCode;
  /** Defaults to `force_<code>`; tests use a unique one. */
  readonly schema?: string;
  readonly topicPrefix?: string;
  readonly groupPrefix?: string;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'ignored';

/** A poison record: it cannot be applied however often it is retried. Dead-lettered, never blocking. */
class PoisonRecord extends Error {}

export function forceSchema(force: ForceCode, prefix = 'force_'): string {
  return `${prefix}${forceIdentifier(force)}`;
}

/**
 * One force's projector: one consumer group on the force's topic, writing only the force's own schema.
 * Every event is applied in one transaction with its dedup record (stream id, revision), so a redelivered
 * event changes nothing.
 */
export class ForceProjector {
  readonly schema: string;
  readonly topic: string;
  readonly groupId: string;
  private consumer?: RunningConsumer;

  private constructor(
    readonly force: ForceCode,
    private readonly dataSource: DataSource,
    schema: string,
    options: ForceProjectorOptions,
  ) {
    this.schema = schema;
    this.topic = forceTopic(force, options.topicPrefix);
    this.groupId = `${options.groupPrefix ?? `${options.topicPrefix ?? 'nom'}.projector`}.${force}`;
  }

  static async open(options: ForceProjectorOptions): Promise<ForceProjector> {
    const schema = options.schema ?? forceSchema(options.force);
    await migrateSchema(options.databaseUrl, schema, FORCE_READ_MODEL_MIGRATIONS);
    const dataSource = new DataSource({
      type: 'postgres',
      url: options.databaseUrl,
      schema,
      entities: [CaseSummary, ProcessedEvent, DeadLetter],
      logging: false,
      extra: { max: 3 },
    });
    await dataSource.initialize();
    return new ForceProjector(options.force, dataSource, schema, options);
  }

  async start(bus: MessageBus): Promise<void> {
    await bus.ensureTopics([this.topic]);
    this.consumer = await bus.consume({ topic: this.topic, groupId: this.groupId, handle: (r) => this.handleRecord(r) });
  }

  /** Decodes and applies one Kafka record; a poison record goes to the dead-letter table instead. */
  async handleRecord(record: ConsumedRecord): Promise<void> {
    let event: RecordedEvent;
    try {
      event = fromKafkaRecord(record);
      if (event.metadata.force !== this.force) {
        throw new PoisonRecord(`event of force ${event.metadata.force} on ${this.force}'s topic`);
      }
      const violations = CASE_SUMMARY_EVENTS.has(event.type) ? validateEvent(event) : [];
      if (violations.length > 0) {
        throw new PoisonRecord(`invalid event: ${violations.map((v) => `${v.field} ${v.reason}`).join('; ')}`);
      }
    } catch (error) {
      if (error instanceof UndecodableRecordError || error instanceof PoisonRecord) {
        await this.deadLetter(record, error.message);
        return;
      }
      throw error;
    }
    await this.apply(event);
  }

  async apply(event: RecordedEvent): Promise<ApplyOutcome> {
    if (!CASE_SUMMARY_EVENTS.has(event.type)) return 'ignored';
    return this.dataSource.transaction(async (em) => {
      const claimed: unknown[] = await em.query(
        `INSERT INTO ${this.schema}.processed_events (stream_id, revision, position) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [event.streamId, event.revision.toString(), event.position.toString()],
      );
      if (claimed.length === 0) return 'duplicate';
      const caseId = (event.data as { caseId: string }).caseId;
      const current = await em.findOne(CaseSummary, { where: { caseId }, lock: { mode: 'pessimistic_write' } });
      await em.save(CaseSummary, evolveCaseSummary(current, event));
      return 'applied';
    });
  }

  private async deadLetter(record: ConsumedRecord, reason: string): Promise<void> {
    const headers = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, v?.toString() ?? '']));
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(DeadLetter)
      .values({
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        eventId: headers['ce_id'] ?? null,
        reason,
        headers,
        value: record.value?.toString('utf8') ?? null,
      })
      .orIgnore()
      .execute();
  }

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

  deadLetters(): Promise<DeadLetter[]> {
    return this.dataSource.getRepository(DeadLetter).find({ order: { failedAt: 'ASC' } });
  }

  async processedCount(): Promise<number> {
    return this.dataSource.getRepository(ProcessedEvent).count();
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
    await this.dataSource.destroy();
  }
}
