import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { assertIdentifier, INDEX_ORDER_LOCAL_SQL, lastRows } from '#event-store/reading';
import { ErasedSubjectSet, type ErasedSubjects } from './erased-subjects.js';
import { selectionChunks, type ChunkContext, type ChunkReading, type ExportChunk } from './export-chunk.js';
import type { FromWorker, ToWorker, WorkerSetup } from './export-worker-protocol.js';
import type { ExportOptions } from './export-types.js';
import type { Selection } from './selection.js';
import type { Pseudonyms } from './study-key.js';

/** `nom research export`'s default `--workers`: a thread a core, at most four. */
export const DEFAULT_EXPORT_WORKERS = Math.max(1, Math.min(4, availableParallelism()));

/** What an export run has made ready for its readers. */
export interface ExportSources {
  readonly studyKey: Buffer;
  readonly pseudonymiser: Pseudonyms;
  readonly selection: Selection;
  readonly erased: ErasedSubjects;
  readonly batchSize: number;
  /** The export's pool: it needs a connection for each reader in the export's own thread, and one more. */
  readonly pool: pg.Pool;
}

/**
 * Whether an export's readers run in its own thread, interleaved: when asked (`workersInProcess`), or when the
 * caller's erased set cannot be copied to a worker thread (only an `ErasedSubjectSet`, which the export loads itself
 * when given none, can).
 */
export function readersInThisThread(options: Pick<ExportOptions, 'workersInProcess' | 'erasedSubjects'>): boolean {
  return (
    options.workersInProcess === true || (options.erasedSubjects !== undefined && !(options.erasedSubjects instanceof ErasedSubjectSet))
  );
}

/** Connections the export's own pool needs: the count beside the reads, and each reader in the export's own thread. */
export function exportPoolSize(options: Pick<ExportOptions, 'workers' | 'workersInProcess' | 'erasedSubjects'>): number {
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  return workers > 1 && !readersInThisThread(options) ? 2 : 1 + workers;
}

/**
 * The chunks of (after, upTo] in position order: read in the export's thread by one reader, or by `options.workers`
 * at once (worker threads, or interleaved in this thread with `workersInProcess` or an erased set that cannot be
 * handed to a thread).
 */
export function exportChunks(options: ExportOptions, sources: ExportSources, after: bigint, upTo: bigint): AsyncGenerator<ExportChunk> {
  const reading: ChunkReading = {
    eventStoreSchema: options.eventStoreSchema,
    selection: sources.selection,
    batchSize: sources.batchSize,
    granularity: options.query.dateGranularity,
    format: options.query.format,
  };
  const ctx: ChunkContext = { ...reading, pseudonymiser: sources.pseudonymiser, erased: sources.erased };
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  if (workers === 1) return selectionChunks(ctx, sources.pool, after, upTo);
  const rows = Math.max(1, Math.floor(options.segmentRows ?? sources.batchSize * 4));
  const erased = sources.erased;
  // The erased set is the caller's or the one the export loaded, an ErasedSubjectSet whenever the readers may leave
  // this thread (readersInThisThread, which also sized the pool); the instanceof narrows it for the copy.
  const inThisThread = readersInThisThread(options) || !(erased instanceof ErasedSubjectSet);
  // Made once the range is known not to be empty: each worker runner is a thread to stop.
  const runners = (): SegmentRunner[] =>
    Array.from({ length: workers }, () =>
      inThisThread
        ? new InProcessSegmentRunner(ctx, sources.pool)
        : new WorkerSegmentRunner({
            databaseUrl: options.databaseUrl,
            reading,
            studyKey: new Uint8Array(sources.studyKey),
            erasedIds: erased.subjectIds(),
          }),
    );
  const boundary = segmentBoundaries(sources.pool, options.eventStoreSchema, upTo, rows);
  return orderedChunks(after, upTo, boundary, runners);
}

/**
 * Where a segment that starts after `from` ends: at the log's `rows`-th position after it (or `upTo`). Counted on the
 * primary key's index in position order, whatever the selection: positions are sparse (a transaction's events are
 * numbered from its id shifted left by 20 bits, ADR 0003), so a segment is a number of the log's events, not a span
 * of positions; it holds at most `rows` of the selection's.
 */
export function segmentBoundaries(pool: pg.Pool, eventStoreSchema: string, upTo: bigint, rows: number): (from: bigint) => Promise<bigint> {
  const schema = assertIdentifier(eventStoreSchema);
  // As every read of the log in position order (ADR 0019): the index's order, whatever the statistics say; the
  // values are integers, inlined (one simple-protocol round trip with its SET LOCALs).
  return async (from) => {
    const sql =
      `${INDEX_ORDER_LOCAL_SQL}SELECT position FROM ${schema}.events WHERE position > ${BigInt(from)} AND position <= ${BigInt(upTo)} ` +
      `ORDER BY position OFFSET ${Math.floor(rows) - 1} LIMIT 1`;
    const found = lastRows(await pool.query<{ position: string }>(sql));
    return found[0] ? BigInt(found[0].position) : upTo;
  };
}

/**
 * An export spread over threads (ADR 0049): the range to export is cut into segments of positions, each read,
 * pseudonymised and encoded by one of several runners at once, and the chunks come out in position order, as one
 * runner would give them. A runner works on one segment at a time.
 */
