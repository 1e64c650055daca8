import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresEventStore } from '#event-store';
import { anEvent, requiredEnv, uniqueName } from '#testing';
import {
  GENESIS_HASH,
  LogSealer,
  chainHash,
  exportPublicKeyPem,
  generateAuditSigner,
  publicKeyFromPem,
  signCheckpoint,
  verifyLog,
  type AuditSigner,
  type TamperKind,
} from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const admin = new pg.Pool({ connectionString: databaseUrl, max: 4 });
const signer = generateAuditSigner();
// What a force keeps: the PEM, not the key object.
const publicKey = publicKeyFromPem(exportPublicKeyPem(signer));
let opened: { store: PostgresEventStore; sealer: LogSealer }[] = [];
const schemas: string[] = [];

// Close each test's pools as it ends (the database is shared); drop the schemas at the end.
afterEach(async () => {
  for (const { store, sealer } of opened) {
    await sealer.close();
    await store.close();
  }
  opened = [];
});

afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

/** `streams` streams of `perStream` events each, appended concurrently (writers are never serialised). */
async function appendConcurrently(store: PostgresEventStore, streams: number, perStream: number): Promise<void> {
  await Promise.all(
    Array.from({ length: streams }, async () => {
      const caseId = randomUUID();
      await store.append(`case-${caseId}`, Array.from({ length: perStream }, () => anEvent('avon-somerset', caseId)), 'no-stream');
    }),
  );
}

interface SealedLog {
  readonly store: PostgresEventStore;
  readonly sealer: LogSealer;
  readonly schema: string;
  readonly positions: bigint[];
}

/** A fresh schema with 300 events, sealed with a checkpoint every 100. */
async function sealedLog(): Promise<SealedLog> {
  const schema = uniqueName('audit');
  schemas.push(schema);
  const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema, poolSize: 4 });
  const sealer = await LogSealer.open({ connectionString: databaseUrl, schema, signer, checkpointEvery: 100, batchSize: 64 });
  opened.push({ store, sealer });
  await appendConcurrently(store, 30, 10);
  const result = await sealer.seal();
  expect(result).toMatchObject({ sealed: 300, checkpoints: 3 });
  const { rows } = await admin.query<{ position: string }>(`SELECT position FROM ${schema}.events ORDER BY position`);
  return { store, sealer, schema, positions: rows.map((r) => BigInt(r.position)) };
}

