import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import pg from 'pg';
import { catalogueEntry, PrivacyEventTypes, type RecordedEvent } from '#contracts';
import { PostgresEventStore } from '#event-store';
import { requiredEnv, uniqueName, waitFor } from '#testing';
import { simulateHistory } from './support/simulated-history.js';
import {
  deriveStudyKey,
  hmacPseudonym,
  MANIFEST_FILE,
  CHECKPOINT_FILE,
  PostgresDisclosureLog,
  progressReporter,
  resolveTypes,
  runExport,
  stableHead,
  loadErasedSubjects,
  type DisclosureLog,
  type ExportFormat,
  type ExportOptions,
  type ExportQuery,
  type Manifest,
} from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const schema = uniqueName('research_es');
const auditSchema = uniqueName('research_audit');
const secret = randomBytes(32);
const forces = ['avon-somerset', 'wiltshire', 'durham'] as const;
const exportedForces = ['avon-somerset', 'durham'];
const window = { from: '2025-02-01T00:00:00.000Z', to: '2025-10-01T00:00:00.000Z' };

let raw: PostgresEventStore;
let pool: pg.Pool;
let disclosureLog: PostgresDisclosureLog;
const events: RecordedEvent[] = [];
let erasedVictim: string;
const dirs: string[] = [];

async function newDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nom-research-'));
  dirs.push(dir);
  return dir;
}

function query(study: string, format: ExportFormat, overrides: Partial<ExportQuery> = {}): ExportQuery {
  return {
    study,
    window: { from: window.from, to: window.to, basis: 'occurred' },
    forces: exportedForces,
    typeSelectors: ['all'],
    types: resolveTypes(['all']),
    dateGranularity: 'month',
    format,
    ...overrides,
  };
}

function options(outDir: string, q: ExportQuery, extra: Partial<ExportOptions> = {}): ExportOptions {
  return {
    databaseUrl,
    eventStoreSchema: schema,
    outDir,
    researchSecret: secret,
    query: q,
    requester: 'Dr A. Researcher',
    purpose: 'Attrition of victim engagement by investigation stage',
    disclosureLog,
    toolVersion: 'test',
    ...extra,
  };
}

interface Row {
  seq: number;
  id: string;
  type: string;
  force: string;
  stream: string;
  occurred: string | null;
  actor: string | null;
  correlationId: string;
  data: Record<string, unknown>;
}

/** Reads an export back as rows, whatever its format. */
async function readRows(dir: string, manifest: Manifest): Promise<{ rows: Row[]; text: string }> {
  const rows: Row[] = [];
  let text = '';
  for (const file of manifest.files) {
    const path = join(dir, file.name);
    if (manifest.query.format === 'jsonl') {
      const content = await readFile(path, 'utf8');
      text += content;
      for (const line of content.split('\n').filter(Boolean)) {
        const ce = JSON.parse(line) as Record<string, unknown>;
        expect(ce['specversion']).toBe('1.0');
        rows.push({
          seq: ce['nomsequence'] as number,
          id: ce['id'] as string,
          type: ce['type'] as string,
          force: ce['nomforce'] as string,
          stream: ce['subject'] as string,
          occurred: ce['nomoccurred'] as string,
          actor: ce['nomactor'] as string | null,
          correlationId: ce['nomcorrelationid'] as string,
          data: ce['data'] as Record<string, unknown>,
        });
      }
    } else if (manifest.query.format === 'csv') {
      const content = await readFile(path, 'utf8');
      text += content;
      const lines = content.split('\r\n').filter(Boolean);
      const header = lines[0]!.split(',');
      for (const line of lines.slice(1)) {
        const fields = parseCsvLine(line);
        const get = (name: string): string => fields[header.indexOf(name)]!;
        rows.push({
          seq: Number(get('seq')),
          id: get('id'),
          type: get('type'),
          force: get('force'),
          stream: get('stream'),
          occurred: get('occurred'),
          actor: get('actor') || null,
          correlationId: get('correlationId'),
          data: JSON.parse(get('data')) as Record<string, unknown>,
        });
      }
    } else {
      const buffer = await readFile(path);
      const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
      const objects = (await parquetReadObjects({ file })) as Record<string, unknown>[];
      for (const o of objects) {
        text += `${JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}\n`;
        const data = o['data'];
        rows.push({
          seq: Number(o['seq']),
          id: o['id'] as string,
          type: o['type'] as string,
          force: o['force'] as string,
          stream: o['stream'] as string,
          occurred: o['occurred'] as string,
          actor: (o['actor'] as string | null) ?? null,
          correlationId: o['correlationId'] as string,
          data: (typeof data === 'string' ? JSON.parse(data) : data) as Record<string, unknown>,
        });
      }
    }
  }
  return { rows, text };
}

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (line[q + 1] === '"') {
          value += `${line.slice(i, q)}"`;
          i = q + 2;
        } else {
          value += line.slice(i, q);
          i = q + 2;
          break;
        }
      }
      out.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringLeaves);
  return [];
}

