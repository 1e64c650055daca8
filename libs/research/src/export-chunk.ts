import type pg from 'pg';
import type { DateGranularity } from './coarsen.js';
import type { ErasedSubjects } from './erased-subjects.js';
import { CSV_PIECES, JSONL_PIECES, sanitiseSelected, type LinePieces, type ResearchRow, type Sanitised } from './research-event.js';
import type { Selection } from './selection.js';
import { mapSelection, type SelectedRow } from './selection-reader.js';
import type { Pseudonyms } from './study-key.js';

/** What became of a row read by the export. */
export const ROW_WRITTEN = 0;
/** Left out: a type the catalogue does not describe, or an event about an erased subject. */
export const ROW_LEFT_OUT = 1;
/** Could not be pseudonymised (a garbled row): isolated as a dead letter, not counted as read. */
export const ROW_FAILED = 2;

/**
 * The export's unit of work between reading and writing (ADR 0049): the rows of one read chunk, pseudonymised and
 * already in the output's form, everything but their sequence numbers, which only the writer can give (it alone
 * knows how many rows came before). A chunk holds no object per row but the Parquet rows: typed arrays and one
 * buffer, which a worker thread hands to the export's thread without a copy (`chunkTransferList`).
 */
export interface ExportChunk {
  /** Rows read, in position order. */
  readonly count: number;
  /** Each read row's position (exact: positions stay below 2^53). */
  readonly positions: Float64Array;
  /** Each read row's fate: ROW_WRITTEN, ROW_LEFT_OUT or ROW_FAILED. */
  readonly outcomes: Uint8Array;
  /** The failed rows, in order, with why. */
  readonly failures: readonly { readonly row: SelectedRow; readonly error: unknown }[];
  /** Per written row: its type and model version, as indexes into `names`. */
  readonly typeOf: Uint16Array;
  readonly versionOf: Uint16Array;
  readonly names: readonly string[];
  /**
   * Text formats: the written rows' lines as UTF-8, one after the other, each without its sequence number; line `k`
   * is `bytes[bounds[2k], bounds[2k+1])` + its number + `bytes[bounds[2k+1], bounds[2k+2])`.
   */
  readonly bytes?: Uint8Array;
  readonly bounds?: Uint32Array;
  /** Parquet: the written rows (their `seq` is set by the writer). */
  readonly rows?: ResearchRow[];
}

/** How a chunk is made: the same in the export's own thread and in its workers. */
/** What to read and how to write it: plain data, the same in the export's thread and in a worker thread. */
export interface ChunkReading {
  readonly eventStoreSchema: string;
  readonly selection: Selection;
  readonly batchSize: number;
  readonly granularity: DateGranularity;
  /** An ExportFormat (writers.ts, which reads chunks: named here by value, not imported). */
  readonly format: 'jsonl' | 'csv' | 'parquet';
}

/** A reading with the study's pseudonyms and the subjects left out. */
export interface ChunkContext extends ChunkReading {
  readonly pseudonymiser: Pseudonyms;
  readonly erased: ErasedSubjects;
}

const NONE: ReadonlySet<string> = new Set();
const PIECES: Readonly<Record<'jsonl' | 'csv', LinePieces>> = { jsonl: JSONL_PIECES, csv: CSV_PIECES };

interface Entry {
  readonly position: string;
  readonly sanitised: Sanitised | undefined;
  /** A row that could not be pseudonymised, and why (an Error: a worker hands it to the export's thread). */
  readonly row?: SelectedRow;
  readonly failure?: Error;
}

