import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CaseEventTypes, toKafkaRecord, upcast, type NewEvent, type RecordedEvent } from '#contracts';
import { PostgresEventStore, withUpcasting, type EventStore } from '#event-store';
import type { ConsumedRecord } from '#messaging';
import { requiredEnv, testMetadata, uniqueName, waitFor } from '#testing';
import { ForceProjector, investigationDetail, investigationsReadModel } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const AT = '2026-11-03T09:00:00.000Z';

const recorded = (caseId: string): NewEvent => ({
  id: randomUUID(),
  type: CaseEventTypes.CrimeRecorded,
  data: {
    caseId,
    crimeReference: 'KE/26/000001',
    offence: 'sexual-assault',
    offenceCode: '20A',
    n100Reference: null,
    reportedAt: AT,
    recordedAt: AT,
  },
  metadata: testMetadata('kent'),
});
const opened = (caseId: string): NewEvent => ({
  id: randomUUID(),
  type: CaseEventTypes.InvestigationOpened,
  data: { caseId, openedAt: AT },
  metadata: testMetadata('kent'),
});

/** One partition's batch: the events of one case, as the consumer hands them over. */
const batchOf = (events: readonly RecordedEvent[], partition: number): ConsumedRecord[] =>
  events.map((e, i) => {
    const r = toKafkaRecord(e);
    return { topic: 't', partition, offset: String(i), key: Buffer.from(r.key), value: r.value, headers: r.headers };
  });

/** Lets the event loop's turn end: batches handed over in different turns are not gathered (ADR 0048). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * ADR 0048: the partitions' batches share a transaction when two are already in flight, and the batches one fetch
 * hands over together go in one. In the first test the shared advisory lock that every live transaction takes first
 * is held by a hand-over's exclusive lock, so the first two batches (handed over in turns of their own) wait inside
 * their transactions and the next two wait for them: once the lock is let go, those two go in one.
 */
describe('the live path by group commit', () => {
  let raw: PostgresEventStore;
  let store: EventStore;
  let projector: ForceProjector;
  const holder = new pg.Client({ connectionString: databaseUrl });

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es_gc') });
    store = withUpcasting(raw, upcast);
    projector = await ForceProjector.open({
      databaseUrl,
      force: 'kent',
      schema: uniqueName('p_gc'),
      store,
      readModels: [investigationsReadModel],
    });
    await holder.connect();
  });

  afterAll(async () => {
    await projector.close();
    await raw.close();
    await holder.query(`DROP SCHEMA IF EXISTS ${raw.schema} CASCADE`);
    await holder.query(`DROP SCHEMA IF EXISTS ${projector.schema} CASCADE`);
    await holder.end();
  });

  it("applies batches that waited together in one transaction, each partition's progress on its own row", async () => {
    const caseIds = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const caseId of caseIds) await store.append(`case-${caseId}`, [recorded(caseId), opened(caseId)], 'no-stream');
    const byCase = new Map<string, RecordedEvent[]>();
    for await (const e of store.readAll({ force: 'kent' })) {
      const caseId = (e.data as { caseId: string }).caseId;
      byCase.set(caseId, [...(byCase.get(caseId) ?? []), e]);
    }

    const key = `nom-projection:${projector.schema}`;
    await holder.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    const handOver = (partition: number): Promise<void> => projector.handleRecords(batchOf(byCase.get(caseIds[partition]!)!, partition));
    const handled = [handOver(0)];
    await nextTurn();
    handled.push(handOver(1));
    await nextTurn();
    handled.push(handOver(2), handOver(3));
    // The first two transactions are in, waiting for the lock; the other two batches wait for them.
    await waitFor('two live transactions waiting on the lock', async () => {
      const { rows } = await holder.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = hashtext($1)::oid`,
        [key],
      );
      return rows[0]!.n === 2;
    });
    await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    await Promise.all(handled);

    for (const caseId of caseIds)
      expect(await investigationDetail(projector.views, caseId)).toMatchObject({ status: 'under-investigation' });
    const { rows: progress } = await holder.query<{ kafka_partition: number; applied_events: string }>(
      `SELECT kafka_partition, applied_events FROM ${projector.schema}.projection_build_progress ORDER BY kafka_partition`,
    );
    expect(progress.map((p) => [p.kafka_partition, Number(p.applied_events)])).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
      [3, 2],
    ]);
    // The transaction that claimed each case's events: its own for the first two, one for the two that waited.
    const { rows: claims } = await holder.query<{ stream_id: string; tx: string }>(
      `SELECT stream_id, min(xmin::text) AS tx FROM ${projector.schema}.processed_events GROUP BY stream_id`,
    );
    const txOf = new Map(claims.map((c) => [c.stream_id, c.tx]));
    const [a, b, c, d] = caseIds.map((id) => txOf.get(`case-${id}`));
    expect(new Set([a, b, c]).size).toBe(3);
    expect(c).toBe(d);
  });
  it('applies the batches one fetch hands over together in one transaction', async () => {
    const caseIds = [randomUUID(), randomUUID(), randomUUID()];
    for (const caseId of caseIds) await store.append(`case-${caseId}`, [recorded(caseId), opened(caseId)], 'no-stream');
    const wanted = new Set<string>(caseIds);
    const byCase = new Map<string, RecordedEvent[]>();
    for await (const e of store.readAll({ force: 'kent' })) {
      const caseId = (e.data as { caseId: string }).caseId;
      if (wanted.has(caseId)) byCase.set(caseId, [...(byCase.get(caseId) ?? []), e]);
    }
    await Promise.all(caseIds.map((caseId, i) => projector.handleRecords(batchOf(byCase.get(caseId)!, 10 + i))));

    for (const caseId of caseIds)
      expect(await investigationDetail(projector.views, caseId)).toMatchObject({ status: 'under-investigation' });
    const { rows: claims } = await holder.query<{ tx: string }>(
      `SELECT DISTINCT xmin::text AS tx FROM ${projector.schema}.processed_events WHERE stream_id = ANY($1::text[])`,
      [caseIds.map((id) => `case-${id}`)],
    );
    expect(claims).toHaveLength(1);
  });
});
