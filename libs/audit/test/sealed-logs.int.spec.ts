import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresEventStore, READ_HORIZON_SQL } from '#event-store';
import { anEvent, requiredEnv, uniqueName, waitFor } from '#testing';
import {
  ACCESS_LOG,
  EVENT_LOG,
  GENESIS_HASH,
  LogSealer,
  PostgresAccessLog,
  chainLink,
  exportPublicKeyPem,
  generateAuditSigner,
  publicKeyFromPem,
  signCheckpoint,
  verifyLog,
  type AccessRecord,
  type AuditSigner,
  type SealedLog,
  type SealedRow,
  type TamperKind,
} from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const admin = new pg.Pool({ connectionString: databaseUrl, max: 4 });
const signer = generateAuditSigner();
// What a force keeps: the PEM, not the key object.
const publicKey = publicKeyFromPem(exportPublicKeyPem(signer));
let opened: { close(): Promise<void> }[] = [];
const schemas: string[] = [];

// Close each test's pools as it ends (the database is shared); drop the schemas at the end.
afterEach(async () => {
  for (const resource of opened) await resource.close();
  opened = [];
});

afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

/**
 * One sealed log under test: how to write to it (concurrently: writers are never serialised), the trigger that
 * keeps it append-only, and how an attacker would change a record and forge one.
 */
interface LogUnderTest {
  readonly log: SealedLog;
  readonly trigger: string;
  /** Opens the log's writer in `schema`; `write(n)` appends n records from n concurrent writers. */
  open(schema: string): Promise<{ write(n: number): Promise<void>; close(): Promise<void> }>;
  /** An UPDATE of one record's sealed content ($1: its position). */
  readonly mutate: (schema: string) => string;
  /** A forged record at $1. */
  readonly forge: (schema: string) => [string, unknown[]];
  /** Writes one record the ordinary way, returning its `position` (run inside a transaction kept open). */
  readonly writeOne: (schema: string) => [string, unknown[]];
}

const eventLog: LogUnderTest = {
  log: EVENT_LOG,
  trigger: 'events_immutable',
  async open(schema) {
    const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema, poolSize: 4 });
    return {
      // Streams of up to 10 events, appended concurrently.
      write: async (n) => {
        await Promise.all(
          Array.from({ length: Math.ceil(n / 10) }, async (_, i) => {
            const caseId = randomUUID();
            await store.append(
              `case-${caseId}`,
              Array.from({ length: Math.min(10, n - i * 10) }, () => anEvent('avon-somerset', caseId)),
              'no-stream',
            );
          }),
        );
      },
      close: () => store.close(),
    };
  },
  mutate: (schema) => `UPDATE ${schema}.events SET data = jsonb_set(data, '{caseId}', '"someone-else"') WHERE position = $1`,
  forge: (schema) => {
    const fake = anEvent('avon-somerset');
    return [
      `INSERT INTO ${schema}.events (position, event_id, stream_id, revision, type, force, data, metadata) VALUES ($1, $2, $3, 0, $4, 'avon-somerset', $5, $6)`,
      [fake.id, `case-${randomUUID()}`, fake.type, JSON.stringify(fake.data), JSON.stringify(fake.metadata)],
    ];
  },
  writeOne: (schema) => {
    const event = anEvent('avon-somerset');
    return [
      `SELECT last_position AS position FROM ${schema}.append_to_stream($1, 'avon-somerset', 'no-stream', NULL, $2::uuid[], $3::text[], $4::jsonb[], $5::jsonb[])`,
      [`case-${randomUUID()}`, [event.id], [event.type], [JSON.stringify(event.data)], [JSON.stringify(event.metadata)]],
    ];
  },
};

const accessRecord = (n: number): AccessRecord => ({
  actor: { officerId: `AS-${1000 + (n % 7)}`, force: 'avon-somerset', roles: ['officer'] },
  action: n % 3 === 0 ? 'collect' : 'consult',
  purpose: 'investigation',
  method: n % 3 === 0 ? 'POST' : 'GET',
  route: '/forces/:force/cases/:caseId',
  scopeForce: 'avon-somerset',
  subjects: [{ force: 'avon-somerset', type: 'case', id: randomUUID() }],
  status: 200,
  recordCount: 1,
});

