import { DataSource } from 'typeorm';
import { fromKafkaRecord, upcast, type RecordedEvent } from '#contracts';
import type { EventStore } from '#event-store';
import type { MessageBus, RunningConsumer } from '#messaging';
import type { ReadModel, ReadModelTables } from '#projections';

/**
 * A stand-in for the projection runtime, for tests only, until the runtime lands: builds each read model's
 * version-1 tables (`<schema>."<base>_v<version>"`) with views `<schema>."<base>"` over them, as the runtime
 * does, and applies batches the way the runtime's contract promises (each (stream, revision) once, filtered by
 * the model's event types, in one transaction). No checkpoints, rebuilds, lag or dead letters: that is the
 * runtime's, and this file goes when it is on main.
 */
export class ReadModelHarness {
  private constructor(
    readonly schema: string,
    private readonly models: readonly ReadModel[],
    private readonly dataSource: DataSource,
  ) {}

  static tablesOf(schema: string, model: ReadModel): ReadModelTables {
    return { schema, table: (base) => `${schema}."${base}_v${model.version}"` };
  }

  static async open(databaseUrl: string, schema: string, models: readonly ReadModel[]): Promise<ReadModelHarness> {
    const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, logging: false, extra: { max: 3 } });
    await dataSource.initialize();
    await dataSource.transaction(async (em) => {
      await em.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await em.query(`CREATE TABLE IF NOT EXISTS ${schema}.harness_applied (stream_id text, revision bigint, PRIMARY KEY (stream_id, revision))`);
      for (const model of models) {
        const t = ReadModelHarness.tablesOf(schema, model);
        for (const ddl of model.createTables(t)) await em.query(ddl);
        for (const base of model.tables) await em.query(`CREATE OR REPLACE VIEW ${schema}."${base}" AS SELECT * FROM ${t.table(base)}`);
      }
    });
    return new ReadModelHarness(schema, models, dataSource);
  }

  /** Applies a batch in one transaction; events already applied are skipped. Returns how many were new. */
  async apply(events: readonly RecordedEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    return this.dataSource.transaction(async (em) => {
      const claimed: { stream_id: string; revision: string }[] = await em.query(
        `INSERT INTO ${this.schema}.harness_applied SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING RETURNING stream_id, revision`,
        [events.map((e) => e.streamId), events.map((e) => e.revision.toString())],
      );
      const fresh = new Set(claimed.map((c) => `${c.stream_id}@${c.revision}`));
      const toApply = events.filter((e) => fresh.delete(`${e.streamId}@${e.revision.toString()}`));
      for (const model of this.models) {
        const mine = toApply.filter((e) => model.eventTypes.has(e.type));
        if (mine.length > 0) await model.apply(em, ReadModelHarness.tablesOf(this.schema, model), mine);
      }
      return toApply.length;
    });
  }

  async appliedCount(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${this.schema}.harness_applied`);
    return row?.n ?? 0;
  }

  query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.dataSource.query(sql, params);
  }

  /** Feeds the harness from a Kafka topic, like the runtime's per-force consumer. */
  consume(bus: MessageBus, topic: string, groupId: string): Promise<RunningConsumer> {
    return bus.consume({ topic, groupId, handleBatch: async (records) => void (await this.apply(records.map((r) => upcast(fromKafkaRecord(r))))) });
  }

  /** Feeds the harness from the event store's whole log, in batches (a rebuild from history). */
  async applyFromStore(store: EventStore, batchSize = 1000): Promise<void> {
    let batch: RecordedEvent[] = [];
    for await (const event of store.readAll({ batchSize })) {
      batch.push(event);
      if (batch.length >= batchSize) {
        await this.apply(batch);
        batch = [];
      }
    }
    await this.apply(batch);
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}
