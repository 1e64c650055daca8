import type { ChunkReading, ExportChunk } from './export-chunk.js';

// The messages between a research export's thread and its worker threads (ADR 0049), apart from both sides' code:
// the worker imports only what it runs (the export-worker-stays-light rule of .dependency-cruiser.cjs).

/** What a worker thread needs to make chunks as the export's thread would (all of it can be copied to a thread). */
export interface WorkerSetup {
  readonly databaseUrl: string;
  readonly reading: ChunkReading;
  readonly studyKey: Uint8Array;
  readonly erasedIds: readonly string[];
}

export type ToWorker = { readonly kind: 'segment'; readonly after: string; readonly upTo: string } | { readonly kind: 'close' };
export type FromWorker =
  | { readonly kind: 'chunk'; readonly chunk: ExportChunk }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'closed' };
