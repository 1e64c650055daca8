import pg from 'pg';
import { assertValidEvents } from '#contracts';
import { AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_TABLE, PostgresAccessLog, type AccessRecord } from '#audit';
import {
  databaseUrlAs,
  grantServiceAccess,
  migrateSchema,
  PostgresEventStore,
  provisionRoles,
  serviceRole,
  withValidation,
} from '#event-store';
import { anEvent, requiredEnv, uniqueName } from '#testing';

/**
 * Least privilege in PostgreSQL (issue 12 item 2, ADR 0035). The logs are append-only by trigger (ADR 0009, 0012,
 * 0023), but a table owner or a superuser can lift a trigger. A service connects with the connection it is given
 * in deployment; connected so, it must not be able to disable a trigger, UPDATE, DELETE or TRUNCATE the event
 * log, the access log or the seal and checkpoint tables, nor run DDL, while it appends and reads as before.
 * Refusals are the privilege system's (`permission denied`, `must be owner`), not the triggers' own message.
 */
const databaseUrl = requiredEnv('DATABASE_URL');
const REFUSED = { code: '42501', message: expect.stringMatching(/permission denied|must be owner/) as unknown };

/** The connection string of `service` as deployed (what the service's DATABASE_URL is): its own role. */
function serviceUrl(service: 'api' | 'sealer'): string {
  return databaseUrlAs(databaseUrl, serviceRole(service), password(serviceRole(service)));
}

/** The test server trusts local connections; the roles get passwords all the same, as deployed. */
function password(role: string): string {
  return `test-password-of-${role}`;
}

const access: AccessRecord = {
  actor: { officerId: 'DU-1001', force: 'durham', roles: ['investigator'] },
  action: 'consult',
  purpose: 'investigation',
  method: 'GET',
  route: '/forces/:force/cases/:caseId',
  scopeForce: 'durham',
  subjects: [{ force: 'durham', type: 'case', id: 'c-1' }],
  status: 200,
  recordCount: 1,
};

