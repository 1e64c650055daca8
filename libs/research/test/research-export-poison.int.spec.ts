import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CaseEventTypes } from '#contracts';
import { PostgresEventStore } from '#event-store';
import { anEvent, insertGarbledEvent, requiredEnv, testMetadata, uniqueName } from '#testing';
import { MANIFEST_FILE, PostgresDisclosureLog, resolveTypes, runExport, type Manifest } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/**
 * Issue 11 item 2: no single row may stop a research export. Rows an operator INSERTed with metadata that names no
 * actor, and metadata that is null, sit between good events: the export records them in its dead letters
 * (`research-export:<study>`) with the reason, exports the good events, and counts them in its manifest.
 */
describe('research export: a garbled row in the log', () => {
  let store: PostgresEventStore;
  let disclosureLog: PostgresDisclosureLog;
  let db: pg.Client;
  let dir: string;
  const auditSchema = uniqueName('rx_audit');

  beforeAll(async () => {
    store = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('rx_es') });
    disclosureLog = await PostgresDisclosureLog.open(databaseUrl, auditSchema);
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    dir = await mkdtemp(join(tmpdir(), 'nom-research-poison-'));
  });

  afterAll(async () => {
    await disclosureLog.close();
    await store.close();
    for (const s of [store.schema, auditSchema]) await db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await db.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('is dead-lettered with its reason, the events after it are exported, and the manifest counts it', async () => {
    await store.append('case-1', [anEvent()], 'no-stream');
    const noActor = { ...testMetadata('avon-somerset'), actor: undefined }; // stored without it
    const anonymous = await insertGarbledEvent(db, store.schema, {
      type: CaseEventTypes.InvestigationOpened,
      data: anEvent().data,
      metadata: noActor,
    });
    const nullMetadata = await insertGarbledEvent(db, store.schema, {
      type: CaseEventTypes.InvestigationOpened,
      data: anEvent().data,
      metadata: null,
      force: 'avon-somerset',
    });
    await store.append('case-2', [anEvent()], 'no-stream');

    const result = await runExport({
      databaseUrl,
      eventStoreSchema: store.schema,
      outDir: dir,
      researchSecret: randomBytes(32),
      query: {
        study: 'poison',
        window: { from: null, to: null, basis: 'recorded' },
        forces: 'all',
        typeSelectors: ['all'],
        types: resolveTypes(['all']),
        dateGranularity: 'month',
        format: 'jsonl',
      },
      requester: 'Dr A. Researcher',
      purpose: 'Poison input',
      disclosureLog,
      toolVersion: 'test',
      batchSize: 2,
    });
    expect(result.completed).toBe(true);
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    expect(manifest.eventCount).toBe(2);
    expect(manifest.excluded).toEqual({ erasedSubjects: 0, undecodable: 2 });
    const letters = await store.listDeadLetters('research-export:poison');
    expect(letters.map((l) => [l.position, l.eventId, l.stage])).toEqual([
      [anonymous.position, anonymous.eventId, 'apply'],
      [nullMetadata.position, nullMetadata.eventId, 'apply'],
    ]);
    expect(letters[0]!.reason).toMatch(/startsWith|actor/);
  });
});