const accessLog: LogUnderTest = {
  log: ACCESS_LOG,
  trigger: 'access_log_immutable',
  async open(schema) {
    const log = await PostgresAccessLog.open(databaseUrl, schema, 6);
    return {
      // In waves of ten given at once: each wave is committed together (group commit), and the log holds many
      // transactions, with the gaps between their positions that the forged-entry case slips into.
      write: async (n) => {
        for (let wave = 0; wave < n; wave += 10)
          await Promise.all(Array.from({ length: Math.min(10, n - wave) }, (_, i) => log.record(accessRecord(wave + i))));
      },
      close: () => log.close(),
    };
  },
  mutate: (schema) => `UPDATE ${schema}.access_log SET actor_officer_id = 'AS-0000' WHERE position = $1`,
  forge: (schema) => [
    `INSERT INTO ${schema}.access_log (entry_id, actor_officer_id, actor_force, actor_roles, action, purpose, method, route, scope_force, subjects, status, record_count, position)
     VALUES ($2, 'AS-1000', 'avon-somerset', '{officer}', 'consult', 'audit', 'GET', '/forces/:force/access-log', 'avon-somerset', '[]', 200, 0, $1)`,
    [randomUUID()],
  ],
  writeOne: (schema) => [
    `INSERT INTO ${schema}.access_log (entry_id, actor_officer_id, actor_force, actor_roles, action, purpose, method, route, scope_force, subjects, status, record_count)
     VALUES ($1, 'AS-1000', 'avon-somerset', '{officer}', 'consult', 'investigation', 'GET', '/forces/:force/cases/:caseId', 'avon-somerset', '[]', 200, 1) RETURNING position`,
    [randomUUID()],
  ],
};

interface SealedFixture {
  readonly schema: string;
  readonly sealer: LogSealer;
  readonly write: (n: number) => Promise<void>;
  readonly positions: bigint[];
}

