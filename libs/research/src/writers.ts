import { createHash } from 'node:crypto';
import { createWriteStream, closeSync, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
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
  finish(): Promise<FinishedPart>;
  /** Stops without finishing (an interrupted run): the file is left incomplete and a resume rewrites it. */
  abandon(): Promise<void>;
}

/** JSON Lines and CSV: one write per batch, waiting for the stream to drain (backpressure). */
class TextPartWriter implements PartWriter {
  private readonly stream;
  private readonly hash = createHash('sha256');
  private bytes = 0;

  constructor(
    path: string,
    private readonly line: (row: ResearchRow) => string,
    header = '',
  ) {
    this.stream = createWriteStream(path, { flags: 'w' });
    if (header) void this.push(header);
  }

  private async push(chunk: string): Promise<void> {
    const buffer = Buffer.from(chunk, 'utf8');
    this.hash.update(buffer);
    this.bytes += buffer.length;
    if (!this.stream.write(buffer)) await once(this.stream, 'drain');
  }

  async write(rows: readonly ResearchRow[]): Promise<void> {
    if (rows.length === 0) return;
    let chunk = '';
    for (const row of rows) chunk += this.line(row);
    await this.push(chunk);
  }

  async finish(): Promise<FinishedPart> {
    this.stream.end();
    await once(this.stream, 'close');
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  async abandon(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'close');
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
