import type { UndecodableEventError } from '#event-store';
import { idle } from '#event-store';
import { buildTables, dropBuildTables, loadBuilds, pointViews } from '../builds.js';
import { deadLetterUndecodable } from './dead-letter-records.js';
import { RebuildRunningError, UnknownReadModelError, type ForceRuntime } from './force-runtime.js';
import { applyHistory, handOver, liveTakenUpTo, nextVersion, publishedOnly, readAhead, startBuild } from './hand-over.js';

export interface RebuildOptions {
  /** Events per transaction while reading history (default 5000). */
  readonly batchSize?: number;
  /** Drop the replaced build's tables after the switch (default true). */
  readonly dropOld?: boolean;
  /** How long to wait for the live consumer to reach the rebuild's position before the hand-over (default 120 s). */
  readonly handOverTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called after every history batch (events read so far). */
  readonly onProgress?: (events: number, position: bigint) => void;
  /** Stop once the history is read, before the hand-over (the build stays `building`): the bench measures this. */
  readonly stopBeforeHandOver?: boolean;
}

export interface RebuildResult {
  readonly readModel: string;
  readonly version: number;
  readonly replaced: number | null;
  /** Events read from the store's history (up to the hand-over position). */
  readonly historyEvents: number;
  /** Events the live consumer had applied past that position, applied to the new build at the hand-over. */
  readonly tailEvents: number;
  readonly handOverPosition: bigint;
  readonly droppedOld: boolean;
}

/**
 * A force's read model builds and their rebuilds (ADR 0013). A read model is rebuilt from the event store's
 * history into a new build `<base>_v<N+1>` while the live build keeps serving and taking live events; the
 * hand-over (under an exclusive advisory lock that live batches take shared) applies the tail the live consumer
 * had taken past the rebuild's position and re-points the views.
 */
export class ForceRebuilds {
  /** Read models with no live build (or a live build of another code version) that a rebuild must make. */
  private readonly pending = new Set<string>();
  private readonly running = new Map<string, Promise<RebuildResult>>();
  private readonly background = new AbortController();

  constructor(private readonly rt: ForceRuntime) {}

