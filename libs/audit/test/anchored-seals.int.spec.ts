import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { READ_HORIZON_SQL } from '#event-store';
import { requiredEnv, uniqueName, waitFor } from '#testing';
import {
  ACCESS_LOG,
  LogSealer,
  PostgresAccessLog,
  SealAnchorError,
  exportPublicKeyPem,
  generateAuditSigner,
  listCheckpoints,
  publicKeyFromPem,
  verifyLog,
  type AccessRecord,
  type PublishedCheckpoint,
  type WitnessOptions,
} from '../src/index.js';

/**
 * Issue 12, item 1: an operator with table-owner rights truncates the sealed access log after a position P (rows,
 * seals and checkpoints alike) and lets the sealer go on. The seal tables are append-only; a sealer that knows a
 * later signed checkpoint refuses to extend the truncated chain; and `verifyLog` with a witness (checkpoints a
 * force kept outside the database) fails naming P.
 */
const databaseUrl = requiredEnv('DATABASE_URL');
const admin = new pg.Pool({ connectionString: databaseUrl, max: 4 });
const signer = generateAuditSigner();
const publicKey = publicKeyFromPem(exportPublicKeyPem(signer));
const log = ACCESS_LOG;
let opened: { close(): Promise<void> }[] = [];
const schemas: string[] = [];

afterEach(async () => {
  for (const resource of opened) await resource.close();
  opened = [];
});

afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

const entry = (n: number): AccessRecord => ({
  actor: { officerId: `AS-${1000 + (n % 7)}`, force: 'avon-somerset', roles: ['officer'] },
  action: 'consult',
  purpose: 'investigation',
  method: 'GET',
  route: '/forces/:force/cases/:caseId',
  scopeForce: 'avon-somerset',
  subjects: [{ force: 'avon-somerset', type: 'case', id: randomUUID() }],
  status: 200,
  recordCount: 1,
});

interface Fixture {
  readonly schema: string;
  readonly sealer: LogSealer;
  write(n: number): Promise<void>;
  positions(): Promise<bigint[]>;
  /** Seals until every record written so far is sealed (the read horizon is cluster-wide). */
  sealAll(sealer?: LogSealer): Promise<void>;
  /** What a force kept: every checkpoint published so far. */
  witness(): Promise<PublishedCheckpoint[]>;
}

async function sealedLog(records = 300): Promise<Fixture> {
  const schema = uniqueName('anchor');
  schemas.push(schema);
  const writer = await PostgresAccessLog.open(databaseUrl, schema, 4);
  const sealer = await LogSealer.open({ connectionString: databaseUrl, schema, log, signer, checkpointEvery: 100, batchSize: 64 });
  opened.push(sealer, writer);
  let next = 0;
  const fixture: Fixture = {
    schema,
    sealer,
    write: async (n) => {
      await Promise.all(Array.from({ length: n }, () => writer.record(entry(next++))));
    },
    positions: async () =>
      (await admin.query<{ position: string }>(`SELECT position FROM ${schema}.access_log ORDER BY position`)).rows.map((r) =>
        BigInt(r.position),
      ),
    sealAll: async (s = sealer) => {
      await waitFor('the read horizon to pass the records written', async () => {
        const { rows } = await admin.query<{ past: boolean }>(
          `SELECT max(position) < ${READ_HORIZON_SQL} AS past FROM ${schema}.access_log`,
        );
        return rows[0]!.past;
      });
      await s.seal();
    },
    witness: () => listCheckpoints(admin, schema, log, 0n, 1000),
  };
  await fixture.write(records);
  await fixture.sealAll();
  return fixture;
}

