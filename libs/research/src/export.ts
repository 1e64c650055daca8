import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresReaderDeadLetters, ReaderDeadLetters } from '#event-store';
import type { DisclosedPart, DisclosureIntent } from './disclosure-log.js';
import { loadErasedSubjects } from './erased-subjects.js';
import { ExportError, type Checkpoint, type ExportOptions, type ExportQuery, type ExportResult, type Manifest } from './export-types.js';
import { ROW_FAILED, ROW_LEFT_OUT } from './export-chunk.js';
import { exportChunks, exportPoolSize } from './export-segments.js';
import { countSelection, stableHead, type Selection } from './selection.js';
import { recordedEventOfRow } from './selection-reader.js';
import { deriveStudyKey, hmacPseudonym, Pseudonymiser } from './study-key.js';
import { openPartWriter, partFileName, type PartWriter } from './writers.js';

export * from './export-types.js';

export const MANIFEST_FILE = 'manifest.json';
export const CHECKPOINT_FILE = 'checkpoint.json';
/** A part is written under `<name>.partial` and takes its name once logged as disclosed (issue 12). */
export const PARTIAL_SUFFIX = '.partial';
const CHECKPOINT_VERSION = 2;

const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

async function writeTextAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

const writeJsonAtomically = (path: string, value: unknown): Promise<void> => writeTextAtomically(path, jsonText(value));

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function intentOf(options: ExportOptions, exportId: string, upTo: string): DisclosureIntent {
  return {
    exportId,
    studyId: options.query.study,
    requester: options.requester,
    purpose: options.purpose,
    query: options.query,
    outDir: options.outDir,
    upTo,
    toolVersion: options.toolVersion,
  };
}

function selectionOf(query: ExportQuery): Selection {
  return {
    ...(query.window.from ? { from: query.window.from } : {}),
    ...(query.window.to ? { to: query.window.to } : {}),
    timeBasis: query.window.basis,
    ...(query.forces === 'all' ? {} : { forces: query.forces }),
    types: query.types,
  };
}

/**
 * Exports the selected history pseudonymised for one study (ADR 0016): reads the log in keyset batches up to a
 * position fixed at the start, leaves out erased subjects, writes part files with their SHA-256, checkpoints
 * after each part, and at the end logs the disclosure and writes the manifest. Memory is bounded by one batch
 * and one Parquet row group, whatever the log's size.
 *
 * Disclosure is logged before data leaves (issue 12): the intent (study, requester, purpose, selection) before the
 * first byte; each part, written as `<name>.partial`, is logged with its checksum before it takes its name; an
 * interruption (max events, abort, failure) removes the partial part and is logged with what stays. A hard crash can
 * leave a `.partial` file (never a named, unlogged one), which a resume deletes.
 */
