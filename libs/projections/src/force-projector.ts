import { DataSource, In, type EntityManager } from 'typeorm';
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
      // One connection per partition consumed at once (KafkaMessageBus: 3), plus one for queries.
      extra: { max: 7 },
    });
    await dataSource.initialize();
    return new ForceProjector(options.force, dataSource, schema, options);
  }

  async start(bus: MessageBus): Promise<void> {
    await bus.ensureTopics([this.topic]);
    this.consumer = await bus.consume({ topic: this.topic, groupId: this.groupId, handleBatch: (r) => this.handleRecords(r) });
  }

  /** Decodes a record; a poison one (undecodable, another force's, invalid) comes back as a reason instead. */
  private decode(record: ConsumedRecord): RecordedEvent | { poison: string } {
    try {
      const event = fromKafkaRecord(record);
      if (event.metadata.force !== this.force) return { poison: `event of force ${event.metadata.force} on ${this.force}'s topic` };
      const violations = CASE_SUMMARY_EVENTS.has(event.type) ? validateEvent(event, { personalFieldsProtected: true }) : [];
      if (violations.length > 0) return { poison: `invalid event: ${violations.map((v) => `${v.field} ${v.reason}`).join('; ')}` };
      return event;
    } catch (error) {
      if (error instanceof UndecodableRecordError) return { poison: error.message };
      throw error;
    }
  }

  /**
   * Applies a batch of Kafka records in one transaction: poison records to the dead-letter table, the rest
   * through the projection, each (stream id, revision) at most once. Nothing is committed unless all is.
   */
  async handleRecords(records: readonly ConsumedRecord[]): Promise<void> {
    const events: RecordedEvent[] = [];
    const poison: { record: ConsumedRecord; reason: string }[] = [];
    for (const record of records) {
      const decoded = this.decode(record);
      if ('poison' in decoded) poison.push({ record, reason: decoded.poison });
      else events.push(decoded);
    }
    await this.dataSource.transaction(async (em) => {
      if (poison.length > 0) await this.deadLetter(em, poison);
      await this.applyIn(em, events);
    });
  }

  /** Applies events (one transaction); returns how many were new. Redelivered events change nothing. */
  async apply(events: readonly RecordedEvent[]): Promise<number> {
    return this.dataSource.transaction((em) => this.applyIn(em, events));
  }

  private async applyIn(em: EntityManager, all: readonly RecordedEvent[]): Promise<number> {
    const events = all.filter((e) => CASE_SUMMARY_EVENTS.has(e.type));
    if (events.length === 0) return 0;
    const claimed: { stream_id: string; revision: string }[] = await em.query(
      `INSERT INTO ${this.schema}.processed_events (stream_id, revision, position)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
       ON CONFLICT DO NOTHING RETURNING stream_id, revision`,
      [events.map((e) => e.streamId), events.map((e) => e.revision.toString()), events.map((e) => e.position.toString())],
    );
    // `fresh` holds each newly claimed (stream, revision) once; a batch can carry the same event twice
    // (a relay re-send right behind the original), so take each claimed key once, in delivery order.
    const fresh = new Set(claimed.map((c) => `${c.stream_id}@${c.revision}`));
    const toApply = events.filter((e) => fresh.delete(`${e.streamId}@${e.revision.toString()}`));
    if (toApply.length === 0) return 0;
    const caseIds = [...new Set(toApply.map((e) => (e.data as { caseId: string }).caseId))];
    const rows = new Map(
      (await em.find(CaseSummary, { where: { caseId: In(caseIds) }, lock: { mode: 'pessimistic_write' } })).map((r) => [r.caseId, r]),
    );
    for (const event of toApply) {
      const caseId = (event.data as { caseId: string }).caseId;
      rows.set(caseId, evolveCaseSummary(rows.get(caseId) ?? null, event));
    }
    await em.upsert(CaseSummary, [...rows.values()].filter((r) => caseIds.includes(r.caseId)), ['caseId']);
    return toApply.length;
  }

  private async deadLetter(em: EntityManager, poison: readonly { record: ConsumedRecord; reason: string }[]): Promise<void> {
    await em
      .createQueryBuilder()
      .insert()
      .into(DeadLetter)
      .values(
        poison.map(({ record, reason }) => {
          const headers = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, v?.toString() ?? '']));
          return {
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
            eventId: headers['ce_id'] ?? null,
            reason,
            headers,
            value: record.value?.toString('utf8') ?? null,
          };
        }),
      )
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