describe.each([
  ['the event log', eventLog],
  ['the access log', accessLog],
])('LogSealer and verifyLog over %s', (_name, under) => {
  const { log } = under;
  const noun = log.noun;
  const verify = (schema: string, batchSize?: number): ReturnType<typeof verifyLog> =>
    verifyLog({ connectionString: databaseUrl, schema, log, publicKey, ...(batchSize ? { batchSize } : {}) });

  /** A fresh schema with 300 records, sealed with a checkpoint every 100. */
  async function sealedLog(): Promise<SealedFixture> {
    const schema = uniqueName('audit');
    schemas.push(schema);
    const writer = await under.open(schema);
    const sealer = await LogSealer.open({ connectionString: databaseUrl, schema, log, signer, checkpointEvery: 100, batchSize: 64 });
    opened.push(sealer, writer);
    await writer.write(300);
    // The read horizon is cluster-wide: wait until no other session's transaction holds it below what was written.
    await waitFor('the read horizon to pass the records written', async () => {
      const { rows } = await admin.query<{ past: boolean }>(
        `SELECT max(position) < ${READ_HORIZON_SQL} AS past FROM ${schema}.${log.table}`,
      );
      return rows[0]!.past;
    });
    const result = await sealer.seal();
    expect(result).toMatchObject({ sealed: 300, checkpoints: 3 });
    const { rows } = await admin.query<{ position: string }>(`SELECT position FROM ${schema}.${log.table} ORDER BY position`);
    return { schema, sealer, write: (n) => writer.write(n), positions: rows.map((r) => BigInt(r.position)) };
  }

  /** As an attacker with table-owner rights: lift the append-only trigger, change rows, put it back. */
  async function asTableOwner(schema: string, statements: readonly [string, unknown[]?][]): Promise<void> {
    const client = await admin.connect();
    try {
      await client.query('BEGIN');
      await client.query(`ALTER TABLE ${schema}.${log.table} DISABLE TRIGGER ${under.trigger}`);
      for (const [sql, params] of statements) await client.query(sql, params);
      await client.query(`ALTER TABLE ${schema}.${log.table} ENABLE TRIGGER ${under.trigger}`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** The attacker's tool: recompute the chain over the (tampered) records and overwrite the seals; optionally re-sign. */
  async function rechainSeals(schema: string, resign?: AuditSigner): Promise<void> {
    await liftSealTriggers(schema);
    let hash = GENESIS_HASH;
    const { rows } = await admin.query<SealedRow>(`SELECT ${log.columns} FROM ${schema}.${log.table} ORDER BY position`);
    for (const row of rows) {
      hash = chainLink(hash, log.canonicalOf(row));
      await admin.query(`UPDATE ${schema}.log_seals SET hash = $2 WHERE position = $1`, [row.position, hash]);
      if (resign) {
        const signedAt = new Date().toISOString();
        await admin.query(
          `UPDATE ${schema}.log_checkpoints SET hash = $2, signed_at = $3, signature = $4, key_id = $5 WHERE position = $1`,
          [
            row.position,
            hash,
            signedAt,
            signCheckpoint(resign, { position: BigInt(row.position), hash, signedAt }, log.checkpointType),
            resign.keyId,
          ],
        );
      }
    }
  }

  it('refuses UPDATE, DELETE and TRUNCATE while its triggers are on', async () => {
    const { schema, positions } = await sealedLog();
    const p = positions[0]!.toString();
    await expect(admin.query(under.mutate(schema), [p])).rejects.toThrow(/immutable|append-only/);
    await expect(admin.query(`DELETE FROM ${schema}.${log.table} WHERE position = $1`, [p])).rejects.toThrow(/immutable|append-only/);
    await expect(admin.query(`TRUNCATE ${schema}.${log.table}`)).rejects.toThrow(/immutable|append-only/);
  });

  it('seals 300 concurrently written records; the log verifies intact, in any batch size', async () => {
    const { schema } = await sealedLog();
    const result = await verify(schema, 50);
    expect(result).toMatchObject({ log: log.name, intact: true, verifiedRecords: 300, verifiedCheckpoints: 3, unsealedRecords: 0 });
    expect(result.finding).toBeUndefined();
    // Streaming: keyset pages of 7 rows give the same answer as one page of everything.
    expect(await verify(schema, 7)).toEqual(result);
    expect(await verify(schema, 10_000)).toEqual(result);
    const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.log_seals`);
    expect(Number(rows[0]!.n)).toBe(300);
  });

  it('extends the chain incrementally: new records (even during a run) are sealed by the next run and still verify', async () => {
    const { schema, sealer, write } = await sealedLog();
    await write(50);
    expect(await verify(schema)).toMatchObject({ intact: true, verifiedRecords: 300, unsealedRecords: 50 });

    // Writers keep going while the sealer runs: it seals what has committed, never waits for or blocks them.
    const [during] = await Promise.all([sealer.seal(), write(50)]);
    let sealed = during.sealed;
    await waitFor('the 100 new records to be sealed', async () => (sealed += (await sealer.seal()).sealed) === 100);
    expect(await sealer.seal()).toMatchObject({ sealed: 0, checkpoints: 0 });

    const result = await verify(schema);
    expect(result).toMatchObject({ intact: true, verifiedRecords: 400, unsealedRecords: 0 });
    const head = await admin.query<{ position: string }>(`SELECT max(position) AS position FROM ${schema}.${log.table}`);
    expect(result.sealedThrough).toBe(head.rows[0]!.position);
    expect(result.lastCheckpoint?.position).toBe(head.rows[0]!.position);
  });

  it('never seals past a record still uncommitted: one that takes its position first and commits last is sealed in place', async () => {
    const { schema, sealer, write } = await sealedLog();
    const late = await admin.connect();
    try {
      await late.query('BEGIN');
      const [sql, params] = under.writeOne(schema);
      const { rows } = await late.query<{ position: string }>(sql, params);
      const latePosition = rows[0]!.position;
      await write(20); // newer records, all committed before the late one, all at higher positions
      expect(await sealer.seal()).toMatchObject({ sealed: 0 });
      await late.query('COMMIT');
      // Other sessions' transactions (the database is shared) may hold the horizon back a little: seal until done.
      let sealed = 0;
      await waitFor('the late record and the 20 newer ones to be sealed', async () => (sealed += (await sealer.seal()).sealed) === 21);
      const seal = await admin.query(`SELECT 1 FROM ${schema}.log_seals WHERE position = $1`, [latePosition]);
      expect(seal.rowCount).toBe(1);
      expect(await verify(schema)).toMatchObject({ intact: true, verifiedRecords: 321, unsealedRecords: 0 });
    } finally {
      late.release();
    }
  });

  it("does not verify with the other log's checkpoint type: a signature is bound to its log", async () => {
    const { schema } = await sealedLog();
    const other = log === EVENT_LOG ? ACCESS_LOG : EVENT_LOG;
    const { rows } = await admin.query<{ hash: Buffer; position: string; signed_at: Date }>(
      `SELECT position, hash, signed_at FROM ${schema}.log_checkpoints ORDER BY position LIMIT 1`,
    );
    const cp = rows[0]!;
    await liftSealTriggers(schema);
    await admin.query(`UPDATE ${schema}.log_checkpoints SET signature = $2 WHERE position = $1`, [
      cp.position,
      signCheckpoint(signer, { position: BigInt(cp.position), hash: cp.hash, signedAt: cp.signed_at.toISOString() }, other.checkpointType),
    ]);
    expect((await verify(schema)).finding).toMatchObject({ kind: 'checkpoint-signature-invalid', position: cp.position });
  });

  type Tamper = (fixture: SealedFixture) => Promise<bigint>;
  const cases: [string, TamperKind, Tamper][] = [
    [
      `mutating one ${noun}`,
      `${noun}-altered`,
      async ({ schema, positions }) => {
        const p = positions[123]!;
        await asTableOwner(schema, [[under.mutate(schema), [p.toString()]]]);
        return p;
      },
    ],
    [
      `deleting one ${noun}`,
      `${noun}-deleted`,
      async ({ schema, positions }) => {
        const p = positions[77]!;
        await asTableOwner(schema, [[`DELETE FROM ${schema}.${log.table} WHERE position = $1`, [p.toString()]]]);
        return p;
      },
    ],
    [
      `inserting a forged ${noun} between two sealed ones`,
      `${noun}-inserted`,
      async ({ schema, positions }) => {
        // Positions of one transaction are consecutive; between two transactions there is a gap to slip into.
        const i = positions.findIndex((p, k) => k >= 100 && positions[k + 1]! - p > 1n);
        const p = positions[i]! + 1n; // below positions[i + 1], as the gap is at least 2
        const [sql, params] = under.forge(schema);
        await asTableOwner(schema, [[sql, [p.toString(), ...params]]]);
        return p;
      },
    ],
    [
      `swapping two ${noun === 'event' ? 'events' : 'entries'}' places (reordering)`,
      `${noun}-reordered`,
      async ({ schema, positions }) => {
        const [p, q] = [positions[50]!, positions[250]!];
        await asTableOwner(schema, [
          [`UPDATE ${schema}.${log.table} SET position = -1 WHERE position = $1`, [p.toString()]],
          [`UPDATE ${schema}.${log.table} SET position = $1 WHERE position = $2`, [p.toString(), q.toString()]],
          [`UPDATE ${schema}.${log.table} SET position = $1 WHERE position = -1`, [q.toString()]],
        ]);
        return p;
      },
    ],
    [
      'altering a stored seal hash',
      'seal-altered',
      async ({ schema, positions }) => {
        const p = positions[150]!;
        await liftSealTriggers(schema);
        await admin.query(`UPDATE ${schema}.log_seals SET hash = $2 WHERE position = $1`, [p.toString(), forged]);
        return p;
      },
    ],
    [
      'altering the seal hash of the head (decided by the signed checkpoint there)',
      'seal-altered',
      async ({ schema, positions }) => {
        const p = positions[299]!;
        await liftSealTriggers(schema);
        await admin.query(`UPDATE ${schema}.log_seals SET hash = $2 WHERE position = $1`, [p.toString(), forged]);
        return p;
      },
    ],
    [
      "altering a checkpoint's hash (its signature no longer verifies)",
      'checkpoint-signature-invalid',
      async ({ schema, positions }) => {
        const p = positions[199]!;
        await liftSealTriggers(schema);
        await admin.query(`UPDATE ${schema}.log_checkpoints SET hash = $2 WHERE position = $1`, [p.toString(), forged]);
        return p;
      },
    ],
    [
      `rewriting one ${noun} and recomputing every later seal (without the signing key)`,
      'checkpoint-mismatch',
      async ({ schema, positions }) => {
        await asTableOwner(schema, [[under.mutate(schema), [positions[10]!.toString()]]]);
        await rechainSeals(schema);
        return positions[99]!; // the first signed checkpoint after the rewrite
      },
    ],
    [
      `rewriting ${noun === 'event' ? 'events' : 'entries'}, seals and checkpoints with a key of the operator’s own`,
      'checkpoint-signature-invalid',
      async ({ schema, positions }) => {
        await asTableOwner(schema, [[under.mutate(schema), [positions[10]!.toString()]]]);
        await rechainSeals(schema, generateAuditSigner());
        return positions[99]!;
      },
    ],
    ...(log === EVENT_LOG
      ? ([
          [
            'moving one event to another force (the force column, outside the sealed view)',
            'event-altered',
            async ({ schema, positions }) => {
              const p = positions[200]!;
              await asTableOwner(schema, [[`UPDATE ${schema}.events SET force = 'wiltshire' WHERE position = $1`, [p.toString()]]]);
              return p;
            },
          ],
        ] satisfies [string, TamperKind, Tamper][])
      : []),
  ];

  it.each(cases)('detects %s as %s, at the first divergent position', async (_case, kind, tamper) => {
    const fixture = await sealedLog();
    expect(await verify(fixture.schema)).toMatchObject({ intact: true });
    const position = await tamper(fixture);
    const result = await verify(fixture.schema, 64);
    expect(result.intact).toBe(false);
    expect(result.finding).toMatchObject({ kind, position: position.toString() });
  });
});

const forged = createHash('sha256').update('forged').digest();

/** As the tables' owner: lift the append-only triggers of the seal tables (issue 12), as an attacker would first. */
async function liftSealTriggers(schema: string): Promise<void> {
  await admin.query(`ALTER TABLE ${schema}.log_seals DISABLE TRIGGER USER`);
  await admin.query(`ALTER TABLE ${schema}.log_checkpoints DISABLE TRIGGER USER`);
}