export async function runExport(options: ExportOptions): Promise<ExportResult> {
  const { query, outDir } = options;
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 2000;
  const partRows = options.partRows ?? 1_000_000;
  const rowGroupSize = options.rowGroupSize ?? 50_000;
  const key = deriveStudyKey(options.researchSecret, query.study);
  const keyCheck = hmacPseudonym(key, 'nom-research-key-check');
  const pseudonymiser = new Pseudonymiser(key);
  const selection = selectionOf(query);

  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: exportPoolSize(options) });
  pool.on('error', () => undefined);
  const exportId = randomUUID();
  const log = options.disclosureLog;
  let writer: PartWriter | undefined;
  let stopCounting = (): Promise<void> => Promise.resolve();
  /** Once the intent is logged: how to log an interruption (the part being written is deleted first). */
  let interruption: ((reason: string) => Promise<void>) | undefined;
  try {
    const erased = options.erasedSubjects ?? (await loadErasedSubjects(pool, options.eventStoreSchema));
    const checkpointPath = join(outDir, CHECKPOINT_FILE);
    let checkpoint: Checkpoint;
    if (options.resume) {
      if (existsSync(join(outDir, MANIFEST_FILE)))
        throw new ExportError(`${outDir} holds a finished export (manifest.json): nothing to resume`);
      if (!existsSync(checkpointPath)) throw new ExportError(`${outDir} has no ${CHECKPOINT_FILE}: nothing to resume`);
      const saved = JSON.parse(await readFile(checkpointPath, 'utf8')) as Checkpoint;
      if (saved.version !== CHECKPOINT_VERSION) throw new ExportError(`checkpoint version ${saved.version} is not ${CHECKPOINT_VERSION}`);
      if (!sameJson(saved.query, query))
        throw new ExportError(
          '--resume needs the same query as the interrupted export (study, window, forces, types, granularity, format)',
        );
      if (saved.requester !== options.requester || saved.purpose !== options.purpose)
        throw new ExportError('--resume needs the same requester and purpose');
      if (saved.keyCheck !== keyCheck) throw new ExportError('--resume needs the same research key as the interrupted export');
      if (saved.erasedDigest !== erased.digest()) {
        throw new ExportError(
          'subjects were erased since the interrupted export started: its finished parts may hold them; start a new export',
        );
      }
      checkpoint = saved;
      const resumeOf = saved.exportId !== undefined ? { resumeOf: saved.exportId } : {};
      await log.intent({ ...intentOf(options, exportId, saved.upTo), ...resumeOf });
      // Whatever is not a finished part (the part being written when it stopped) is rewritten.
      const keep = new Set([CHECKPOINT_FILE, ...saved.parts.map((p) => p.name)]);
      for (const name of await readdir(outDir)) if (!keep.has(name)) await rm(join(outDir, name), { force: true });
    } else {
      await mkdir(outDir, { recursive: true });
      const existing = await readdir(outDir);
      if (existing.length > 0) throw new ExportError(`${outDir} is not empty: choose a new directory, or --resume an interrupted export`);
      const upTo = await stableHead(pool, options.eventStoreSchema);
      checkpoint = {
        version: CHECKPOINT_VERSION,
        query,
        requester: options.requester,
        purpose: options.purpose,
        keyCheck,
        erasedDigest: erased.digest(),
        upTo: upTo.toString(),
        startedAt: now().toISOString(),
        parts: [],
        exportId,
      };
      // Logged before the first byte: an export that never gets further is still on record.
      await log.intent(intentOf(options, exportId, checkpoint.upTo));
      await writeJsonAtomically(checkpointPath, checkpoint);
    }

    const upTo = BigInt(checkpoint.upTo);
    const parts = checkpoint.parts;
    const disclosedParts = (): DisclosedPart[] => parts.map(({ name, rows, bytes, sha256 }) => ({ name, rows, bytes, sha256 }));
    const keptRows = (): number => parts.reduce((n, p) => n + p.rows, 0);
    // Until the export loop takes over (below): nothing written by this run yet.
    interruption = (reason) => log.interrupted(exportId, { exported: keptRows(), kept: keptRows(), parts: disclosedParts(), reason });
    let seq = parts.reduce((n, p) => n + p.rows, 0);
    const after = parts.length > 0 ? BigInt(parts[parts.length - 1]!.lastPosition) : 0n;
    let partRowsSoFar = 0;
    let partRead = 0;
    let readBefore = parts.reduce((n, p) => n + p.read, 0);
    // The selection's size, for progress only: counted on the pool's second connection while the export reads on
    // the first (a count of a long log takes seconds, minutes at national scale; the export need not wait for it).
    // An export that stops early cancels the count rather than wait for it.
    let total: number | undefined;
    const readAtStart = readBefore;
    const counter = await pool.connect();
    const counterPid = (await counter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    let counting = true;
    const counted = countSelection(counter, options.eventStoreSchema, selection, after, upTo)
      .then(
        (n) => void (total = readAtStart + n),
        () => undefined,
      )
      .finally(() => {
        counting = false;
        counter.release();
      });
    stopCounting = async () => {
      if (counting) await pool.query('SELECT pg_cancel_backend($1)', [counterPid]).catch(() => undefined);
      await counted;
    };
    /** Events of the part by type (a Map: a type read from a row is a fresh string each time, never an object key). */
    let partTypes = new Map<string, number>();
    let partVersions = new Set<string>();
    let partName = '';
    let written = 0;
    let lastPosition = after;

    const openPart = (): PartWriter => {
      partName = partFileName(query.format, parts.length + 1);
      partRowsSoFar = 0;
      partTypes = new Map();
      partVersions = new Set();
      return openPartWriter(query.format, join(outDir, partName + PARTIAL_SUFFIX), rowGroupSize);
    };
    const closePart = async (w: PartWriter): Promise<void> => {
      const { bytes, sha256 } = await w.finish();
      writer = undefined;
      await log.part(exportId, { name: partName, rows: partRowsSoFar, bytes, sha256 });
      await rename(join(outDir, partName + PARTIAL_SUFFIX), join(outDir, partName));
      parts.push({
        name: partName,
        rows: partRowsSoFar,
        read: partRead,
        bytes,
        sha256,
        lastPosition: lastPosition.toString(),
        eventsByType: Object.fromEntries(partTypes),
        modelVersions: [...partVersions].sort(),
      });
      readBefore += partRead;
      partRead = 0;
      partName = '';
      await writeJsonAtomically(checkpointPath, checkpoint);
    };
    const interrupted = (): boolean =>
      (options.maxEvents !== undefined && written >= options.maxEvents) || options.signal?.aborted === true;
    interruption = async (reason) => {
      await writer?.abandon();
      writer = undefined;
      const partial = partName === '' ? undefined : { name: partName, rows: partRowsSoFar };
      if (partial) await rm(join(outDir, partial.name + PARTIAL_SUFFIX), { force: true });
      partName = '';
      await log.interrupted(exportId, {
        exported: seq,
        kept: keptRows(),
        parts: disclosedParts(),
        ...(partial ? { partialRemoved: partial } : {}),
        reason,
      });
    };

    let stopped = false;
    const letterStore = new PostgresReaderDeadLetters(pool, options.eventStoreSchema);
    const deadLetters = new ReaderDeadLetters(letterStore, `research-export:${query.study}`);
    const chunks = exportChunks(options, { studyKey: key, pseudonymiser, selection, erased, batchSize, pool }, after, upTo);
    outer: for await (const chunk of chunks) {
      // An event it cannot read (a garbled row) is recorded, before the part that passes it is checkpointed, and left out.
      for (const failure of chunk.failures) await deadLetters.isolate(recordedEventOfRow(failure.row), 'apply', failure.error);
      /** The chunk's written rows `from`..`w` not yet handed to the writer, numbered from `firstSeq`. */
      let from = 0;
      let w = 0;
      let firstSeq = seq + 1;
      let last = -1;
      const flushRun = async (): Promise<void> => {
        if (w > from) await writer!.writeChunk(chunk, from, w, firstSeq);
        from = w;
        firstSeq = seq + 1;
      };
      for (let i = 0; i < chunk.count; i++) {
        if (interrupted()) {
          stopped = true;
          break;
        }
        last = i;
        const outcome = chunk.outcomes[i];
        if (outcome === ROW_FAILED) continue;
        partRead += 1;
        if (outcome === ROW_LEFT_OUT) continue;
        writer ??= openPart();
        seq += 1;
        const type = chunk.names[chunk.typeOf[w]!]!;
        partTypes.set(type, (partTypes.get(type) ?? 0) + 1);
        partVersions.add(chunk.names[chunk.versionOf[w]!]!);
        w += 1;
        partRowsSoFar += 1;
        written += 1;
        if (partRowsSoFar >= partRows) {
          lastPosition = BigInt(chunk.positions[i]!);
          await flushRun();
          await closePart(writer);
          writer = undefined;
        }
      }
      if (last >= 0) lastPosition = BigInt(chunk.positions[last]!);
      await flushRun();
      options.onProgress?.({ exported: seq, read: readBefore + partRead, total, position: lastPosition });
      if (stopped) break outer;
    }
    if (stopped || interrupted()) {
      const reason = options.signal?.aborted === true ? 'aborted' : 'max-events';
      const logInterruption = interruption;
      interruption = undefined;
      await logInterruption(reason);
      return { completed: false, exported: seq };
    }
    if (writer) {
      lastPosition = upTo;
      await closePart(writer);
      writer = undefined;
    } else if (parts.length === 0) {
      // An empty selection still gives one (empty) file of the format, so a reader always finds one.
      writer = openPart();
      lastPosition = upTo;
      await closePart(writer);
      writer = undefined;
    }

    // Every selected event in (0, upTo] has been read: in finished parts, or after the last one (all left out).
    const read = readBefore + partRead;
    await counted;
    options.onProgress?.({ exported: seq, read, total, position: upTo });

    const eventsByType: Record<string, number> = {};
    for (const p of parts) for (const [t, n] of Object.entries(p.eventsByType)) eventsByType[t] = (eventsByType[t] ?? 0) + n;
    const eventCount = parts.reduce((n, p) => n + p.rows, 0);
    const manifest: Manifest = {
      manifestVersion: 1,
      tool: { name: 'nom research export', version: options.toolVersion },
      query,
      requester: options.requester,
      purpose: options.purpose,
      eventCount,
      excluded: { erasedSubjects: read - eventCount, undecodable: await letterStore.deadLetterCount(deadLetters.reader, upTo) },
      eventsByType: Object.fromEntries(Object.entries(eventsByType).sort(([a], [b]) => a.localeCompare(b))),
      modelVersions: [...new Set(parts.flatMap((p) => p.modelVersions))].sort(),
      positionRange: { from: '0', to: checkpoint.upTo },
      files: parts.map(({ name, rows, bytes, sha256 }) => ({ name, rows, bytes, sha256 })),
      pseudonymisation: {
        algorithm: 'HMAC-SHA-256(study key, id), first 132 bits, base64url',
        keyDerivation: 'HKDF-SHA-256(NOM_RESEARCH_KEY, salt "uk.police.nom.research.v1", info "study:<study id>")',
      },
      createdAt: now().toISOString(),
      startedAt: checkpoint.startedAt,
    };
    const text = jsonText(manifest);
    // Logged before the manifest appears: an export without its disclosure record is never complete.
    const disclosure = await options.disclosureLog.record({
      studyId: query.study,
      requester: options.requester,
      purpose: options.purpose,
      query,
      eventCount,
      manifestSha256: createHash('sha256').update(text).digest('hex'),
      files: manifest.files.map(({ name, sha256 }) => ({ name, sha256 })),
      positionRange: manifest.positionRange,
      toolVersion: options.toolVersion,
      exportId,
    });
    interruption = undefined; // logged as completed: what may fail after it (the manifest's write) is no interruption
    await writeTextAtomically(join(outDir, MANIFEST_FILE), text);
    await rm(checkpointPath, { force: true });
    return { completed: true, exported: eventCount, manifest, disclosure };
  } catch (error) {
    // A failure after the intent: the partial part goes, and the interruption is logged (if the log still answers).
    await interruption?.(`failed: ${error instanceof Error ? error.message : String(error)}`).catch(() => undefined);
    throw error;
  } finally {
    await writer?.abandon();
    await stopCounting();
    await pool.end();
  }
}
