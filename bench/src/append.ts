import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { assertValidEvents, type NewEvent } from '#contracts';
import { PostgresEventStore, withValidation } from '#event-store';
import {
  checkpoint,
  dropSchema,
  emit,
  envInt,
  log,
  resourceMonitor,
  round,
  runWorkers,
  summarise,
  withClient,
  type BenchContext,
} from './common.js';
import { anEvent, caseStream } from './events.js';

const POOL_SIZE = 16;

export interface Row {
  readonly streamId: string;
  readonly event: NewEvent;
}

/** `count` single events, each opening a stream of its own (as a new case would), in one force. */
export function rows(count: number): Row[] {
  return Array.from({ length: count }, () => {
    const caseId = randomUUID();
    return { streamId: caseStream(caseId), event: anEvent('avon-somerset', caseId) };
  });
}

interface Side {
  seconds: number;
  latencies: number[];
  nodeCpuMs: number;
  machineCpuMs: number | undefined;
}

/** CPU per event, µs: this Node process (client side) and the whole machine (client + PostgreSQL + anything else). */
function cpuPerEvent(side: Side, count: number): { node: number; machine: number | null; rest: number | null } {
  const node = (side.nodeCpuMs * 1000) / count;
  const machine = side.machineCpuMs === undefined ? null : (side.machineCpuMs * 1000) / count;
  return {
    node: Math.round(node),
    machine: machine === null ? null : Math.round(machine),
    rest: machine === null ? null : Math.round(machine - node),
  };
}

/**
 * `append-<writers>`: single-event appends to new streams ('no-stream') by `writers` concurrent writers through
 * the validating PostgresEventStore (pool 16), as the apps build it, against the raw limit: plain autocommit
 * single-row INSERTs of the same rows into a plain table with the same indexes, by as many clients of a pg.Pool
 * of the same size. The two sides run in alternating rounds (store, raw, raw, store, ...) so that the load of
 * anything else on the machine falls on both alike.
 */
export async function appendBench(ctx: BenchContext, writers: number, count: number, target: number | null): Promise<void> {
  const bench = `append-${writers}`;
  const schema = `${ctx.runId}_append${writers}`;
  const rounds = Math.min(count, envInt('BENCH_APPEND_ROUNDS', 4));
  const warmCount = envInt('BENCH_APPEND_WARMUP', Math.min(500, Math.max(50, Math.floor(count / 10))));
  const warm = rows(warmCount);
  const measured = rows(count);
  log(`${bench}: ${count} events, ${writers} writer(s), ${rounds} alternating rounds, schema ${schema}`);
  const raw = await PostgresEventStore.open({ connectionString: ctx.databaseUrl, schema, poolSize: POOL_SIZE });
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: POOL_SIZE });
  try {
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
    const store = withValidation(raw, assertValidEvents);
    const append = async (r: Row): Promise<void> => {
      await store.append(r.streamId, [r.event], 'no-stream');
    };
    const insert = `INSERT INTO ${schema}.raw_events (position, event_id, stream_id, revision, type, force, data, metadata)
      VALUES (nextval('${schema}.raw_events_position_seq'), $1, $2, $3, $4, $5, $6, $7)`;
    const insertRow = async (r: Row): Promise<void> => {
      const e = r.event;
      await pool.query(insert, [e.id, r.streamId, '0', e.type, e.metadata.force, JSON.stringify(e.data), JSON.stringify(e.metadata)]);
    };

    // Warm-up (not measured): connections open, plans cached, code hot, on both sides.
    await runWorkers(warm.length, writers, (i) => append(warm[i]!), ctx.signal);
    await runWorkers(warm.length, writers, (i) => insertRow(warm[i]!), ctx.signal);
    await checkpoint(ctx.databaseUrl);

    const sides: Record<'store' | 'raw', Side> = {
      store: { seconds: 0, latencies: [], nodeCpuMs: 0, machineCpuMs: 0 },
      raw: { seconds: 0, latencies: [], nodeCpuMs: 0, machineCpuMs: 0 },
    };
    const run = async (side: 'store' | 'raw', from: number, to: number): Promise<void> => {
      const job = side === 'store' ? append : insertRow;
      const monitor = resourceMonitor();
      const r = await runWorkers(to - from, writers, (i) => job(measured[from + i]!), ctx.signal);
      const use = monitor.stop();
      const s = sides[side];
      s.seconds += r.seconds;
      s.nodeCpuMs += use.nodeCpuMs;
      s.machineCpuMs = s.machineCpuMs === undefined || use.machineCpuMs === undefined ? undefined : s.machineCpuMs + use.machineCpuMs;
      for (const l of r.latenciesMs) s.latencies.push(l);
    };
    for (let round_ = 0; round_ < rounds; round_++) {
      const from = Math.floor((count * round_) / rounds);
      const to = Math.floor((count * (round_ + 1)) / rounds);
      const order: ('store' | 'raw')[] = round_ % 2 === 0 ? ['store', 'raw'] : ['raw', 'store'];
      for (const side of order) await run(side, from, to);
    }

    const rate = count / sides.store.seconds;
    const rawRate = count / sides.raw.seconds;
    const lat = summarise(sides.store.latencies);
    const rawLat = summarise(sides.raw.latencies);
    const ratio = rate / rawRate;
    log(`${bench}: store ${Math.round(rate)} events/s, raw ${Math.round(rawRate)} events/s`);
    emit({
      bench,
      events: count,
      writers,
      poolSize: POOL_SIZE,
      rounds,
      eventsPerSec: Math.round(rate),
      p50Ms: round(lat.p50),
      p99Ms: round(lat.p99),
      rawLimit: Math.round(rawRate),
      rawP50Ms: round(rawLat.p50),
      rawP99Ms: round(rawLat.p99),
      ratio: round(ratio, 3),
      // CPU per event (µs): `node` = this process (validation, encoding, pg client), `rest` = everything else on
      // the machine in that time (PostgreSQL mostly; other processes too, if any are busy).
      cpuUsPerEvent: cpuPerEvent(sides.store, count),
      rawCpuUsPerEvent: cpuPerEvent(sides.raw, count),
      target,
      targetMetric: 'ratio >= target',
      meetsTarget: target === null ? null : ratio >= target,
      ...(target === null ? { note: 'no target is set for this bench; reported for reference' } : {}),
    });
  } finally {
    await pool.end();
    await raw.close();
    await dropSchema(ctx.databaseUrl, schema);
  }
}
