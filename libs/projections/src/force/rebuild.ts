import { buildTables, loadBuilds, pointViews } from '../builds.js';
import { RebuildRunningError, UnknownReadModelError, type ForceRuntime } from './force-runtime.js';
import { indexBuild, nextVersion, startBuild, switchToBuild } from './hand-over.js';
import { writeHistory, type HistoryTarget } from './history.js';

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

  /**
   * Starts, in the background, the rebuilds `ensureBuilds` found: one pass over the force's history for all of them
   * (`rebuildAll`). If it fails, the builds stay `building` and resume at the next start.
   */
  startPending(): void {
    if (!this.rt.store || this.pending.size === 0) return;
    const names = [...this.pending];
    if (this.background.signal.aborted) return;
    this.rebuildAll(names, { handOverTimeoutMs: 3_600_000 }).catch(() => undefined);
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

  /**
   * Rebuilds several read models of the force (default: every one) reading the store's history once for all of
   * them (ADR 0044): each chunk is read, decoded and checked once, then written into every build. Each read model
   * then hands over as `rebuild` does. None of them may be rebuilding already.
   */
  async rebuildAll(names: readonly string[] = [...this.rt.readModels.keys()], options: RebuildOptions = {}): Promise<RebuildResult[]> {
    for (const name of names) if (!this.rt.readModels.has(name)) throw new UnknownReadModelError(name);
    const busy = names.find((name) => this.running.has(name));
    if (busy) throw new RebuildRunningError(busy);
    const signal = options.signal ? AbortSignal.any([options.signal, this.background.signal]) : this.background.signal;
    const all = this.locked(names, () => this.rebuildLocked(names, { ...options, signal }));
    const settled = all.finally(() => {
      for (const name of names) {
        this.running.delete(name);
        this.pending.delete(name);
      }
    });
    names.forEach((name, i) => {
      const one = settled.then((results) => results[i]!);
      // Its failure is the caller's (through the promise returned); this copy must not be an unhandled rejection.
      one.catch(() => undefined);
      this.running.set(name, one);
    });
    return settled;
  }

  private async run(name: string, options: RebuildOptions): Promise<RebuildResult> {
    if (!this.rt.readModels.has(name)) throw new UnknownReadModelError(name);
    const [result] = await this.locked([name], () => this.rebuildLocked([name], options));
    return result!;
  }

  /** Runs `work` holding the rebuild lock of every read model named (another process's rebuild of one waits its turn). */
  private async locked<T>(names: readonly string[], work: () => Promise<T>): Promise<T> {
    const { dataSource, lockKey } = this.rt;
    if (!this.rt.store) throw new Error('a rebuild needs the event store (ForceProjectorOptions.store)');
    // Session locks held for the whole rebuild.
    const guard = dataSource.createQueryRunner();
    await guard.connect();
    const held: string[] = [];
    try {
      for (const name of names) {
        const key = `${lockKey}:rebuild:${name}`;
        const [{ locked }] = (await guard.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key])) as [{ locked: boolean }];
        if (!locked) throw new RebuildRunningError(name);
        held.push(key);
      }
      return await work();
    } finally {
      for (const key of held) await guard.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      await guard.release();
    }
  }

  private async rebuildLocked(names: readonly string[], options: RebuildOptions): Promise<RebuildResult[]> {
    const rt = this.rt;
    const batchSize = options.batchSize ?? 5000;
    const targets: HistoryTarget[] = [];
    for (const name of names) {
      const model = rt.readModels.get(name)!;
      const build = await startBuild(rt, model);
      targets.push({ model, build, events: build.appliedEvents });
    }
    // History: the force's events from the store up to its head, in batches, each in one transaction per build.
    const position = await writeHistory(rt, targets, { batchSize, signal: options.signal, onProgress: options.onProgress });
    const results: RebuildResult[] = [];
    for (const { model, build, events } of targets) {
      await indexBuild(rt, model, build.version);
      const built = { readModel: model.name, version: build.version, historyEvents: events, handOverPosition: position };
      if (options.stopBeforeHandOver) results.push({ ...built, replaced: null, tailEvents: 0, droppedOld: false });
      else
        results.push({
          ...built,
          ...(await switchToBuild(rt, { model, version: build.version, position, historyEvents: events, batchSize }, options)),
        });
    }
    return results;
  }
}
