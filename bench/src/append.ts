import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { assertValidEvents, type NewEvent } from '#contracts';
import { PostgresEventStore, withValidation } from '#event-store';
import { checkpoint, dropSchema, emit, envInt, log, round, runWorkers, summarise, withClient, type BenchContext } from './common.js';
import { anEvent, caseStream } from './events.js';

const POOL_SIZE = 16;

interface Row {
  readonly streamId: string;
  readonly event: NewEvent;
}

function rows(count: number): Row[] {
  return Array.from({ length: count }, () => {
    const caseId = randomUUID();
    return { streamId: caseStream(caseId), event: anEvent('avon-somerset', caseId) };
  });
}

/**
 * `append-<writers>`: single-event appends to new streams ('no-stream') by `writers` concurrent writers through
 * the validating PostgresEventStore (pool 16), against the raw limit: plain autocommit single-row INSERTs of the
 * same rows into a plain table with the same indexes, by as many clients of a pg.Pool of the same size.
 */
export async function appendBench(ctx: BenchContext, writers: number, count: number, target: number | null): Promise<void> {
  const bench = `append-${writers}`;
  const schema = `${ctx.runId}_append${writers}`;
  const warmCount = envInt('BENCH_APPEND_WARMUP', Math.min(500, Math.max(50, Math.floor(count / 10))));
  const warm = rows(warmCount);
  const measured = rows(count);
  log(`${bench}: ${count} events, ${writers} writer(s), schema ${schema}`);
  try {
    // --- the event store, as the apps build it -------------------------------------------------------------
    const raw = await PostgresEventStore.open({ connectionString: ctx.databaseUrl, schema, poolSize: POOL_SIZE });
    const storeRun = await (async () => {
      try {
        const store = withValidation(raw, assertValidEvents);
        const append = (r: Row): Promise<void> => store.append(r.streamId, [r.event], 'no-stream').then(() => undefined);
        await runWorkers(warm.length, writers, (i) => append(warm[i]!), ctx.signal);
        await checkpoint(ctx.databaseUrl);
        return await runWorkers(count, writers, (i) => append(measured[i]!), ctx.signal);
      } finally {
        await raw.close();
      }
    })();
    log(`${bench}: store ${Math.round(count / storeRun.seconds)} events/s`);

    // --- the raw limit: the same rows, plain INSERTs --------------------------------------------------------
    await withClient(ctx.databaseUrl, async (c) => {
      await c.query(`CREATE SEQUENCE ${schema}.raw_events_position_seq`);
      await c.query(`
        CREATE TABLE ${schema}.raw_events (
          position    bigint PRIMARY KEY,
          event_id    uuid NOT NULL,
          stream_id   text NOT NULL,
          revision    bigint NOT NULL,
          type        text NOT NULL,
          force       text NOT NULL,
          data        jsonb NOT NULL,
          metadata    jsonb NOT NULL,
          recorded_at timestamptz NOT NULL DEFAULT now(),
          CONSTRAINT raw_events_event_id_key UNIQUE (event_id),
          CONSTRAINT raw_events_stream_revision_key UNIQUE (stream_id, revision)
        )`);
    });
    const insert = `INSERT INTO ${schema}.raw_events (position, event_id, stream_id, revision, type, force, data, metadata)
      VALUES (nextval('${schema}.raw_events_position_seq'), $1, $2, $3, $4, $5, $6, $7)`;
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: POOL_SIZE });
    const rawRun = await (async () => {
      try {
        const insertRow = async (r: Row): Promise<void> => {
          const e = r.event;
          await pool.query(insert, [e.id, r.streamId, '0', e.type, e.metadata.force, JSON.stringify(e.data), JSON.stringify(e.metadata)]);
        };
        await runWorkers(warm.length, writers, (i) => insertRow(warm[i]!), ctx.signal);
        await checkpoint(ctx.databaseUrl);
        return await runWorkers(count, writers, (i) => insertRow(measured[i]!), ctx.signal);
      } finally {
        await pool.end();
      }
    })();

    const rate = count / storeRun.seconds;
    const rawRate = count / rawRun.seconds;
    const lat = summarise(Array.from(storeRun.latenciesMs));
    const rawLat = summarise(Array.from(rawRun.latenciesMs));
    const ratio = rate / rawRate;
    emit({
      bench,
      events: count,
      writers,
      poolSize: POOL_SIZE,
      eventsPerSec: Math.round(rate),
      p50Ms: round(lat.p50),
      p99Ms: round(lat.p99),
      rawLimit: Math.round(rawRate),
      rawP50Ms: round(rawLat.p50),
      rawP99Ms: round(rawLat.p99),
      ratio: round(ratio, 3),
      target,
      targetMetric: 'ratio >= target',
      meetsTarget: target === null ? null : ratio >= target,
      ...(target === null ? { note: 'no target is set for this bench; reported for reference' } : {}),
    });
  } finally {
    await dropSchema(ctx.databaseUrl, schema);
  }
}
