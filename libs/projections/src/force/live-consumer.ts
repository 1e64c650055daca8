import type { EntityManager } from 'typeorm';
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import {
  backboneTracer,
  contextOfTraceFields,
  fromKafkaRecord,
  UndecodableRecordError,
  validateEvent,
  type RecordedEvent,
} from '#contracts';
import { GroupCommit, type LoopState } from '#event-store';
import type { ConsumedRecord, MessageBus, RunningConsumer } from '#messaging';
import type { Build } from '../builds.js';
import { deadLetterRecords } from './dead-letter-records.js';
import { queryPrepared } from '../prepared-query.js';
import {
  applyToBuild,
  liveTransaction,
  ReadModelApplyError,
  recordProgress,
  type ForceRuntime,
  type Incoming,
  type Poison,
} from './force-runtime.js';

/**
 * The live path of a force's projection runtime: one consumer group on the force's topic.
 *
 * * Each batch of records is decoded and validated (poison records go to `dead_letters`), de-duplicated on
 *   (stream id, revision) against the `processed_events` ledger, and applied in ONE transaction to the live
 *   build of every read model, whose progress (position, event time, count) is recorded in `projection_builds`.
 * * A read model's `apply` that throws makes the runtime retry the batch event by event, each read model
 *   behind a savepoint: the failing (event, read model) goes to `dead_letters`, everything else commits.
 */
export class LiveConsumer {
  private consumer?: RunningConsumer;

  constructor(
    private readonly rt: ForceRuntime,
    readonly groupId: string,
  ) {}