function at(value: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

/** Every value the simulator wrote that identifies or describes a person or a case, read from the store. */
function sensitiveValues(): Set<string> {
  const values = new Set<string>();
  const REFERENCES = ['crimeReference', 'n100Reference', 'cpsReference', 'cpsDecisionReference', 'documentReference'];
  for (const e of events) {
    for (const pointer of catalogueEntry(e.type)?.personalFields ?? []) for (const v of stringLeaves(at(e.data, pointer))) values.add(v);
    const data = e.data as Record<string, unknown>;
    for (const name of [...REFERENCES, 'name', 'dateOfBirth', 'pncId', 'croNumber'])
      if (typeof data[name] === 'string') values.add(data[name]);
    for (const name of ['caseId', 'victimId', 'suspectId', 'officerId', 'extractionId', 'lineId', 'triggerEventId'])
      if (typeof data[name] === 'string') values.add(data[name]);
    values.add(e.id);
    values.add(e.streamId);
    values.add(e.metadata.correlationId);
    values.add(e.metadata.causationId);
    if (!e.metadata.actor.startsWith('system:')) values.add(e.metadata.actor);
  }
  return values;
}

function isAbout(e: RecordedEvent, subjectId: string): boolean {
  return e.streamId.includes(subjectId) || stringLeaves(e.data).includes(subjectId);
}

/** What the log holds for the test's selection: the expected rows, in log order. */
function expectedEvents(): RecordedEvent[] {
  const types = new Set(resolveTypes(['all']));
  return events.filter(
    (e) =>
      types.has(e.type) &&
      exportedForces.includes(e.metadata.force) &&
      Date.parse(e.metadata.occurredAt) >= Date.parse(window.from) &&
      Date.parse(e.metadata.occurredAt) < Date.parse(window.to) &&
      !isAbout(e, erasedVictim),
  );
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

beforeAll(async () => {
  raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
  pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  await simulateHistory(
    raw,
    { databaseUrl, schema },
    { seed: 11, forces: [...forces], investigations: 36, days: 300, start: '2025-01-01T00:00:00Z' },
  );
  // One victim in an exported force and in the window is erased (the erasure event as issue 5 records it).
  const all: RecordedEvent[] = [];
  const simulated = await raw.headPosition();
  await waitFor('the read horizon to pass the simulated history', async () => (await stableHead(pool, schema)) === simulated, {
    timeoutMs: 60_000,
  });
  for await (const e of raw.readAll()) all.push(e);
  const victimEvent = all.find(
    (e) =>
      e.type === 'uk.police.nom.victims.first-contact-made.v1' &&
      e.metadata.force === 'durham' &&
      e.metadata.occurredAt >= window.from &&
      e.metadata.occurredAt < '2025-06-01',
  )!;
  erasedVictim = (victimEvent.data as { victimId: string }).victimId;
  await raw.append(
    `erasure-${erasedVictim}`,
    [
      {
        id: randomUUID(),
        type: PrivacyEventTypes.SubjectErased,
        data: {
          erasureId: randomUUID(),
          subjectType: 'victim',
          subjectId: erasedVictim,
          caseId: (victimEvent.data as { caseId: string }).caseId,
          keysDestroyed: [`victim-${erasedVictim}`],
          reason: 'dpa-s47-erasure',
          reference: null,
          erasedBy: 'DU-9001',
          erasedAt: new Date().toISOString(),
        },
        metadata: {
          force: 'durham',
          occurredAt: new Date().toISOString(),
          correlationId: randomUUID(),
          causationId: randomUUID(),
          actor: 'DU-9001',
          modelVersion: '2026.1',
          classification: 'OFFICIAL-SENSITIVE',
        },
      },
    ],
    'no-stream',
  );
  const head = await raw.headPosition();
  // The export reads below the cluster's read horizon: wait until every event is below it.
  await waitFor('the read horizon to pass the head', async () => (await stableHead(pool, schema)) === head, { timeoutMs: 60_000 });
  for await (const e of raw.readAll()) events.push(e);
  disclosureLog = await PostgresDisclosureLog.open(databaseUrl, auditSchema);
});

afterAll(async () => {
  await disclosureLog?.close();
  await pool?.end();
  await raw?.close();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`DROP SCHEMA IF EXISTS ${auditSchema} CASCADE`);
  await client.end();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('nom research export', () => {
  const results = new Map<string, { manifest: Manifest; rows: Row[]; text: string; dir: string }>();

  it.each(['jsonl', 'csv', 'parquet'] as const)(
    'exports the selection as %s: pseudonymised, no identifier or free text, erased victim absent, counts equal to the log',
    async (format) => {
      const dir = await newDir();
      const result = await runExport(options(dir, query('study-a', format)));
      expect(result.completed).toBe(true);
      const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
      expect(manifest).toEqual(result.manifest);
      const { rows, text } = await readRows(dir, manifest);
      results.set(format, { manifest, rows, text, dir });

      // Counts equal the log's for the window, forces and types, less the erased victim's events.
      const expected = expectedEvents();
      expect(expected.length).toBeGreaterThan(100);
      expect(rows).toHaveLength(expected.length);
      expect(manifest.eventCount).toBe(expected.length);
      expect(manifest.excluded.erasedSubjects).toBe(
        events.filter(
          (e) =>
            isAbout(e, erasedVictim) &&
            exportedForces.includes(e.metadata.force) &&
            e.metadata.occurredAt >= window.from &&
            e.metadata.occurredAt < window.to &&
            e.type !== PrivacyEventTypes.SubjectErased,
        ).length,
      );
      expect(manifest.excluded.erasedSubjects).toBeGreaterThan(0);
      expect(rows.map((r) => r.seq)).toEqual(expected.map((_, i) => i + 1));
      expect(rows.map((r) => r.type)).toEqual(expected.map((e) => e.type));
      const byType: Record<string, number> = {};
      for (const e of expected) byType[e.type] = (byType[e.type] ?? 0) + 1;
      expect(manifest.eventsByType).toEqual(byType);
      expect(manifest.modelVersions).toEqual([...new Set(expected.map((e) => e.metadata.modelVersion))].sort());

      // Pseudonyms are the study key's HMAC of the real ids.
      const key = deriveStudyKey(secret, 'study-a');
      expect(rows.map((r) => r.id)).toEqual(expected.map((e) => hmacPseudonym(key, e.id)));
      expect(rows.map((r) => r.stream)).toEqual(expected.map((e) => hmacPseudonym(key, e.streamId)));

      // No identifier, reference, personal value or free text the simulator wrote survives, as a value or inside one.
      const sensitive = sensitiveValues();
      const tokens = new Set(rows.flatMap((r) => [r.id, r.stream, r.correlationId, r.actor ?? '', ...stringLeaves(r.data)]));
      const leaked = [...sensitive].filter((v) => tokens.has(v) || (v.length >= 8 && text.includes(v)));
      expect(leaked).toEqual([]);
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(text).not.toContain(hmacPseudonym(key, erasedVictim));

      // The manifest's checksums are the files'.
      for (const file of manifest.files) expect(await sha256(join(dir, file.name))).toBe(file.sha256);
      expect((await readdir(dir)).sort()).toEqual([MANIFEST_FILE, ...manifest.files.map((f) => f.name)].sort());
      expect(manifest).toMatchObject({
        requester: 'Dr A. Researcher',
        purpose: 'Attrition of victim engagement by investigation stage',
        query: query('study-a', format),
      });
      expect(JSON.stringify(manifest)).not.toContain(key.toString('base64'));
      expect(JSON.stringify(manifest)).not.toContain(secret.toString('base64'));

      // The disclosure is logged, and the log is append-only.
      const { rows: logged } = await pool.query<{ study_id: string; event_count: string; manifest_sha256: string; files: unknown }>(
        `SELECT study_id, event_count, manifest_sha256, files FROM ${auditSchema}.research_disclosures WHERE id = $1`,
        [result.disclosure!.id],
      );
      expect(logged[0]).toEqual({
        study_id: 'study-a',
        event_count: String(expected.length),
        manifest_sha256: createHash('sha256')
          .update(await readFile(join(dir, MANIFEST_FILE)))
          .digest('hex'),
        files: manifest.files.map(({ name, sha256: s }) => ({ name, sha256: s })),
      });
      // ... and written to the sealed Section 62 access log as a disclosure for research, which the detail row names.
      const { rows: access } = await pool.query<{
        action: string;
        purpose: string;
        actor_officer_id: string;
        route: string;
        record_count: number;
      }>(
        `SELECT a.action, a.purpose, a.actor_officer_id, a.route, a.record_count FROM ${auditSchema}.access_log a
         JOIN ${auditSchema}.research_disclosures d ON d.access_entry_id = a.entry_id WHERE d.id = $1`,
        [result.disclosure!.id],
      );
      expect(access).toEqual([
        {
          action: 'disclose',
          purpose: 'research',
          actor_officer_id: 'Dr A. Researcher',
          route: 'nom research export --study study-a',
          record_count: expected.length,
        },
      ]);
      await expect(pool.query(`UPDATE ${auditSchema}.research_disclosures SET purpose = 'x'`)).rejects.toThrow(/append-only/);
      await expect(pool.query(`DELETE FROM ${auditSchema}.research_disclosures`)).rejects.toThrow(/append-only/);
    },
  );

  it('gives the same pseudonyms in every format of one study, and different ones in another study', async () => {
    const jsonl = results.get('jsonl')!.rows;
    for (const format of ['csv', 'parquet']) {
      const other = results.get(format)!.rows;
      expect(other.map((r) => [r.id, r.stream, r.correlationId, r.actor, r.occurred, r.data])).toEqual(
        jsonl.map((r) => [r.id, r.stream, r.correlationId, r.actor, r.occurred, r.data]),
      );
    }
    const dir = await newDir();
    const b = await runExport(options(dir, query('study-b', 'jsonl')));
    const { rows } = await readRows(dir, b.manifest!);
    expect(rows).toHaveLength(jsonl.length);
    const caseIds = (rs: Row[]): unknown[] => rs.map((r) => r.data['caseId']);
    for (let i = 0; i < rows.length; i++) {
      expect(rows[i]!.id).not.toBe(jsonl[i]!.id);
      expect(rows[i]!.stream).not.toBe(jsonl[i]!.stream);
      expect(rows[i]!.type).toBe(jsonl[i]!.type);
    }
    // Within a study a case keeps one pseudonym across its events; across studies none is shared.
    const a = new Set(caseIds(jsonl).filter(Boolean));
    const bIds = new Set(caseIds(rows).filter(Boolean));
    expect(a.size).toBeLessThan(jsonl.length / 3);
    expect(bIds.size).toBe(a.size);
    expect([...bIds].filter((id) => a.has(id))).toEqual([]);
  });

  it.each(['jsonl', 'parquet', 'csv'] as const)(
    'resumes an interrupted %s export to the same files as an uninterrupted one, read by one reader or three at once',
    async (format) => {
      const q = query('study-resume', format, { dateGranularity: 'week' });
      const one = { partRows: 40, rowGroupSize: 15, batchSize: 25 };
      // Three readers at once, interleaved in this thread (the worker threads' code from source), segments cut
      // across batches, parts and one another (ADR 0049); the CLI's e2e test runs the worker threads themselves.
      const three = { ...one, workers: 3, workersInProcess: true, segmentRows: 37 };
      const whole = await runExport(options(await newDir(), q, one));
      const spreadDir = await newDir();
      const spread = await runExport(options(spreadDir, q, three));
      expect({ ...spread.manifest!, createdAt: null, startedAt: null }).toEqual({ ...whole.manifest!, createdAt: null, startedAt: null });
      for (const file of spread.manifest!.files) expect(await sha256(join(spreadDir, file.name))).toBe(file.sha256);
      const small = { ...one, ...(format === 'parquet' ? {} : three) };
      const dir = await newDir();
      const first = await runExport(options(dir, q, { ...small, maxEvents: 97 }));
      expect(first).toEqual({ completed: false, exported: 97 });
      expect(await readdir(dir)).toContain(CHECKPOINT_FILE);
      expect(await readdir(dir)).not.toContain(MANIFEST_FILE);
      await expect(runExport(options(dir, q, small))).rejects.toThrow(/not empty/);
      await expect(runExport(options(dir, { ...q, study: 'study-other' }, { ...small, resume: true }))).rejects.toThrow(/same query/);
      const second = await runExport(options(dir, q, { ...small, resume: true, maxEvents: 30 }));
      expect(second.completed).toBe(false);
      const done = await runExport(options(dir, q, { ...small, resume: true }));
      expect(done.completed).toBe(true);
      expect(done.manifest!.files).toEqual(whole.manifest!.files);
      expect(done.manifest!.files.length).toBeGreaterThan(3);
      expect({ ...done.manifest!, createdAt: null, startedAt: null }).toEqual({ ...whole.manifest!, createdAt: null, startedAt: null });
      for (const file of done.manifest!.files) expect(await sha256(join(dir, file.name))).toBe(file.sha256);
      expect(await readdir(dir)).not.toContain(CHECKPOINT_FILE);
      await expect(runExport(options(dir, q, { ...small, resume: true }))).rejects.toThrow(/finished export/);
    },
  );

  it('reads the erasures from the log through their own partial index, and finds the erased victim', async () => {
    const { rows } = await pool.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'events_erasures_idx'`,
      [schema],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.indexdef).toContain(`WHERE (type = '${PrivacyEventTypes.SubjectErased}'::text)`);
    const erased = await loadErasedSubjects(pool, schema);
    expect([...(await erased.isErased([erasedVictim, `victim-${erasedVictim}`, 'someone-else']))].sort()).toEqual(
      [erasedVictim, `victim-${erasedVictim}`].sort(),
    );
  });

  it('writes plain progress lines with rate and ETA when stderr is not a terminal', async () => {
    let out = '';
    const stream = { write: (chunk: string) => ((out += chunk), true) } as unknown as NodeJS.WriteStream;
    const progress = progressReporter({ label: 'export', stream, tty: false, intervalMs: 0 });
    const result = await runExport(
      options(await newDir(), query('study-progress', 'csv'), {
        batchSize: 50,
        onProgress: (p) => progress.update({ done: p.read, total: p.total }),
      }),
    );
    progress.stop();
    const lines = out.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    // Until the selection is counted (beside the export), lines carry no percentage nor ETA.
    for (const line of lines)
      expect(line).toMatch(/^export: \d+(\/\d+ events \(\d+\.\d%\), \d+ events\/s, ETA .+| events, \d+ events\/s)$/);
    const read = result.exported + result.manifest!.excluded.erasedSubjects;
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^export: ${read}/${read} events \\(100\\.0%\\)`));
    expect(out).not.toContain('\u001b[');
  });
});

describe('disclosure is logged before data leaves (issue 12, item 4)', () => {
  interface Step {
    step: string;
    export_id: string;
    study_id: string;
    requester: string;
    purpose: string;
    detail: Record<string, unknown>;
  }
  const steps = async (study: string): Promise<Step[]> =>
    (
      await pool.query<Step>(
        `SELECT step, export_id, study_id, requester, purpose, detail FROM ${auditSchema}.research_disclosure_steps WHERE study_id = $1 ORDER BY id`,
        [study],
      )
    ).rows;

  /** The real disclosure log, noting what the output directory held as each step was logged; `crashAtPart` throws instead. */
  function watching(dir: string, crashAtPart?: number): { log: DisclosureLog; seen: { step: string; files: string[] }[] } {
    const seen: { step: string; files: string[] }[] = [];
    const note = async (step: string): Promise<void> => void seen.push({ step, files: (await readdir(dir)).sort() });
    let parts = 0;
    const log: DisclosureLog = {
      intent: async (intent) => {
        await note('intent');
        return disclosureLog.intent(intent);
      },
      part: async (exportId, part) => {
        await note('part');
        parts += 1;
        if (parts === crashAtPart) throw new Error('simulated crash between parts');
        return disclosureLog.part(exportId, part);
      },
      interrupted: async (exportId, interruption) => {
        await note('interrupted');
        return disclosureLog.interrupted(exportId, interruption);
      },
      record: async (disclosure) => {
        await note('completed');
        return disclosureLog.record(disclosure);
      },
    };
    return { log, seen };
  }

  /** Every file left in the directory is the checkpoint or a part whose name and checksum the log holds. */
  async function expectEveryFileRecorded(dir: string, logged: Step[]): Promise<void> {
    const recorded = new Map(
      logged.filter((s) => s.step === 'part').map((s) => [s.detail['name'] as string, s.detail['sha256'] as string]),
    );
    for (const name of await readdir(dir)) {
      if (name === CHECKPOINT_FILE || name === MANIFEST_FILE) continue;
      expect(recorded.has(name) ? name : `unrecorded ${name}`).toBe(name);
      expect(await sha256(join(dir, name))).toBe(recorded.get(name));
    }
  }

  const small = { partRows: 40, rowGroupSize: 15, batchSize: 25 };

  it('logs the intent (study, purpose, requester, selection) before the first byte, each part, and the completion after', async () => {
    const dir = await newDir();
    const q = query('study-disclose', 'jsonl');
    const { log, seen } = watching(dir);
    const result = await runExport(options(dir, q, { ...small, disclosureLog: log }));
    expect(result.completed).toBe(true);
    expect(seen[0]).toEqual({ step: 'intent', files: [] });
    const logged = await steps('study-disclose');
    expect(logged[0]).toMatchObject({
      step: 'intent',
      requester: 'Dr A. Researcher',
      purpose: 'Attrition of victim engagement by investigation stage',
      detail: { query: q, outDir: dir },
    });
    expect(logged.map((s) => s.step)).toEqual(['intent', ...result.manifest!.files.map(() => 'part'), 'completed']);
    expect(new Set(logged.map((s) => s.export_id)).size).toBe(1);
    expect(logged.filter((s) => s.step === 'part').map((s) => s.detail)).toEqual(result.manifest!.files.map((f) => ({ ...f })));
    expect(logged.at(-1)!.detail).toMatchObject({ eventCount: result.manifest!.eventCount, disclosureId: result.disclosure!.id });
    await expectEveryFileRecorded(dir, logged);
  });

  it.each([
    ['--max-events', 'study-interrupt-max', (): Partial<ExportOptions> => ({ maxEvents: 97 })],
    [
      'an abort signal',
      'study-interrupt-abort',
      (): Partial<ExportOptions> => {
        const controller = new AbortController();
        return { signal: controller.signal, onProgress: (p) => void (p.exported > 60 && controller.abort()) };
      },
    ],
  ] as const)(
    'records an export interrupted by %s; the partial part is removed, no unrecorded file remains',
    async (_how, study, extra) => {
      const dir = await newDir();
      const { log, seen } = watching(dir);
      const result = await runExport(options(dir, query(study, 'csv'), { ...small, ...extra(), disclosureLog: log }));
      expect(result.completed).toBe(false);
      expect(seen[0]).toEqual({ step: 'intent', files: [] });
      const logged = await steps(study);
      expect(logged[0]!.step).toBe('intent');
      expect(logged.at(-1)).toMatchObject({ step: 'interrupted', detail: { exported: result.exported } });
      expect((logged.at(-1)!.detail['partialRemoved'] as { rows: number }).rows).toBeGreaterThan(0);
      await expectEveryFileRecorded(dir, logged);
    },
  );

  it('records a crash between parts; a resume logs its own intent and completes the record', async () => {
    const dir = await newDir();
    const q = query('study-crash', 'parquet');
    const crashed = watching(dir, 2);
    await expect(runExport(options(dir, q, { ...small, disclosureLog: crashed.log }))).rejects.toThrow(/simulated crash/);
    expect(crashed.seen[0]).toEqual({ step: 'intent', files: [] });
    const logged = await steps('study-crash');
    expect(logged.map((s) => s.step)).toEqual(['intent', 'part', 'interrupted']);
    expect(logged[2]!.detail).toMatchObject({ reason: 'failed: simulated crash between parts' });
    await expectEveryFileRecorded(dir, logged);

    const resumed = watching(dir);
    const done = await runExport(options(dir, q, { ...small, resume: true, disclosureLog: resumed.log }));
    expect(done.completed).toBe(true);
    expect(resumed.seen[0]!.step).toBe('intent');
    const all = await steps('study-crash');
    const second = all.slice(3);
    expect(second[0]).toMatchObject({ step: 'intent', detail: { resumeOf: logged[0]!.export_id } });
    expect(second.at(-1)!.step).toBe('completed');
    await expectEveryFileRecorded(dir, all);
  });
});
