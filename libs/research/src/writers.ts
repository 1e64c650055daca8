import { createHash } from 'node:crypto';
import { close, closeSync, openSync, write, writeSync } from 'node:fs';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ExportChunk } from './export-chunk.js';
import { CSV_HEADER, toCloudEvent, toCsvLine, type ResearchRow } from './research-event.js';

export const EXPORT_FORMATS = ['jsonl', 'csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

export interface FinishedPart {
  readonly bytes: number;
  readonly sha256: string;
}

/** One output file being written: rows in, checksum out. */
export interface PartWriter {
  write(rows: readonly ResearchRow[]): Promise<void>;
  /** The written rows `from` to `to` (exclusive) of a chunk, numbered from `firstSeq` (ADR 0049). */
  writeChunk(chunk: ExportChunk, from: number, to: number, firstSeq: number): Promise<void>;
  finish(): Promise<FinishedPart>;
  /** Stops without finishing (an interrupted run): the file is left incomplete and a resume rewrites it. */
  abandon(): Promise<void>;
}

/** A text part's output buffers: how many, and the bytes of each. */
const TEXT_BUFFERS = 4;
const TEXT_BUFFER_BYTES = 1 << 20;

/** Writes all of `length` bytes of `buffer` to the file at `position`. */
function writeFully(fd: number, buffer: Buffer, length: number, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const from = (offset: number): void =>
      write(fd, buffer, offset, length - offset, position + offset, (error, n) => {
        if (error) reject(error);
        else if (offset + n < length) from(offset + n);
        else resolve();
      });
    from(0);
  });
}

const DIGITS = Buffer.alloc(16);

/** `n` (a non-negative safe integer) in decimal ASCII into `buffer` at `at`; returns the offset after it. */
function writeDigits(buffer: Buffer, at: number, n: number): number {
  let length = 0;
  do {
    DIGITS[length++] = 48 + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
  for (let i = length - 1; i >= 0; i--) buffer[at++] = DIGITS[i]!;
  return at;
}

/**
 * JSON Lines and CSV: each line encoded as UTF-8 straight into one of a few reused buffers; a full buffer is hashed
 * and written at its place in the file while the next fills. Only when every buffer is still being written does it
 * wait (backpressure), which is rare: the export then keeps up with its reader, and little of what it read waits in
 * memory. No Buffer is made per batch: a fresh megabyte-sized Buffer per batch cost more (page faults) than encoding it.
 */
class TextPartWriter implements PartWriter {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private readonly idle: Buffer[] = [];
  private filling: Buffer = Buffer.allocUnsafe(TEXT_BUFFER_BYTES);
  private used = 0;
  /** Bytes handed to writes so far: the file offset of the next. */
  private bytes = 0;
  /** Writes in flight, oldest first; each is never rejected, its failure is kept in `failure`. */
  private readonly writing: { readonly buffer: Buffer; readonly done: Promise<void> }[] = [];
  private failure: Error | undefined;
  private closed = false;

  constructor(
    path: string,
    private readonly line: (row: ResearchRow) => string,
    header = '',
  ) {
    this.fd = openSync(path, 'w');
    for (let i = 1; i < TEXT_BUFFERS; i++) this.idle.push(Buffer.allocUnsafe(TEXT_BUFFER_BYTES));
    this.used = this.filling.write(header, 0, 'utf8');
  }

  async write(rows: readonly ResearchRow[]): Promise<void> {
    for (const row of rows) {
      const text = this.line(row);
      // At most 3 UTF-8 bytes per UTF-16 code unit: room is made (rarely, so awaited only then) before encoding.
      if (this.used + text.length * 3 > this.filling.length) {
        await this.flush();
        if (text.length * 3 > this.filling.length) {
          this.submit(Buffer.from(text, 'utf8')); // a line longer than a buffer is written on its own
          continue;
        }
      }
      this.used += this.filling.write(text, this.used, 'utf8');
    }
  }

  async writeChunk(chunk: ExportChunk, from: number, to: number, firstSeq: number): Promise<void> {
    const bytes = chunk.bytes!;
    const bounds = chunk.bounds!;
    const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let seq = firstSeq;
    for (let k = from; k < to; k++, seq++) {
      const start = bounds[2 * k]!;
      const cut = bounds[2 * k + 1]!;
      const end = bounds[2 * k + 2]!;
      // The line and its number (at most 16 digits: positions and counts stay below 2^53).
      const room = end - start + 16;
      if (this.used + room > this.filling.length) {
        await this.flush();
        if (room > this.filling.length) {
          this.submit(Buffer.concat([source.subarray(start, cut), Buffer.from(String(seq)), source.subarray(cut, end)]));
          continue;
        }
      }
      this.used += source.copy(this.filling, this.used, start, cut);
      this.used = writeDigits(this.filling, this.used, seq);
      this.used += source.copy(this.filling, this.used, cut, end);
    }
  }

  /** Hashes `buffer` and starts writing it at its place in the file. */
  private submit(buffer: Buffer, length = buffer.length): void {
    this.hash.update(buffer.subarray(0, length));
    const done = writeFully(this.fd, buffer, length, this.bytes).catch((error: unknown) => void (this.failure ??= error as Error));
    this.writing.push({ buffer, done });
    this.bytes += length;
  }

  /** Writes the buffer filling; the next to fill is an idle one, or the oldest once its write is done. */
  private async flush(): Promise<void> {
    this.check();
    if (this.used === 0) return;
    this.submit(this.filling, this.used);
    this.used = 0;
    let next = this.idle.pop();
    while (next === undefined) {
      const oldest = this.writing.shift()!;
      await oldest.done;
      this.check();
      if (oldest.buffer.length === TEXT_BUFFER_BYTES) next = oldest.buffer;
    }
    this.filling = next;
  }

  private async drain(): Promise<void> {
    await Promise.all(this.writing.map((w) => w.done));
    this.writing.length = 0;
    this.check();
  }

  /** Throws the failure of an earlier write. */
  private check(): void {
    if (this.failure) throw this.failure;
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve, reject) => close(this.fd, (error) => (error ? reject(error) : resolve())));
  }

  async finish(): Promise<FinishedPart> {
    try {
      this.check();
      if (this.used > 0) this.submit(this.filling, this.used);
      this.used = 0;
      await this.drain();
    } finally {
      await this.close();
    }
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  async abandon(): Promise<void> {
    await Promise.all(this.writing.map((w) => w.done));
    await this.close();
  }
}

