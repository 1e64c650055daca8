import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import pg from 'pg';

/**
 * The raw limit of a research export (run as a child process by the research-export bench, so that its peak
 * memory is measured like the export's): the same rows read with a plain keyset query in batches, written as
 * JSON lines to a file with backpressure. No pseudonymisation, no checks.
 *   node dist/bench/src/raw-jsonl.js <schema> <out file> <batch size>
 */
const [schema, out, batchArg] = process.argv.slice(2);
if (!schema || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema) || !out) throw new Error('usage: raw-jsonl.js <schema> <out file> [batch size]');
const batch = Number(batchArg ?? '2000');
const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 1 });
const stream = createWriteStream(out);
const started = performance.now();
let position = '0';
let events = 0;
for (;;) {
  const { rows } = await pool.query<{ position: string }>(
    `SELECT position, event_id, stream_id, revision, type, data, metadata, recorded_at FROM ${schema}.events WHERE position > $1 ORDER BY position LIMIT ${batch}`,
    [position],
  );
  if (rows.length === 0) break;
  let chunk = '';
  for (const row of rows) chunk += `${JSON.stringify(row)}\n`;
  if (!stream.write(chunk)) await once(stream, 'drain');
  events += rows.length;
  position = rows[rows.length - 1]!.position;
  if (rows.length < batch) break;
}
stream.end();
await once(stream, 'close');
await pool.end();
process.stdout.write(`${JSON.stringify({ events, seconds: Math.round(performance.now() - started) / 1000 })}\n`);