/** The attack of issue 12: as table owner, lift the triggers and remove the records, seals and checkpoints after P. */
async function truncateAfter(schema: string, p: bigint): Promise<void> {
  const client = await admin.connect();
  try {
    await client.query('BEGIN');
    await client.query(`ALTER TABLE ${schema}.access_log DISABLE TRIGGER USER`);
    await client.query(`ALTER TABLE ${schema}.log_seals DISABLE TRIGGER USER`);
    await client.query(`ALTER TABLE ${schema}.log_checkpoints DISABLE TRIGGER USER`);
    await client.query(`DELETE FROM ${schema}.access_log WHERE position > $1`, [p.toString()]);
    await client.query(`DELETE FROM ${schema}.log_seals WHERE position > $1`, [p.toString()]);
    await client.query(`DELETE FROM ${schema}.log_checkpoints WHERE position > $1`, [p.toString()]);
    await client.query(`ALTER TABLE ${schema}.access_log ENABLE TRIGGER USER`);
    await client.query(`ALTER TABLE ${schema}.log_seals ENABLE TRIGGER USER`);
    await client.query(`ALTER TABLE ${schema}.log_checkpoints ENABLE TRIGGER USER`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const verify = (schema: string, witness?: WitnessOptions): ReturnType<typeof verifyLog> =>
  verifyLog({ connectionString: databaseUrl, schema, log, publicKey, batchSize: 64, ...(witness ? { witness } : {}) });

describe('anchored seals (issue 12, item 1)', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on the seal and checkpoint tables', async () => {
    const { schema } = await sealedLog(10);
    for (const table of ['log_seals', 'log_checkpoints']) {
      await expect(admin.query(`UPDATE ${schema}.${table} SET hash = hash`)).rejects.toThrow(/append-only/);
      await expect(admin.query(`DELETE FROM ${schema}.${table}`)).rejects.toThrow(/append-only/);
      await expect(admin.query(`TRUNCATE ${schema}.${table}`)).rejects.toThrow(/append-only/);
    }
  });

  it('the exact attack: truncating after P and letting the sealer run is refused by the sealer and named P by verify --witness', async () => {
    const fixture = await sealedLog();
    const kept = await fixture.witness(); // checkpoints at records 100, 200 and 300
    expect(kept).toHaveLength(3);
    const positions = await fixture.positions();
    const p = positions[149]!;
    await truncateAfter(fixture.schema, p);
    await fixture.write(20);

    // In the database alone, the truncated log is consistent: verification without a witness cannot tell.
    expect(await verify(fixture.schema)).toMatchObject({ intact: true, sealedThrough: p.toString() });

    // The running sealer signed the checkpoint at record 300: it refuses to extend a chain that lost it.
    await expect(fixture.sealAll()).rejects.toThrow(SealAnchorError);
    await expect(fixture.sealer.seal()).rejects.toMatchObject({ finding: { kind: 'checkpoint-regressed' } });
    expect(fixture.sealer.refusal?.kind).toBe('checkpoint-regressed');
    // A sealer restarted with the checkpoints a force kept refuses too, naming P as the last position it can vouch for.
    const restarted = await LogSealer.open({ connectionString: databaseUrl, schema: fixture.schema, log, signer, anchor: kept });
    opened.push(restarted);
    await expect(restarted.seal()).rejects.toMatchObject({ finding: { kind: 'checkpoint-regressed', position: p.toString() } });
    const sealed = await admin.query(`SELECT 1 FROM ${fixture.schema}.log_seals WHERE position > $1`, [p.toString()]);
    expect(sealed.rowCount).toBe(0);

    // Verified against the kept checkpoints, the database fails, naming P.
    const refused = await verify(fixture.schema, { checkpoints: kept });
    expect(refused).toMatchObject({ intact: false, finding: { kind: 'witness-regressed', position: p.toString() } });

    // A sealer started without any anchor re-chains from P (what the attacker wants); the witness still names P.
    const naive = await LogSealer.open({ connectionString: databaseUrl, schema: fixture.schema, log, signer });
    opened.push(naive);
    await fixture.sealAll(naive);
    expect(await verify(fixture.schema)).toMatchObject({ intact: true });
    const result = await verify(fixture.schema, { checkpoints: kept });
    expect(result).toMatchObject({ intact: false, finding: { kind: 'witness-missing', position: p.toString() } });
    expect(result.finding?.detail).toContain(kept[1]!.position);
  });

  it('refuses to start from a newest checkpoint that does not verify, or from seals after it that do not recompute', async () => {
    const forged = await sealedLog(30);
    const lastCheckpoint = (await forged.witness()).at(-1)!;
    const client = await admin.connect();
    try {
      await client.query(`ALTER TABLE ${forged.schema}.log_checkpoints DISABLE TRIGGER USER`);
      await client.query(`UPDATE ${forged.schema}.log_checkpoints SET signature = $2 WHERE position = $1`, [
        lastCheckpoint.position,
        Buffer.alloc(64, 7),
      ]);
    } finally {
      client.release();
    }
    await forged.write(3);
    await expect(forged.sealAll()).rejects.toMatchObject({
      finding: { kind: 'checkpoint-signature-invalid', position: lastCheckpoint.position },
    });

    // Seals written after the last checkpoint (a run that died before signing), one of them then altered.
    const altered = await sealedLog(30);
    await altered.write(10);
    const head = (await altered.positions()).at(-1)!;
    await waitFor('the read horizon to pass the records written', async () => {
      const { rows } = await admin.query<{ past: boolean }>(`SELECT $1::bigint < ${READ_HORIZON_SQL} AS past`, [head.toString()]);
      return rows[0]!.past;
    });
    const unsigned = await LogSealer.open({
      connectionString: databaseUrl,
      schema: altered.schema,
      log,
      signer,
      checkpointEvery: 1_000_000,
    });
    opened.push(unsigned);
    await unsigned.seal();
    const owner = await admin.connect();
    try {
      await owner.query(`ALTER TABLE ${altered.schema}.log_checkpoints DISABLE TRIGGER USER`);
      await owner.query(`DELETE FROM ${altered.schema}.log_checkpoints WHERE position = $1`, [head.toString()]);
      await owner.query(`ALTER TABLE ${altered.schema}.access_log DISABLE TRIGGER USER`);
      await owner.query(`UPDATE ${altered.schema}.access_log SET purpose = 'audit' WHERE position = $1`, [head.toString()]);
    } finally {
      owner.release();
    }
    const fresh = await LogSealer.open({ connectionString: databaseUrl, schema: altered.schema, log, signer });
    opened.push(fresh);
    await expect(fresh.seal()).rejects.toMatchObject({ finding: { kind: 'entry-altered', position: head.toString() } });
    expect(fresh.refusal).toMatchObject({ kind: 'entry-altered' });
  });

  it('passes with a witness that matches, and fails on a witness checkpoint not matched or not validly signed', async () => {
    const fixture = await sealedLog();
    const kept = await fixture.witness();
    expect(await verify(fixture.schema, { checkpoints: kept })).toMatchObject({ intact: true, witnessedCheckpoints: 3 });
    // A copy held by another force, of another log: ignored for this one.
    expect(await verify(fixture.schema, { checkpoints: [...kept, { ...kept[0]!, log: 'event-log' }] })).toMatchObject({
      intact: true,
      witnessedCheckpoints: 3,
    });

    const altered = kept.map((c, i) => (i === 1 ? { ...c, hash: 'ab'.repeat(32) } : c));
    expect((await verify(fixture.schema, { checkpoints: altered })).finding).toMatchObject({
      kind: 'witness-signature-invalid',
      position: kept[1]!.position,
    });

    // A validly signed checkpoint the database does not hold (here: of another chain signed by the same key).
    const other = await sealedLog(120);
    const foreign = (await other.witness())[0]!;
    const mismatch = await verify(fixture.schema, { checkpoints: [foreign] });
    expect(mismatch.intact).toBe(false);
    expect(['witness-mismatch', 'witness-missing', 'witness-regressed']).toContain(mismatch.finding?.kind);
  });

  it('fails on a checkpoint deleted from the database while its seal stays, and on a sealed head older than the maximum age', async () => {
    const fixture = await sealedLog();
    const kept = await fixture.witness();
    const client = await admin.connect();
    try {
      await client.query(`ALTER TABLE ${fixture.schema}.log_checkpoints DISABLE TRIGGER USER`);
      await client.query(`DELETE FROM ${fixture.schema}.log_checkpoints WHERE position = $1`, [kept[1]!.position]);
      await client.query(`ALTER TABLE ${fixture.schema}.log_checkpoints ENABLE TRIGGER USER`);
    } finally {
      client.release();
    }
    expect((await verify(fixture.schema, { checkpoints: kept })).finding).toMatchObject({
      kind: 'witness-checkpoint-deleted',
      position: kept[1]!.position,
    });

    // Stale: records wait behind the head for longer than the maximum age (the clock is injected).
    const fresh = await sealedLog(10);
    await fresh.write(5);
    const signedAt = Date.parse((await fresh.witness())[0]!.signedAt);
    const at = (ms: number) => () => new Date(signedAt + ms);
    expect(await verify(fresh.schema, { checkpoints: [], maxHeadAgeMs: 3_600_000, now: at(60_000) })).toMatchObject({ intact: true });
    const stale = await verify(fresh.schema, { checkpoints: [], maxHeadAgeMs: 3_600_000, now: at(2 * 3_600_000) });
    expect(stale).toMatchObject({ intact: false, finding: { kind: 'head-stale' } });
    // A quiet log (nothing waits behind its head) is not stale, however old the head.
    await fresh.sealAll();
    expect(await verify(fresh.schema, { checkpoints: [], maxHeadAgeMs: 3_600_000, now: at(48 * 3_600_000) })).toMatchObject({
      intact: true,
    });
  });
});