/** hyparquet-writer's buffered file writer, hashing what it writes. */
function hashingFileWriter(path: string): { writer: ByteWriter; digest(): FinishedPart; close(): void } {
  const writer = new ByteWriter();
  const fd = openSync(path, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  let open = true;
  const flush = (): void => {
    const chunk = new Uint8Array(writer.buffer, 0, writer.index);
    writeSync(fd, chunk);
    hash.update(chunk);
    bytes += chunk.length;
    writer.index = 0;
  };
  const ensure = writer.ensure.bind(writer);
  writer.ensure = (size: number): void => {
    if (writer.index > 1_000_000) flush();
    ensure(size);
  };
  writer.finish = (): void => {
    flush();
  };
  return {
    writer,
    digest: () => ({ bytes, sha256: hash.digest('hex') }),
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

const utf8 = (name: string, nullable = false) =>
  ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: nullable ? 'OPTIONAL' : 'REQUIRED' }) as const;

/** The fixed Parquet schema: the envelope columns and `data` (the pseudonymised payload as JSON). */
export const PARQUET_SCHEMA = [
  { name: 'root', num_children: 14 },
  { name: 'seq', type: 'INT64', repetition_type: 'REQUIRED' },
  utf8('id'),
  utf8('type'),
  utf8('force'),
  utf8('stream'),
  { name: 'revision', type: 'INT64', repetition_type: 'REQUIRED' },
  utf8('occurred', true),
  utf8('recorded', true),
  utf8('modelVersion'),
  utf8('classification'),
  utf8('actor', true),
  utf8('correlationId'),
  utf8('causationId'),
  { name: 'data', type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type: 'REQUIRED' },
] as const;

/** Parquet: rows buffered up to one row group, then encoded and flushed (memory bounded by the row group). */
class ParquetPartWriter implements PartWriter {
  private readonly file;
  private readonly parquet: ParquetWriter;
  private buffered: ResearchRow[] = [];

  constructor(
    path: string,
    private readonly rowGroupSize: number,
  ) {
    this.file = hashingFileWriter(path);
    this.parquet = new ParquetWriter({
      writer: this.file.writer,
      schema: PARQUET_SCHEMA as never,
      codec: 'SNAPPY',
      createdBy: 'nom research export',
    });
  }

  private flushGroup(): void {
    const rows = this.buffered;
    if (rows.length === 0) return;
    this.buffered = [];
    const column = <K extends keyof ResearchRow>(name: K) => rows.map((r) => r[name]);
    this.parquet.write({
      rowGroupSize: rows.length,
      columnData: [
        { name: 'seq', data: rows.map((r) => BigInt(r.seq)) },
        { name: 'id', data: column('id') },
        { name: 'type', data: column('type') },
        { name: 'force', data: column('force') },
        { name: 'stream', data: column('stream') },
        { name: 'revision', data: rows.map((r) => BigInt(r.revision)) },
        { name: 'occurred', data: column('occurred') },
        { name: 'recorded', data: column('recorded') },
        { name: 'modelVersion', data: column('modelVersion') },
        { name: 'classification', data: column('classification') },
        { name: 'actor', data: column('actor') },
        { name: 'correlationId', data: column('correlationId') },
        { name: 'causationId', data: column('causationId') },
        { name: 'data', data: column('data') },
      ],
    }) as void;
  }

  write(rows: readonly ResearchRow[]): Promise<void> {
    for (const row of rows) {
      this.buffered.push(row);
      if (this.buffered.length >= this.rowGroupSize) this.flushGroup();
    }
    return Promise.resolve();
  }

  writeChunk(chunk: ExportChunk, from: number, to: number, firstSeq: number): Promise<void> {
    const rows = chunk.rows!;
    const numbered: ResearchRow[] = [];
    for (let k = from; k < to; k++) numbered.push({ ...rows[k]!, seq: firstSeq + k - from });
    return this.write(numbered);
  }

  finish(): Promise<FinishedPart> {
    this.flushGroup();
    this.parquet.finish() as void;
    this.file.close();
    return Promise.resolve(this.file.digest());
  }

  abandon(): Promise<void> {
    this.file.close();
    return Promise.resolve();
  }
}

export function partFileName(format: ExportFormat, index: number): string {
  return `events-${String(index).padStart(5, '0')}.${format}`;
}

export function openPartWriter(format: ExportFormat, path: string, rowGroupSize: number): PartWriter {
  switch (format) {
    case 'jsonl':
      return new TextPartWriter(path, (row) => `${toCloudEvent(row)}\n`);
    case 'csv':
      return new TextPartWriter(path, toCsvLine, CSV_HEADER);
    case 'parquet':
      return new ParquetPartWriter(path, rowGroupSize);
  }
}