describe('PostgreSQL least privilege: a service role cannot lift or rewrite the append-only logs', () => {
  const name = uniqueName('roles');
  const es = `${name}_es`;
  const audit = `${name}_audit`;
  let api: pg.Client;
  let sealer: pg.Client;

  /** Runs `sql` as `client` in a transaction that is rolled back (nothing an attempt did outlives it). */
  async function attempt(client: pg.Client, sql: string): Promise<void> {
    await client.query('BEGIN');
    try {
      await client.query(sql);
    } finally {
      await client.query('ROLLBACK');
    }
  }

  beforeAll(async () => {
    // The owner's step (`nom migrate`): every schema migrated, with rows to attack.
    const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema: es });
    await withValidation(store, assertValidEvents).append(`case-${name}`, [anEvent('durham')], 'no-stream');
    await store.close();
    const log = await PostgresAccessLog.open(databaseUrl, audit);
    await log.record(access);
    await log.close();
    await migrateSchema(databaseUrl, audit, AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_TABLE);
    const owner = new pg.Client({ connectionString: databaseUrl });
    await owner.connect();
    await owner.query(
      `INSERT INTO ${audit}.log_seals (position, event_id, hash) VALUES (1, gen_random_uuid(), decode(repeat('00', 32), 'hex'))`,
    );
    await owner.end();
    // `nom migrate`'s roles step (here the superuser of the test server is the admin and the owner).
    await provisionRoles({
      adminUrl: databaseUrl,
      passwords: new Map(['api', 'sealer'].map((s) => [serviceRole(s as 'api'), password(serviceRole(s as 'api'))])),
    });
    await grantServiceAccess(databaseUrl, { eventStore: es, audit }, ['api', 'sealer']);
    api = new pg.Client({ connectionString: serviceUrl('api') });
    sealer = new pg.Client({ connectionString: serviceUrl('sealer') });
    await api.connect();
    await sealer.connect();
  });

  afterAll(async () => {
    await api?.end();
    await sealer?.end();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${es} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${audit} CASCADE`);
    await client.end();
  });

  const logs = (): [string, string][] => [
    ['event log', `${es}.events`],
    ['streams', `${es}.streams`],
    ['access log', `${audit}.access_log`],
    ['seals', `${audit}.log_seals`],
    ['signed checkpoints', `${audit}.log_checkpoints`],
  ];

  it.each(['api', 'sealer'] as const)('the %s role cannot disable, or skip, the append-only triggers', async (service) => {
    const client = service === 'api' ? api : sealer;
    for (const [, table] of logs()) {
      await expect(attempt(client, `ALTER TABLE ${table} DISABLE TRIGGER ALL`)).rejects.toMatchObject(REFUSED);
      await expect(attempt(client, `ALTER TABLE ${table} DISABLE TRIGGER USER`)).rejects.toMatchObject(REFUSED);
    }
    // Replica mode skips ordinary triggers: only a superuser may set it.
    await expect(attempt(client, 'SET session_replication_role = replica')).rejects.toMatchObject(REFUSED);
  });

  it.each(['api', 'sealer'] as const)(
    'the %s role cannot UPDATE, DELETE or TRUNCATE a log (refused by privilege, not only by trigger)',
    async (service) => {
      const client = service === 'api' ? api : sealer;
      for (const [, table] of logs()) {
        await expect(attempt(client, `UPDATE ${table} ${updateOf(table)}`)).rejects.toMatchObject(REFUSED);
        await expect(attempt(client, `DELETE FROM ${table}`)).rejects.toMatchObject(REFUSED);
        await expect(attempt(client, `TRUNCATE ${table}`)).rejects.toMatchObject(REFUSED);
      }
    },
  );

  it('the api role writes the event log only through the append function, never by INSERT', async () => {
    await expect(
      attempt(
        api,
        `INSERT INTO ${es}.events (position, event_id, stream_id, revision, type, force, data, metadata)
                    VALUES (1, gen_random_uuid(), 'forged', 0, 'x', 'durham', '{}', '{}')`,
      ),
    ).rejects.toMatchObject(REFUSED);
  });

  it('only the sealer appends seals: the api role may read them, not forge one', async () => {
    const forged = `INSERT INTO ${audit}.log_seals (position, event_id, hash) VALUES (2, gen_random_uuid(), decode(repeat('00', 32), 'hex'))`;
    await expect(attempt(api, forged)).rejects.toMatchObject(REFUSED);
    await expect(attempt(sealer, forged)).resolves.toBeUndefined();
  });

  it.each(['api', 'sealer'] as const)('the %s role runs no DDL: no table, function, schema, drop or redefinition', async (service) => {
    const client = service === 'api' ? api : sealer;
    await expect(attempt(client, `CREATE TABLE ${es}.shadow (a int)`)).rejects.toMatchObject(REFUSED);
    await expect(attempt(client, `CREATE TABLE ${audit}.shadow (a int)`)).rejects.toMatchObject(REFUSED);
    await expect(attempt(client, `CREATE SCHEMA ${name}_x`)).rejects.toMatchObject(REFUSED);
    await expect(attempt(client, `DROP TABLE ${audit}.access_log`)).rejects.toMatchObject(REFUSED);
    await expect(attempt(client, `DROP TRIGGER events_immutable ON ${es}.events`)).rejects.toMatchObject(REFUSED);
    await expect(attempt(client, `ALTER FUNCTION ${es}.refuse_event_change() RENAME TO nothing`)).rejects.toMatchObject(REFUSED);
    await expect(
      attempt(
        client,
        `CREATE OR REPLACE FUNCTION ${es}.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
      ),
    ).rejects.toMatchObject(REFUSED);
  });

  it('connected as the api role, the backbone appends and reads the event log and the access log', async () => {
    const store = await PostgresEventStore.open({ connectionString: serviceUrl('api'), schema: es });
    try {
      const result = await withValidation(store, assertValidEvents).append(`case-${name}-2`, [anEvent('durham')], 'no-stream');
      const read = [];
      for await (const event of store.readStream(`case-${name}-2`)) read.push(event);
      expect(read.map((e) => e.position)).toEqual([result.position]);
      await store.setStreamMetadata(`case-${name}-2`, { note: 'stream metadata stays writable' });
    } finally {
      await store.close();
    }
    const log = await PostgresAccessLog.open(serviceUrl('api'), audit);
    try {
      const entry = await log.record(access);
      const page = await log.query({ scopeForce: 'durham', excludingActor: 'NAT-0001', limit: 100 });
      expect(page.entries.map((e) => e.entryId)).toContain(entry.entryId);
    } finally {
      await log.close();
    }
  });

  it('connected as the sealer role, the seals and checkpoints are readable', async () => {
    const { rows } = await sealer.query<{ n: string }>(`SELECT count(*) AS n FROM ${audit}.log_seals`);
    expect(Number(rows[0]!.n)).toBe(1);
    await expect(sealer.query(`SELECT count(*) FROM ${audit}.log_checkpoints`)).resolves.toBeDefined();
  });
});

/** An UPDATE of one of the table's columns (each log has different ones). */
function updateOf(table: string): string {
  if (table.endsWith('.events')) return 'SET type = type';
  if (table.endsWith('.streams')) return 'SET revision = revision + 1';
  if (table.endsWith('.access_log')) return 'SET status = status';
  return 'SET hash = hash';
}