  async start(bus: MessageBus, onLoopState?: (state: LoopState) => void): Promise<void> {
    await bus.ensureTopics([this.rt.topic]);
    this.consumer = await bus.consume({
      topic: this.rt.topic,
      groupId: this.groupId,
      name: `projector:${this.rt.force}`,
      handleBatch: (r) => this.handleRecords(r),
      ...(onLoopState ? { onState: onLoopState } : {}),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  /**
   * Decodes a record; a poison one (undecodable, another force's, invalid) comes back as a reason instead, with
   * the event when it could be decoded and is this force's (its position then counts as taken by the live path).
   */
  decode(record: ConsumedRecord): RecordedEvent | Poison {
    const force = this.rt.force;
    try {
      const event = fromKafkaRecord(record);
      if (event.metadata.force !== force) return { record, reason: `event of force ${event.metadata.force} on ${force}'s topic` };
      const violations = validateEvent(event, { personalFieldsProtected: true });
      if (violations.length > 0)
        return { record, reason: `invalid event: ${violations.map((v) => `${v.field} ${v.reason}`).join('; ')}`, event };
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
    await this.batches.submit({ incoming, poison });
  }

  /**
   * The partitions' batches by group commit (ADR 0048): a batch is applied at once when fewer than two transactions
   * are in flight, and otherwise waits for one to end and goes with the batches of the other partitions that waited
   * with it, in one transaction. Under load the transactions per event fall (at 200 events a second over six
   * partitions, most batches held one or two events, each paying a transaction's dozen statements); order within a
   * partition is kept (kafkajs hands a partition its next batch only once this one is applied). A merged batch that
   * fails is applied again batch by batch, so that one partition's failure holds up only that partition.
   * The batches one fetch brings are handed over together and gathered (`gather`) into one transaction: without it
   * the first two went alone and the rest in a third, and the next fetch waited for two transactions in turn (at 200
   * commands/s: the projector 25% of a core against 20%, publish-to-projector p50 21 ms against 19; ADR 0048).
   */
  private readonly batches = new GroupCommit<{ readonly incoming: readonly Incoming[]; readonly poison: readonly Poison[] }, void>(
    async (group) => {
      await this.applyIncoming(
        group.flatMap((b) => b.incoming),
        group.flatMap((b) => b.poison),
      );
      return group.map(() => undefined);
    },
    { concurrency: 2, maxGroup: 64, gather: true },
  );

  /** Applies events (one transaction); returns how many were new. Redelivered events change nothing. */
  apply(events: readonly RecordedEvent[]): Promise<number> {
    return this.applyIncoming(
      events.map((event) => ({ event })),
      [],
    );
  }

  /** Applies in one `projector apply` span per traced event, each the child of its publish (ADR 0039). */
  private async applyIncoming(incoming: readonly Incoming[], poison: readonly Poison[]): Promise<number> {
    const spans = incoming.flatMap((i) => this.applySpan(i.event));
    try {
      return await this.applyInTransaction(incoming, poison);
    } catch (error) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: 'apply failed' });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  private applySpan(event: RecordedEvent): Span[] {
    if (event.metadata.traceparent === undefined) return [];
    const parent = contextOfTraceFields(event.metadata);
    if (!trace.getSpanContext(parent)) return [];
    const attributes = {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': this.rt.topic,
      'messaging.message.id': event.id,
      'nom.force': event.metadata.force,
      'nom.position': event.position.toString(),
    };
    return [backboneTracer().startSpan('projector apply', { kind: SpanKind.CONSUMER, attributes }, parent)];
  }

  private async applyInTransaction(incoming: readonly Incoming[], poison: readonly Poison[]): Promise<number> {
    const schema = this.rt.schema;
    try {
      return await liveTransaction(this.rt, async (em, builds) => {
        if (poison.length > 0) await deadLetterRecords(em, schema, poison);
        return this.claimAndApply(em, builds, incoming, false);
      });
    } catch (error) {
      if (!(error instanceof ReadModelApplyError)) throw error;
      // Isolate the poison event: one transaction per event, each read model behind a savepoint.
      let applied = 0;
      if (poison.length > 0) await liveTransaction(this.rt, (em) => deadLetterRecords(em, schema, poison));
      for (const one of incoming) applied += await liveTransaction(this.rt, (em, builds) => this.claimAndApply(em, builds, [one], true));
      return applied;
    }
  }

  /** Claims the events in the ledger and applies the newly claimed ones to every live build, with their progress. */
  async claimAndApply(em: EntityManager, builds: readonly Build[], incoming: readonly Incoming[], isolate: boolean): Promise<number> {
    if (incoming.length === 0) return 0;
    const claimed = await queryPrepared<{ stream_id: string; revision: string }>(
      em,
      `INSERT INTO ${this.rt.schema}.processed_events (stream_id, revision, position)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
       ON CONFLICT DO NOTHING RETURNING stream_id, revision`,
      [
        incoming.map((i) => i.event.streamId),
        incoming.map((i) => i.event.revision.toString()),
        incoming.map((i) => i.event.position.toString()),
      ],
    );
    // `fresh` holds each newly claimed (stream, revision) once; a batch can carry the same event twice
    // (a relay re-send right behind the original), so take each claimed key once, in delivery order.
    const fresh = new Set(claimed.map((c) => `${c.stream_id}@${c.revision}`));
    const toApply = incoming.filter((i) => fresh.delete(`${i.event.streamId}@${i.event.revision.toString()}`));
    if (toApply.length === 0) return 0;
    for (const build of builds) {
      const model = this.rt.readModels.get(build.readModel)!;
      await applyToBuild(this.rt, em, model, build.version, toApply, isolate);
    }
    // Each Kafka partition's progress row, for the events it brought (a merged batch holds several partitions'; a
    // partition is in one transaction at a time, so two transactions never wait on one row). Events from the store: one.
    const byPartition = new Map<number | undefined, RecordedEvent[]>();
    for (const i of toApply) {
      const partition = i.record?.partition;
      const events = byPartition.get(partition);
      if (events) events.push(i.event);
      else byPartition.set(partition, [i.event]);
    }
    for (const [partition, events] of byPartition) await recordProgress(this.rt, em, builds, events, partition);
    return toApply.length;
  }
}
