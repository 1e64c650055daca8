import pg from 'pg';
import type { RecordedEvent } from '#contracts';
import { INDEX_ORDER_RESET_SQL, INDEX_ORDER_SESSION_SQL, recordedEventFromRow, type EventRow } from '#event-store/reading';
import { selectionBatchSql, type RecordedTime, type Selection } from './selection.js';

/**
 * A selected event as the reader gets it: position, event id, stream id, revision (decimal strings), type, data and
 * metadata (parsed JSON), recorded time (a Date, or the UTC date as text: see `RecordedTime`).
 */
export type SelectedRow = readonly [string, string, string, string, string, unknown, unknown, Date | string];

/** The recorded event of a selected row (the event store's one mapping from a stored row). */
export function recordedEventOfRow(row: SelectedRow): RecordedEvent {
  return recordedEventFromRow({
    position: row[0],
    event_id: row[1],
    stream_id: row[2],
    revision: row[3],
    type: row[4],
    data: row[5],
    metadata: row[6] as EventRow['metadata'],
    recorded_at: row[7],
  });
}

/** What `mapSelection` makes of each row is handed over in chunks of this many (or fewer, at a batch's end). */
export const SELECTION_CHUNK_ROWS = 250;

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * The selected events in (after, upTo], in position order. Each row is given to `map` as it arrives from the socket
 * (no row is held, only what `map` makes of it), and that is handed to the caller in chunks of `chunkRows` as they
 * fill. The log is read in keyset batches of `batchSize` rows; the next batch is asked for as soon as one ends (the
 * database reads it while the caller works), unless the caller is more than a batch behind: at most about two batches
 * wait in memory, whatever the log's length, and a caller that keeps up holds a chunk or two (little for the garbage
 * collector to copy: it was most of a research export's time with whole batches held). The reads run on a connection
 * of their own under INDEX_ORDER_SETTINGS, so each batch keeps the index-ordered plan (and its constant cost) on a
 * log whose statistics lag behind (issue 14).
 */
export async function* mapSelection<T>(
  pool: pg.Pool,
  eventStoreSchema: string,
  selection: Selection,
  range: { readonly after: bigint; readonly upTo: bigint },
  batchSize: number,
  recorded: RecordedTime,
  map: (row: SelectedRow) => T,
  chunkRows = SELECTION_CHUNK_ROWS,
): AsyncGenerator<T[]> {
  const size = Math.max(1, Math.floor(batchSize));
  const { sql, params } = selectionBatchSql(eventStoreSchema, selection, size, recorded);
  const upTo = range.upTo.toString();
  const client = await pool.connect();
  try {
    await client.query(INDEX_ORDER_SESSION_SQL);
  } catch (error) {
    client.release(asError(error));
    throw error;
  }
  const ready: T[][] = [];
  let filling: T[] = [];
  /** Items made and not yet taken by the caller (in `ready` and `filling`). */
  let waiting = 0;
  let finished = false;
  let failure: Error | undefined;
  let stopped = false;
  let callerWaits: (() => void) | undefined;
  let readerWaits: (() => void) | undefined;
  const wakeCaller = (): void => {
    const wake = callerWaits;
    callerWaits = undefined;
    wake?.();
  };
  const wakeReader = (): void => {
    const wake = readerWaits;
    readerWaits = undefined;
    wake?.();
  };

  const readBatch = (cursor: string): Promise<{ readonly count: number; readonly last: string | undefined }> =>
    new Promise((resolve, reject) => {
      let count = 0;
      let last: string | undefined;
      let mapFailure: Error | undefined;
      const config: pg.QueryArrayConfig = { text: sql, values: [cursor, upTo, ...params], rowMode: 'array' };
      const query = new pg.Query(config);
      query.on('row', (row: SelectedRow) => {
        // Thrown here it would reach the connection's parser: kept, and the batch fails once the server is done with it.
        if (mapFailure) return;
        count += 1;
        last = row[0];
        try {
          filling.push(map(row));
        } catch (error) {
          mapFailure = asError(error);
          return;
        }
        waiting += 1;
        if (filling.length >= chunkRows) {
          ready.push(filling);
          filling = [];
          wakeCaller();
        }
      });
      query.on('error', reject);
      query.on('end', () => (mapFailure ? reject(mapFailure) : resolve({ count, last })));
      client.query(query);
    });

  const read = async (): Promise<void> => {
    let cursor = range.after.toString();
    for (;;) {
      const { count, last } = await readBatch(cursor);
      if (filling.length > 0) {
        ready.push(filling);
        filling = [];
        wakeCaller();
      }
      if (count < size || last === undefined) return;
      cursor = last;
      while (waiting > size && !stopped) await new Promise<void>((resolve) => (readerWaits = resolve));
      if (stopped) return;
    }
  };
  const reading = read().then(
    () => void (finished = true),
    (error: unknown) => void (failure = asError(error)),
  );
  void reading.then(wakeCaller);

  try {
    for (;;) {
      const chunk = ready.shift();
      if (chunk !== undefined) {
        waiting -= chunk.length;
        wakeReader();
        yield chunk;
      } else if (failure) throw failure;
      else if (finished) return;
      else await new Promise<void>((resolve) => (callerWaits = resolve));
    }
  } finally {
    // A caller that stops early (an interrupted export) leaves no query running behind it.
    stopped = true;
    wakeReader();
    await reading;
    if (!failure) await client.query(INDEX_ORDER_RESET_SQL).catch((error: unknown) => (failure = asError(error)));
    client.release(failure);
  }
}

/**
 * The selected events in (after, upTo] as recorded events, in position order, one keyset batch at a time
 * (`mapSelection`, with a chunk per batch).
 */
export function readSelection(
  pool: pg.Pool,
  eventStoreSchema: string,
  selection: Selection,
  after: bigint,
  upTo: bigint,
  batchSize = 2000,
  recorded: RecordedTime = 'instant',
): AsyncGenerator<RecordedEvent[]> {
  const size = Math.max(1, Math.floor(batchSize));
  return mapSelection(pool, eventStoreSchema, selection, { after, upTo }, size, recorded, recordedEventOfRow, size);
}
