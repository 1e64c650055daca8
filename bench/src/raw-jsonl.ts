import { open } from 'node:fs/promises';
import pg from 'pg';

/**
 * The raw limit of a research export (run as a child process by the research-export bench, so that its peak
 * memory is measured like the export's): the same rows read with a plain keyset query in batches, written as
 * JSON lines to a file with backpressure. No pseudonymisation, no checks. Each batch's lines are encoded into one of
 * two reused buffers and written while the next batch is read and encoded, as the export writes its parts (a fresh
 * Buffer per batch costs page faults that would make the limit slower than the export's own writing).
 *   node dist/bench/src/raw-jsonl.js <schema> <out file> <batch size>
 */
const [schema, out, batchArg] = process.argv.slice(2);
if (!schema || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema) || !out) throw new Error('usage: raw-jsonl.js <schema> <out file> [batch size]');
const batch = Number(batchArg ?? '2000');
const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 1 });
const file = await open(out, 'w');
const started = performance.now();
let buffers = [Buffer.allocUnsafe(4 << 20), Buffer.allocUnsafe(4 << 20)];
let filling = 0;
let writing: Promise<void> = Promise.resolve();
let position = '0';
const writeAll = async (buffer: Buffer, length: number): Promise<void> => {
  for (let done = 0; done < length;) done += (await file.write(buffer, done, length - done)).bytesWritten;
};
let events = 0;
for (;;) {
  const { rows } = await pool.query<{ position: string }>(
    `SELECT position, event_id, stream_id, revision, type, data, metadata, recorded_at FROM ${schema}.events WHERE position > $1 ORDER BY position LIMIT ${batch}`,
    [position],
  );
  if (rows.length === 0) break;
  let buffer = buffers[filling]!;
  let used = 0;
  for (const row of rows) {
    const line = `${JSON.stringify(row)}\n`;
    if (used + line.length * 3 > buffer.length) {
      // A batch bigger than the buffer: both buffers grow (once the write of the other is done).
      await writing;
      const grown = Buffer.allocUnsafe(2 * buffer.length + line.length * 3);
      buffer.copy(grown, 0, 0, used);
      buffers = [grown, Buffer.allocUnsafe(grown.length)];
      filling = 0;
      buffer = grown;
    }
    used += buffer.write(line, used, 'utf8');
  }
  await writing; // the other buffer's write is done: one write at a time, in order
  writing = writeAll(buffer, used);
  filling ^= 1;
  events += rows.length;
  position = rows[rows.length - 1]!.position;
  if (rows.length < batch) break;
}
await writing;
await file.close();
await pool.end();
process.stdout.write(`${JSON.stringify({ events, seconds: Math.round(performance.now() - started) / 1000 })}\n`);