export interface SegmentRunner {
  /** Reads (after, upTo], handing over each chunk in order; settles when the segment is done. */
  run(after: bigint, upTo: bigint, onChunk: (chunk: ExportChunk) => void): Promise<void>;
  close(): Promise<void>;
}

interface Segment {
  readonly chunks: ExportChunk[];
  done: boolean;
  failure?: Error;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * The chunks of (after, upTo] in position order, the segments (each ending where `boundary` says) read by the
 * runners at once (made once there is something to read). At
 * most `runners.length + 1` segments are taken ahead of the one being handed out (the memory held is bounded by
 * that many segments, whatever the log's length). A caller that stops early, or a runner's failure, stops them all.
 */
export async function* orderedChunks(
  after: bigint,
  upTo: bigint,
  boundary: (from: bigint) => Promise<bigint>,
  makeRunners: () => readonly SegmentRunner[],
): AsyncGenerator<ExportChunk> {
  if (after >= upTo) return;
  const runners = makeRunners();
  const segments: Segment[] = [];
  const idle = [...runners];
  let next = after;
  let head = 0;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const running = new Set<Promise<void>>();
  const assign = async (): Promise<void> => {
    while (idle.length > 0 && next < upTo && segments.length - head <= runners.length) {
      const from = next;
      const to = await boundary(from);
      if (to <= from || to > upTo) throw new Error(`a segment after ${from} cannot end at ${to} (the range ends at ${upTo})`);
      next = to;
      const runner = idle.shift()!;
      const segment: Segment = { chunks: [], done: false };
      segments.push(segment);
      const run = runner
        .run(from, to, (chunk) => {
          segment.chunks.push(chunk);
          signal();
        })
        .then(
          () => {
            segment.done = true;
            idle.push(runner);
          },
          (error: unknown) => void (segment.failure = asError(error)),
        )
        .finally(() => {
          running.delete(run);
          signal();
        });
      running.add(run);
    }
  };
  try {
    await assign();
    while (head < segments.length) {
      const segment = segments[head]!;
      const chunk = segment.chunks.shift();
      if (chunk !== undefined) yield chunk;
      else if (segment.failure !== undefined) throw segment.failure;
      else if (segment.done) {
        segments[head++] = { chunks: [], done: true }; // what it held is released
        await assign();
      } else {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        await assign();
      }
    }
  } finally {
    // Whatever is still running is stopped with its runner (an early stop, a failure): the runners are closed below.
    await Promise.allSettled(runners.map((r) => r.close()));
    await Promise.allSettled([...running]);
  }
}

/** A runner in the export's own thread (no parallelism of CPU, only of the database's reads; and for tests). */
export class InProcessSegmentRunner implements SegmentRunner {
  private closed = false;

  constructor(
    private readonly ctx: ChunkContext,
    private readonly pool: pg.Pool,
  ) {}

  async run(after: bigint, upTo: bigint, onChunk: (chunk: ExportChunk) => void): Promise<void> {
    for await (const chunk of selectionChunks(this.ctx, this.pool, after, upTo)) {
      if (this.closed) return;
      onChunk(chunk);
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** The compiled worker's entry (beside this file once built: `dist/libs/research/src/export-worker.js`). */
export const EXPORT_WORKER_URL = new URL('./export-worker.js', import.meta.url);

/** A runner on a worker thread of its own, with its own connection to the database. */
export class WorkerSegmentRunner implements SegmentRunner {
  private readonly worker: Worker;
  private current: { onChunk: (chunk: ExportChunk) => void; resolve: () => void; reject: (error: Error) => void } | undefined;
  private broken: Error | undefined;
  private readonly exited: Promise<void>;
  private closing: Promise<void> | undefined;

  constructor(setup: WorkerSetup, url: URL = EXPORT_WORKER_URL) {
    this.worker = new Worker(url, { workerData: setup });
    this.worker.on('message', (message: FromWorker) => {
      const current = this.current;
      if (message.kind === 'chunk') current?.onChunk(message.chunk);
      else if (message.kind === 'done' || message.kind === 'failed') {
        this.current = undefined;
        if (message.kind === 'done') current?.resolve();
        else current?.reject(asError(message.error));
      }
    });
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        if (this.closing === undefined) this.fail(new Error(`an export worker stopped (exit code ${code})`));
        resolve();
      }),
    );
  }

  private fail(error: Error): void {
    this.broken ??= error;
    const current = this.current;
    this.current = undefined;
    current?.reject(error);
  }

  run(after: bigint, upTo: bigint, onChunk: (chunk: ExportChunk) => void): Promise<void> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    if (this.current !== undefined) return Promise.reject(new Error('an export worker runs one segment at a time'));
    return new Promise((resolve, reject) => {
      this.current = { onChunk, resolve, reject };
      this.worker.postMessage({ kind: 'segment', after: after.toString(), upTo: upTo.toString() } satisfies ToWorker);
    });
  }

  /** Stops the worker: at once if it is in the middle of a segment (an early stop), else after it closes its pool. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const busy = this.current !== undefined || this.broken !== undefined;
      this.fail(new Error('the export stopped its workers'));
      if (busy) await this.worker.terminate();
      else this.worker.postMessage({ kind: 'close' } satisfies ToWorker);
      await this.exited;
    })();
    return this.closing;
  }
}
