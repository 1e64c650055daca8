import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { assertValidEvents } from '#contracts';
import { PostgresEventStore, withValidation } from '#event-store';
import { DecisionRunner } from '#platform';
import { VictimUpdatesProcessManager } from '#process-managers';
import { planSimulation, runSimulation } from '#simulator';
import { requiredEnv, uniqueName, waitFor } from '#testing';
import { stableHead, type Manifest } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const schema = uniqueName('cli_es');
const auditSchema = uniqueName('cli_audit');
const researchSchema = uniqueName('cli_research');
let dir: string;

/** Runs the built CLI (`npm run build` first, as `npm test` does) with stderr a pipe: not a terminal. */
function nom(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/scripts/nom.js', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NOM_EVENT_STORE_SCHEMA: schema, NOM_AUDIT_SCHEMA: auditSchema, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nom-cli-'));
  const raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
  const store = withValidation(raw, assertValidEvents);
  const runner = new DecisionRunner(store);
  let clock = new Date('2025-01-01T00:00:00Z');
  const processManager = await VictimUpdatesProcessManager.open(store, runner, { databaseUrl, schema, clock: () => clock });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await runSimulation(planSimulation({ seed: 3, forces: ['kent'], investigations: 10, days: 200, start: '2025-01-01T00:00:00Z' }), {
      runner,
      processManager,
      setClock: (at) => (clock = at),
    });
    const head = await raw.headPosition();
    await waitFor('the read horizon to pass the head', async () => (await stableHead(pool, schema)) === head, { timeoutMs: 60_000 });
  } finally {
    await processManager.close();
    await raw.close();
    await pool.end();
  }
});

afterAll(async () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (const s of [schema, auditSchema, researchSchema]) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
  await rm(dir, { recursive: true, force: true });
});

describe('the nom CLI', () => {
  const key = randomBytes(32).toString('base64');

  it('exports with plain progress lines on a non-terminal stderr, a manifest, and the disclosure logged', async () => {
    const out = join(dir, 'export');
    const { code, stdout, stderr } = await nom(
      [
        'research',
        'export',
        '--study',
        'cli-study',
        '--purpose',
        'Testing the tool',
        '--requester',
        'tester',
        '--format',
        'parquet',
        '--forces',
        'kent',
        '--types',
        'cases,victims',
        '--date-granularity',
        'quarter',
        '--out',
        out,
        '--batch-size',
        '20',
        '--progress-interval',
        '1',
      ],
      { NOM_RESEARCH_KEY: key },
    );
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr: expect.stringMatching(/^export: \d+\/\d+ events \(\d+\.\d%\), \d+ events\/s, ETA /m) as unknown,
    });
    expect(stderr).not.toContain('\u001b[');
    const printed = JSON.parse(stdout) as { completed: boolean; eventCount: number; disclosure: { id: string } };
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(printed).toMatchObject({ completed: true, eventCount: manifest.eventCount });
    expect(manifest.eventCount).toBeGreaterThan(20);
    expect(manifest.query).toMatchObject({
      study: 'cli-study',
      forces: ['kent'],
      typeSelectors: ['cases', 'victims'],
      dateGranularity: 'quarter',
      format: 'parquet',
    });
    expect(
      Object.keys(manifest.eventsByType).every((t) => t.startsWith('uk.police.nom.cases.') || t.startsWith('uk.police.nom.victims.')),
    ).toBe(true);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ requester: string; purpose: string }>(
      `SELECT requester, purpose FROM ${auditSchema}.research_disclosures WHERE id = $1`,
      [printed.disclosure.id],
    );
    await client.end();
    expect(rows).toEqual([{ requester: 'tester', purpose: 'Testing the tool' }]);
  });

  it.each(['jsonl', 'csv', 'parquet'] as const)(
    'writes the same %s files with worker threads as with the export thread alone (ADR 0049)',
    async (format) => {
      const run = async (workers: number, name: string): Promise<Manifest> => {
        const out = join(dir, name);
        const args = ['research', 'export', '--study', 'cli-workers', '--purpose', 'Testing the workers', '--requester', 'tester'];
        args.push('--format', format, '--date-granularity', 'week', '--out', out, '--batch-size', '7', '--part-rows', '60');
        const { code, stderr } = await nom([...args, '--workers', String(workers)], { NOM_RESEARCH_KEY: key });
        expect({ code, stderr: stderr.split('\n').filter((l) => !l.startsWith('export: ')) }).toEqual({ code: 0, stderr: [''] });
        return JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
      };
      const one = await run(1, `workers-1-${format}`);
      const three = await run(3, `workers-3-${format}`);
      expect(one.files.length).toBeGreaterThan(2);
      expect(three.files).toEqual(one.files);
      expect({ ...three, createdAt: null, startedAt: null }).toEqual({ ...one, createdAt: null, startedAt: null });
    },
  );

  it('refuses an export without a purpose or without the research key', async () => {
    const noPurpose = await nom(['research', 'export', '--study', 's', '--out', join(dir, 'x')], { NOM_RESEARCH_KEY: key });
    expect(noPurpose.code).not.toBe(0);
    expect(noPurpose.stderr).toMatch(/--purpose/);
    const noKey = await nom(['research', 'export', '--study', 's', '--purpose', 'why not', '--out', join(dir, 'y')], {
      NOM_RESEARCH_KEY: '',
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/NOM_RESEARCH_KEY is required/);
  });

  it('replays a read model as of a date into a research schema', async () => {
    const { code, stdout, stderr } = await nom([
      'research',
      'replay',
      '--read-model',
      'case_status',
      '--as-of',
      '2025-04-01',
      '--schema',
      researchSchema,
    ]);
    expect({ code, stderr: stderr.includes('Error') ? stderr : '' }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout) as { events: number; schema: string; asOf: string };
    expect(result).toMatchObject({ schema: researchSchema, asOf: '2025-04-01T00:00:00.000Z' });
    expect(result.events).toBeGreaterThan(0);
  });
});