/** As an attacker with table-owner rights: lift the store's UPDATE/DELETE guard, change rows, put it back. */
async function asTableOwner(schema: string, statements: readonly [string, unknown[]?][]): Promise<void> {
  const client = await admin.connect();
  try {
    await client.query('BEGIN');
    await client.query(`ALTER TABLE ${schema}.events DISABLE TRIGGER events_immutable`);
    for (const [sql, params] of statements) await client.query(sql, params);
    await client.query(`ALTER TABLE ${schema}.events ENABLE TRIGGER events_immutable`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const forged = createHash('sha256').update('forged').digest();

describe('LogSealer and verifyLog', () => {
  it('seals a log of 300 concurrently appended events; the log verifies intact, in any batch size', async () => {
    const { schema } = await sealedLog();
    const result = await verifyLog({ connectionString: databaseUrl, schema, publicKey, batchSize: 50 });
    expect(result).toMatchObject({ intact: true, verifiedRecords: 300, verifiedCheckpoints: 3, unsealedRecords: 0 });
    expect(result.finding).toBeUndefined();
    // Streaming: keyset pages of 7 rows give the same answer as one page of everything.
    expect(await verifyLog({ connectionString: databaseUrl, schema, publicKey, batchSize: 7 })).toEqual(result);
    expect(await verifyLog({ connectionString: databaseUrl, schema, publicKey, batchSize: 10_000 })).toEqual(result);
    const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.log_seals`);
    expect(Number(rows[0]!.n)).toBe(300);
  });

  it('extends the chain incrementally: new appends (even during a run) are sealed by the next run and still verify', async () => {
    const { store, sealer, schema } = await sealedLog();
    await appendConcurrently(store, 5, 10);
    expect(await verifyLog({ connectionString: databaseUrl, schema, publicKey })).toMatchObject({ intact: true, verifiedRecords: 300, unsealedRecords: 50 });

    // Appenders keep going while the sealer runs: it seals what has committed, never waits for or blocks them.
    const [during] = await Promise.all([sealer.seal(), appendConcurrently(store, 10, 5)]);
    const after = await sealer.seal();
    expect(during.sealed + after.sealed).toBe(100);
    expect(await sealer.seal()).toMatchObject({ sealed: 0, checkpoints: 0 });

    const result = await verifyLog({ connectionString: databaseUrl, schema, publicKey });
    expect(result).toMatchObject({ intact: true, verifiedRecords: 400, unsealedRecords: 0 });
    const head = await admin.query<{ position: string }>(`SELECT max(position) AS position FROM ${schema}.events`);
    expect(result.sealedThrough).toBe(head.rows[0]!.position);
    expect(result.lastCheckpoint?.position).toBe(head.rows[0]!.position);
  });

  type Tamper = (log: SealedLog) => Promise<bigint>;
  const cases: [string, TamperKind, Tamper][] = [
    [
      "mutating one event's data",
      'event-altered',
      async ({ schema, positions }) => {
        const p = positions[123]!;
        await asTableOwner(schema, [[`UPDATE ${schema}.events SET data = jsonb_set(data, '{caseId}', '"someone-else"') WHERE position = $1`, [p.toString()]]]);
        return p;
      },
    ],
    [
      "moving one event to another force (the force column, outside the sealed view)",
      'event-altered',
      async ({ schema, positions }) => {
        const p = positions[200]!;
        await asTableOwner(schema, [[`UPDATE ${schema}.events SET force = 'wiltshire' WHERE position = $1`, [p.toString()]]]);
        return p;
      },
    ],
    [
      'deleting one event',
      'event-deleted',
      async ({ schema, positions }) => {
        const p = positions[77]!;
        await asTableOwner(schema, [[`DELETE FROM ${schema}.events WHERE position = $1`, [p.toString()]]]);
        return p;
      },
    ],
    [
      'inserting a forged event between two sealed ones',
      'event-inserted',
      async ({ schema, positions }) => {
        // Positions of one append are consecutive; between two transactions there is a gap to slip into.
        const i = positions.findIndex((p, k) => k >= 100 && positions[k + 1]! - p > 1n);
        const p = positions[i]! + 1n; // below positions[i + 1], as the gap is at least 2
        const fake = anEvent('avon-somerset');
        await asTableOwner(schema, [
          [
            `INSERT INTO ${schema}.events (position, event_id, stream_id, revision, type, force, data, metadata)
             VALUES ($1, $2, $3, 0, $4, 'avon-somerset', $5, $6)`,
            [p.toString(), fake.id, `case-${randomUUID()}`, fake.type, JSON.stringify(fake.data), JSON.stringify(fake.metadata)],
          ],
        ]);
        return p;
      },
    ],
    [
      "swapping two events' places (reordering)",
      'event-reordered',
      async ({ schema, positions }) => {
        const [p, q] = [positions[50]!, positions[250]!];
        await asTableOwner(schema, [
          [`UPDATE ${schema}.events SET position = -1 WHERE position = $1`, [p.toString()]],
          [`UPDATE ${schema}.events SET position = $1 WHERE position = $2`, [p.toString(), q.toString()]],
          [`UPDATE ${schema}.events SET position = $1 WHERE position = -1`, [q.toString()]],
        ]);
        return p;
      },
    ],
    [
      'altering a stored seal hash',
      'seal-altered',
      async ({ schema, positions }) => {
        const p = positions[150]!;
        await admin.query(`UPDATE ${schema}.log_seals SET hash = $2 WHERE position = $1`, [p.toString(), forged]);
        return p;
      },
    ],
    [
      'altering the seal hash of the head (decided by the signed checkpoint there)',
      'seal-altered',
      async ({ schema, positions }) => {
        const p = positions[299]!;
        await admin.query(`UPDATE ${schema}.log_seals SET hash = $2 WHERE position = $1`, [p.toString(), forged]);
        return p;
      },
    ],
    [
      "altering a checkpoint's hash (its signature no longer verifies)",
      'checkpoint-signature-invalid',
      async ({ schema, positions }) => {
        const p = positions[199]!;
        await admin.query(`UPDATE ${schema}.log_checkpoints SET hash = $2 WHERE position = $1`, [p.toString(), forged]);
        return p;
      },
    ],
    [
      'rewriting an event and recomputing every later seal (without the signing key)',
      'checkpoint-mismatch',
      async (log) => {
        const { schema, positions } = log;
        await asTableOwner(schema, [[`UPDATE ${schema}.events SET data = jsonb_set(data, '{caseId}', '"rewritten"') WHERE position = $1`, [positions[10]!.toString()]]]);
        await rechainSeals(log);
        return positions[99]!; // the first signed checkpoint after the rewrite
      },
    ],
    [
      'rewriting events, seals and checkpoints with a key of the operator’s own',
      'checkpoint-signature-invalid',
      async (log) => {
        const { schema, positions } = log;
        await asTableOwner(schema, [[`UPDATE ${schema}.events SET data = jsonb_set(data, '{caseId}', '"rewritten"') WHERE position = $1`, [positions[10]!.toString()]]]);
        await rechainSeals(log, generateAuditSigner());
        return positions[99]!;
      },
    ],
  ];

  it.each(cases)('detects %s as %s, at the first divergent position', async (_name, kind, tamper) => {
    const log = await sealedLog();
    expect(await verifyLog({ connectionString: databaseUrl, schema: log.schema, publicKey })).toMatchObject({ intact: true });
    const position = await tamper(log);
    const result = await verifyLog({ connectionString: databaseUrl, schema: log.schema, publicKey, batchSize: 64 });
    expect(result.intact).toBe(false);
    expect(result.finding).toMatchObject({ kind, position: position.toString() });
  });
});

/** The attacker's tool: recompute the chain over the (tampered) events and overwrite the seals; optionally re-sign. */
async function rechainSeals({ store, schema }: SealedLog, resign?: AuditSigner): Promise<void> {
  let hash = GENESIS_HASH;
  for await (const event of store.readAll()) {
    hash = chainHash(hash, event);
    await admin.query(`UPDATE ${schema}.log_seals SET hash = $2 WHERE position = $1`, [event.position.toString(), hash]);
    if (resign) {
      const signedAt = new Date().toISOString();
      await admin.query(`UPDATE ${schema}.log_checkpoints SET hash = $2, signed_at = $3, signature = $4, key_id = $5 WHERE position = $1`, [
        event.position.toString(),
        hash,
        signedAt,
        signCheckpoint(resign, { position: event.position, hash, signedAt }),
        resign.keyId,
      ]);
    }
  }
}