  /**
   * Every read model gets a live build: a new force (empty ledger) starts one at once; a read model added to a
   * force with history (or without a store) is built from the store by a rebuild; a live build of another code
   * version is frozen and rebuilt.
   */
  async ensureBuilds(): Promise<void> {
    const { schema, readModels } = this.rt;
    await this.rt.dataSource.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.rt.lockKey]);
      const builds = await loadBuilds(em, schema, `status IN ('live', 'building')`);
      const [{ any }] = await em.query<[{ any: boolean }]>(`SELECT EXISTS (SELECT 1 FROM ${schema}.processed_events) AS any`);
      for (const model of readModels.values()) {
        const live = builds.find((b) => b.readModel === model.name && b.status === 'live');
        const building = builds.find((b) => b.readModel === model.name && b.status === 'building');
        if (live) {
          if (live.codeVersion === model.version) {
            for (const ddl of model.createTables(buildTables(schema, live.version))) await em.query(ddl);
          } else {
            this.pending.add(model.name);
          }
        } else if (building || (any && this.rt.store)) {
          this.pending.add(model.name);
        } else {
          // Nothing projected yet in this force (or no store to read history from): start live at once.
          const version = await nextVersion(this.rt, em, model);
          for (const ddl of model.createTables(buildTables(schema, version))) await em.query(ddl);
          await em.query(
            `INSERT INTO ${schema}.projection_builds (read_model, version, code_version, status, switched_at) VALUES ($1, $2, $3, 'live', now())`,
            [model.name, version, model.version],
          );
          await pointViews(em, schema, model, version);
        }
      }
    });
  }

  /** Starts, in the background and one at a time (each reads the force's whole history), the rebuilds `ensureBuilds` found. */
  startPending(): void {
    if (!this.rt.store || this.pending.size === 0) return;
    const names = [...this.pending];
    void (async () => {
      for (const name of names) {
        if (this.background.signal.aborted) return;
        await this.rebuild(name, { handOverTimeoutMs: 3_600_000 }).catch(() => undefined);
      }
    })();
  }

  /**
   * Rebuilds a read model from the event store's history into a new build and switches to it (see the class
   * comment). Resumes a build left `building` by an earlier run. One rebuild per read model at a time.
   */
  rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildResult> {
    const running = this.running.get(name);
    if (running) return running;
    // Closing the projector aborts its rebuilds (they resume from their position next time).
    const signal = options.signal ? AbortSignal.any([options.signal, this.background.signal]) : this.background.signal;
    const started = this.run(name, { ...options, signal }).finally(() => {
      this.running.delete(name);
      this.pending.delete(name);
    });
    this.running.set(name, started);
    return started;
  }

  /** Aborts the running rebuilds and waits for them to stop. */
  async close(): Promise<void> {
    this.background.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  private async run(name: string, options: RebuildOptions): Promise<RebuildResult> {
    const { dataSource, lockKey } = this.rt;
    if (!this.rt.readModels.has(name)) throw new UnknownReadModelError(name);
    if (!this.rt.store) throw new Error('a rebuild needs the event store (ForceProjectorOptions.store)');
    // A session lock held for the whole rebuild: another process's rebuild of the same read model waits its turn.
    const guard = dataSource.createQueryRunner();
    await guard.connect();
    try {
      const [{ locked }] = (await guard.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`${lockKey}:rebuild:${name}`])) as [
        { locked: boolean },
      ];
      if (!locked) throw new RebuildRunningError(name);
      try {
        return await this.rebuildLocked(name, options);
      } finally {
        await guard.query('SELECT pg_advisory_unlock(hashtext($1))', [`${lockKey}:rebuild:${name}`]);
      }
    } finally {
      await guard.release();
    }
  }

  private async rebuildLocked(name: string, options: RebuildOptions): Promise<RebuildResult> {
    const rt = this.rt;
    const model = rt.readModels.get(name)!;
    const store = rt.store!;
    const batchSize = options.batchSize ?? 5000;
    const build = await startBuild(rt, model);
    let position = build.appliedPosition;
    let events = build.appliedEvents;
    // An event of the history the store cannot read (undecodable, not upcastable) is recorded against this build
    // and passed; the relay never published it, so the live path never took it either.
    let skippedTo = position;
    const onUndecodable = async (failure: UndecodableEventError): Promise<void> => {
      await deadLetterUndecodable(rt.dataSource, rt.schema, model.name, build.version, failure);
      if (failure.position > skippedTo) skippedTo = failure.position;
    };
    // History: read the force's events from the store up to its head, in batches, each in one transaction.
    for (;;) {
      const head = await store.headPosition(rt.force);
      if (position >= head) break;
      // The next batch is read while this one is applied (a rebuild costs the larger of the two, not their sum).
      const history = store.readAll({ force: rt.force, fromPosition: position, batchSize, onUndecodable });
      for await (const chunk of readAhead(history, batchSize)) {
        const published = await publishedOnly(chunk, onUndecodable);
        await applyHistory(rt, model, build.version, published);
        position = chunk[chunk.length - 1]!.position;
        events += published.length;
        options.onProgress?.(events, position);
        if (options.signal?.aborted) throw new Error('rebuild aborted');
      }
      if (skippedTo > position) position = skippedTo;
      // The read horizon may hold back events already committed (another session's open transaction).
      if (position < head) await idle(20, options.signal);
      if (options.signal?.aborted) throw new Error('rebuild aborted');
    }
    const historyEvents = events;
    if (options.stopBeforeHandOver) {
      return {
        readModel: name,
        version: build.version,
        replaced: null,
        historyEvents,
        tailEvents: 0,
        handOverPosition: position,
        droppedOld: false,
      };
    }
    // Hand-over: the live consumer must have taken every event up to `position` first (it never applies an
    // event twice, and the new build must hold exactly what the live ledger says was applied).
    const deadline = Date.now() + (options.handOverTimeoutMs ?? 120_000);
    while ((await liveTakenUpTo(rt, rt.dataSource.manager, position)) < historyEvents) {
      if (Date.now() > deadline) {
        throw new Error(
          `rebuild of ${name}: the live consumer has not reached position ${position} (is the projector consuming?); ` +
            `the build stays 'building' and resumes on the next rebuild`,
        );
      }
      if (options.signal?.aborted) throw new Error('rebuild aborted');
      await idle(25, options.signal);
    }
    const { replaced, tail } = await handOver(rt, model, build.version, position, historyEvents, batchSize);
    let droppedOld = false;
    if (replaced !== null && options.dropOld !== false) {
      await rt.dataSource.transaction(async (em) => {
        await dropBuildTables(em, rt.schema, model, replaced);
        await em.query(`DELETE FROM ${rt.schema}.projection_builds WHERE read_model = $1 AND version = $2`, [name, replaced]);
      });
      droppedOld = true;
    }
    return { readModel: name, version: build.version, replaced, historyEvents, tailEvents: tail, handOverPosition: position, droppedOld };
  }
}
