import pg from 'pg';
import type { RecordedEvent } from '#contracts';
import { upcast } from '#contracts';
import { PostgresEventStore, withUpcasting, type EventStore } from '#event-store';
import { buildTables, FORCE_READ_MODELS, ForceProjector } from '#projections';
import { requiredEnv, uniqueName } from '#testing';
import { history } from './read-model-history.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/**
 * A rebuild writes its build by the bulk path (ADR 0044): rows the build lacks by COPY, the others by the live path's
 * upsert, one transaction per batch with its progress, the plain indexes made at the end. It must leave exactly the
 * rows the live path makes from the same events, for every force read model, also when it was stopped part-way and
 * resumed.
 */
describe('a rebuild from the store by the bulk path', () => {
  let raw: PostgresEventStore;
  let store: EventStore;
  const projectors: ForceProjector[] = [];
  const events: RecordedEvent[] = [];
  let liveProjector: ForceProjector | undefined;

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es_bulk') });
    store = withUpcasting(raw, upcast);
    // Twelve copies of the history (every read model's tables), streams interleaved event by event in the log, so
    // that a row is folded across batches (the upsert of rows the build has) as well as within one (COPY of new rows).
    const streams = new Map<string, RecordedEvent[]>();
    for (let i = 0; i < 12; i++)
      for (const e of history()) (streams.get(e.streamId) ?? streams.set(e.streamId, []).get(e.streamId)!).push(e);
    const queues = [...streams.entries()];
    while (queues.some(([, q]) => q.length > 0)) {
      for (const [streamId, queue] of queues) {
        const e = queue.shift();
        if (e) await store.append(streamId, [{ id: e.id, type: e.type, data: e.data, metadata: e.metadata }], 'any');
      }
    }
    for await (const e of store.readAll({ force: 'avon-somerset' })) events.push(e);
  });

  afterAll(async () => {
    for (const p of projectors) await p.close();
    await raw.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const s of [raw.schema, ...projectors.map((p) => p.schema)]) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await client.end();
  });

  const open = async (withStore: boolean): Promise<ForceProjector> => {
    const projector = await ForceProjector.open({
      databaseUrl,
      force: 'avon-somerset',
      schema: uniqueName('p_bulk'),
      readModels: FORCE_READ_MODELS,
      ...(withStore ? { store, autoRebuild: false } : {}),
      poolSize: 3,
    });
    projectors.push(projector);
    return projector;
  };

  it('makes the rows the live path makes, for every force read model, resumed after a stop part-way', async () => {
    expect(events.length).toBeGreaterThan(300);
    // The live path: the same events in batches, as from the force's topic.
    const live = await open(false);
    for (let i = 0; i < events.length; i += 10) await live.apply(events.slice(i, i + 10));

    const rebuilt = await open(true);
    // Its builds went live empty at start (no history projected through it yet): each rebuild makes version 2.
    for (const model of FORCE_READ_MODELS) {
      const stop = new AbortController();
      await expect(
        rebuilt.rebuild(model.name, { batchSize: 7, signal: stop.signal, onProgress: (n) => n >= 70 && stop.abort() }),
      ).rejects.toThrow('rebuild aborted');
      const [stopped] = (await rebuilt.builds()).filter((b) => b.readModel === model.name && b.status === 'building');
      expect(stopped!.appliedEvents).toBeGreaterThanOrEqual(70);
      expect(stopped!.appliedEvents).toBeLessThan(events.length);

      const result = await rebuilt.rebuild(model.name, { batchSize: 7, stopBeforeHandOver: true });
      expect(result).toMatchObject({ version: stopped!.version, historyEvents: events.length });
      const [liveBuild] = (await live.builds()).filter((b) => b.readModel === model.name);
      for (const table of model.tables) {
        const made = await rebuilt.contentHash(model.name, table, { version: result.version });
        expect({ table, ...made }).toEqual({ table, ...(await live.contentHash(model.name, table, { version: liveBuild!.version })) });
      }
      // Its plain indexes were made once the history was in: every table and index the read model declares is there.
      const t = buildTables(rebuilt.schema, result.version);
      const [{ indexes }] = await rebuilt.manager.query<[{ indexes: number }]>(
        `SELECT count(*)::int AS indexes FROM pg_index WHERE indrelid = ANY($1::regclass[])`,
        [model.tables.map((base) => t.table(base))],
      );
      expect(indexes).toBe(model.createTables(t).length);
    }
    const [{ letters }] = await rebuilt.manager.query<[{ letters: number }]>(
      `SELECT count(*)::int AS letters FROM ${rebuilt.schema}.dead_letters`,
    );
    expect(letters).toBe(0);
    liveProjector = live;
  });

  it('makes the same rows when every read model is rebuilt from one pass over the log, then hands over', async () => {
    const rebuilt = await open(true);
    const results = await rebuilt.rebuildAll(undefined, { batchSize: 9, handOverTimeoutMs: 1000 }).catch((error: unknown) => error);
    // No live consumer has taken the history in this runtime: the hand-over waits for it, and says so.
    expect(String(results)).toMatch(/live consumer has not reached/);
    const all = await rebuilt.rebuildAll(undefined, { batchSize: 9, stopBeforeHandOver: true });
    expect(all.map((r) => [r.readModel, r.historyEvents])).toEqual(FORCE_READ_MODELS.map((m) => [m.name, events.length]));
    for (const [i, model] of FORCE_READ_MODELS.entries()) {
      const [liveBuild] = (await liveProjector!.builds()).filter((b) => b.readModel === model.name);
      for (const table of model.tables) {
        const made = await rebuilt.contentHash(model.name, table, { version: all[i]!.version });
        expect({ table, ...made }).toEqual({
          table,
          ...(await liveProjector!.contentHash(model.name, table, { version: liveBuild!.version })),
        });
      }
    }
  });
});
