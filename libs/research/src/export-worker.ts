import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { chunkTransferList, selectionChunks, type ChunkContext } from './export-chunk.js';
import type { FromWorker, ToWorker, WorkerSetup } from './export-worker-protocol.js';
import { ErasedSubjectSet } from './erased-subjects.js';
import { Pseudonymiser } from './study-key.js';

/**
 * A research export's worker thread (ADR 0049): reads the segments of the log it is given on a connection of its
 * own, pseudonymises and encodes their rows, and hands each chunk to the export's thread (which numbers and writes
 * them in order). It never writes a file and never logs a disclosure: the export's thread does both.
 */
const port = parentPort;
if (port === null) throw new Error('export-worker.js runs as a worker thread of a research export');
const setup = workerData as WorkerSetup;
const ctx: ChunkContext = {
  ...setup.reading,
  pseudonymiser: new Pseudonymiser(Buffer.from(setup.studyKey)),
  erased: new ErasedSubjectSet(setup.erasedIds),
};
const pool = new pg.Pool({ connectionString: setup.databaseUrl, max: 1 });
pool.on('error', () => undefined);
const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

async function segment(after: bigint, upTo: bigint): Promise<void> {
  try {
    for await (const chunk of selectionChunks(ctx, pool, after, upTo)) send({ kind: 'chunk', chunk }, chunkTransferList(chunk));
    send({ kind: 'done' });
  } catch (error) {
    send({ kind: 'failed', error });
  }
}

port.on('message', (message: ToWorker) => {
  if (message.kind === 'segment') void segment(BigInt(message.after), BigInt(message.upTo));
  else
    void pool.end().finally(() => {
      send({ kind: 'closed' });
      port.close();
    });
});
