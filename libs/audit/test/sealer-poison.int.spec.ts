import pg from 'pg';
import { CaseEventTypes } from '#contracts';
import { PostgresEventStore } from '#event-store';
import { anEvent, insertGarbledEvent, requiredEnv, testMetadata, uniqueName } from '#testing';
import { exportPublicKeyPem, generateAuditSigner, LogSealer, publicKeyFromPem, verifyLog } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/**
 * Issue 11 item 2: no single row may stop the sealer or the verifier. A row an operator INSERTed with a number
 * JSON cannot hold as a double (1e400: it parses as Infinity, which canonical JSON refuses) and a row whose
 * metadata is null sit between good events. The sealer seals them (the chain must cover every row: it hashes the
 * row's JSON as PostgreSQL prints it), records them in its dead letters, and seals the events after them; the
 * verifier recomputes the same chain, finds it intact and reports the rows it could not read (a null metadata cannot be
 * checked against the force column: reported, not taken for tampering).
 */
describe('sealer and audit verify: a garbled row in the log', () => {
  let store: PostgresEventStore;
  let db: pg.Client;
  const signer = generateAuditSigner();

  beforeAll(async () => {
    store = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es_seal') });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await store.close();
    await db.query(`DROP SCHEMA ${store.schema} CASCADE`);
    await db.end();
  });

  it('is sealed, dead-lettered with its reason and reported by the verifier, and the events after it are sealed', async () => {
    await store.append('case-a', [anEvent()], 'no-stream');
    const huge = await insertGarbledEvent(db, store.schema, {
      type: CaseEventTypes.InvestigationOpened,
      data: { raw: '{"caseId": "x", "n": 1e400}' },
      metadata: testMetadata('avon-somerset'),
    });
    const nullMetadata = await insertGarbledEvent(db, store.schema, {
      type: CaseEventTypes.InvestigationOpened,
      data: {},
      metadata: null,
      force: 'avon-somerset',
    });
    const last = await store.append('case-b', [anEvent()], 'no-stream');

    const sealer = await LogSealer.open({ connectionString: databaseUrl, schema: store.schema, signer, batchSize: 2 });
    try {
      const sealed = await sealer.seal();
      expect(sealed).toMatchObject({ sealed: 4, position: last.position });
    } finally {
      await sealer.close();
    }
    const letters = await store.listDeadLetters('sealer');
    expect(letters.map((l) => [l.position, l.eventId, l.stage])).toEqual([[huge.position, huge.eventId, 'seal']]);
    expect(letters[0]!.reason).toMatch(/canonical JSON refuses the number Infinity/);
    expect(await store.deadLetterCount('sealer')).toBe(1);

    const result = await verifyLog({
      connectionString: databaseUrl,
      schema: store.schema,
      publicKey: publicKeyFromPem(exportPublicKeyPem(signer)),
      batchSize: 2,
    });
    expect(result).toMatchObject({ intact: true, verifiedRecords: 4, sealedThrough: last.position.toString() });
    expect(result.undecodable).toEqual([
      { position: huge.position.toString(), eventId: huge.eventId, reason: expect.stringMatching(/Infinity/) },
      { position: nullMetadata.position.toString(), eventId: nullMetadata.eventId, reason: expect.stringMatching(/metadata/) },
    ]);
  });
});