/** The rows of (after, upTo] of the selection, read in keyset batches, as export chunks in position order. */
export async function* selectionChunks(ctx: ChunkContext, pool: pg.Pool, after: bigint, upTo: bigint): AsyncGenerator<ExportChunk> {
  // Each row is pseudonymised as it arrives from the database (`mapSelection`): a chunk holds only what leaves.
  const entryOf = (row: SelectedRow): Entry => {
    try {
      return { position: row[0], sanitised: sanitiseSelected(row, ctx.pseudonymiser, ctx.granularity) };
    } catch (error) {
      return { position: row[0], sanitised: undefined, failure: error instanceof Error ? error : new Error(String(error)), row };
    }
  };
  const text = ctx.format === 'parquet' ? undefined : new LineEncoder(PIECES[ctx.format]);
  for await (const entries of mapSelection(
    pool,
    ctx.eventStoreSchema,
    ctx.selection,
    { after, upTo },
    ctx.batchSize,
    'utc-date',
    entryOf,
  )) {
    const erasedIds = ctx.erased.isEmpty()
      ? NONE
      : await ctx.erased.isErased(entries.flatMap(({ sanitised: s }) => (s ? [...s.subjects, s.actor] : [])));
    yield encodeChunk(entries, erasedIds, text);
  }
}

function encodeChunk(entries: readonly Entry[], erasedIds: ReadonlySet<string>, text: LineEncoder | undefined): ExportChunk {
  const count = entries.length;
  const positions = new Float64Array(count);
  const outcomes = new Uint8Array(count);
  const failures: { row: SelectedRow; error: unknown }[] = [];
  const written: ResearchRow[] = [];
  for (let i = 0; i < count; i++) {
    const entry = entries[i]!;
    const position = Number(entry.position);
    if (!Number.isSafeInteger(position)) throw new Error(`position ${entry.position} is beyond what an export can number`);
    positions[i] = position;
    if (entry.row !== undefined) {
      outcomes[i] = ROW_FAILED;
      failures.push({ row: entry.row, error: entry.failure });
      continue;
    }
    const s = entry.sanitised;
    if (!s || s.subjects.some((id) => erasedIds.has(id))) {
      outcomes[i] = ROW_LEFT_OUT;
      continue;
    }
    if (erasedIds.has(s.actor)) s.row.actor = null;
    written.push(s.row);
  }
  const names: string[] = [];
  const index = new Map<string, number>();
  const nameIndex = (name: string): number => {
    let k = index.get(name);
    if (k === undefined) {
      k = names.push(name) - 1;
      index.set(name, k);
    }
    return k;
  };
  const typeOf = new Uint16Array(written.length);
  const versionOf = new Uint16Array(written.length);
  for (let k = 0; k < written.length; k++) {
    typeOf[k] = nameIndex(written[k]!.type);
    versionOf[k] = nameIndex(written[k]!.modelVersion);
  }
  const common = { count, positions, outcomes, failures, typeOf, versionOf, names };
  return text ? { ...common, ...text.encode(written) } : { ...common, rows: written };
}

/** Lines into one scratch buffer, then copied into a buffer of their own size (one that can be transferred). */
class LineEncoder {
  private scratch = Buffer.allocUnsafe(1 << 20);

  constructor(private readonly pieces: LinePieces) {}

  encode(rows: readonly ResearchRow[]): { bytes: Uint8Array; bounds: Uint32Array } {
    const bounds = new Uint32Array(2 * rows.length + 1);
    let used = 0;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k]!;
      used = this.put(this.pieces.head(row), used);
      bounds[2 * k + 1] = used;
      used = this.put(this.pieces.tail(row), used);
      bounds[2 * k + 2] = used;
    }
    const bytes = new Uint8Array(used);
    bytes.set(this.scratch.subarray(0, used));
    return { bytes, bounds };
  }

  private put(piece: string, used: number): number {
    // At most 3 UTF-8 bytes per UTF-16 code unit.
    if (used + piece.length * 3 > this.scratch.length) {
      const larger = Buffer.allocUnsafe(Math.max(2 * this.scratch.length, used + piece.length * 3));
      this.scratch.copy(larger, 0, 0, used);
      this.scratch = larger;
    }
    return used + this.scratch.write(piece, used, 'utf8');
  }
}

/** The buffers of a chunk a worker hands over without copying them. */
export function chunkTransferList(chunk: ExportChunk): ArrayBuffer[] {
  const views = [chunk.positions, chunk.outcomes, chunk.typeOf, chunk.versionOf, chunk.bytes, chunk.bounds];
  return views.flatMap((v) => (v ? [v.buffer as ArrayBuffer] : []));
}
