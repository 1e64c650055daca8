import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePortRange } from '#platform';
import { requiredEnv, uniqueName, waitFor } from '#testing';

const run = promisify(execFile);

/**
 * The distributed topology (issue 15, item 7): scripts/stack.sh starts the dev-only issuer and the nine services as
 * separate processes, each on its own port and (relay, sealer, projector) as its own Kafka principal on the SASL
 * broker with ACLs; one command goes in at the cases service and is read back from the projector's read model.
 */
describe('scripts/stack.sh: the distributed stack on this machine', () => {
  const name = uniqueName('stack');
  const dir = mkdtempSync(join(tmpdir(), 'nom-stack-'));
  let base: number;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    base = await freePortRange(10); // the issuer and nine services
    env = {
      ...process.env,
      DATABASE_URL: requiredEnv('DATABASE_URL'),
      KAFKA_BROKERS: requiredEnv('KAFKA_BROKERS'),
      KAFKA_CREDENTIALS_FILE: requiredEnv('KAFKA_CREDENTIALS_FILE'),
      NOM_STACK_DIR: dir,
      NOM_STACK_PORT: String(base),
      NOM_FORCES: 'avon-somerset',
      NOM_TOPIC_PREFIX: name,
      NOM_EVENT_STORE_SCHEMA: `${name}_es`,
      NOM_AUDIT_SCHEMA: `${name}_audit`,
      NOM_NATIONAL_SCHEMA: `${name}_nat`,
      NOM_PROJECTION_SCHEMA_PREFIX: `${name.slice(0, 24)}_`,
      NOM_LOG_LEVEL: 'log',
    };
    await run('bash', ['scripts/stack.sh', 'start'], { env, timeout: 240_000 });
  }, 300_000);

  afterAll(async () => {
    await run('bash', ['scripts/stack.sh', 'stop'], { env, timeout: 60_000 });
    const client = new pg.Client({ connectionString: requiredEnv('DATABASE_URL') });
    await client.connect();
    const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [
      `${name.slice(0, 24)}%`,
    ]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA ${nspname} CASCADE`);
    await client.end();
  }, 120_000);

  it('runs every service as its own process, on its own port, the Kafka clients as their own principals', () => {
    const pids = readdirSync(join(dir, 'pids')).map((f) => readFileSync(join(dir, 'pids', f), 'utf8').trim());
    expect(new Set(pids).size).toBe(10);
    const log = (service: string): string => readFileSync(join(dir, 'logs', `${service}.log`), 'utf8');
    expect(log('dev-issuer')).toContain('DEV-ONLY identity issuer');
    // A line of every service is JSON (nestjs-pino), from its own process.
    for (const service of ['cases', 'relay', 'projector', 'sealer'])
      expect(
        log(service)
          .split('\n')
          .some((l) => l.startsWith('{"level":')),
      ).toBe(true);
  });

  it('connects every service to PostgreSQL as its own least-privilege role, none as the admin that migrated', async () => {
    const services = ['cases', 'suspects', 'victims', 'learning', 'relay', 'projector', 'process-manager', 'national', 'sealer'];
    // Each service's health check reads the event store through its own pool, so each has a connection open now.
    for (const [i] of services.entries()) expect((await fetch(`http://127.0.0.1:${base + i + 1}/health`)).status).toBe(200);
    const client = new pg.Client({ connectionString: requiredEnv('DATABASE_URL') });
    await client.connect();
    try {
      const { rows } = await client.query<{ application_name: string; usename: string }>(
        "SELECT DISTINCT application_name, usename FROM pg_stat_activity WHERE application_name LIKE 'nom-stack-%' AND datname = current_database()",
      );
      const roles = new Map<string, Set<string>>();
      for (const { application_name, usename } of rows) {
        const service = application_name.slice('nom-stack-'.length);
        roles.set(service, (roles.get(service) ?? new Set()).add(usename));
      }
      const expected: Record<string, string> = {
        cases: 'nom_api',
        suspects: 'nom_api',
        victims: 'nom_api',
        learning: 'nom_api',
        relay: 'nom_relay',
        projector: 'nom_projector',
        'process-manager': 'nom_process_manager',
        national: 'nom_national',
        sealer: 'nom_sealer',
      };
      for (const [service, role] of Object.entries(expected)) expect([service, [...(roles.get(service) ?? [])]]).toEqual([service, [role]]);
    } finally {
      await client.end();
    }
  });

  it('drives a command from the cases service through the relay and Kafka to the projector, with a dev-only token', async () => {
    const issued = await fetch(`http://127.0.0.1:${base}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ force: 'avon-somerset', officerId: 'AS-4471', roles: ['officer', 'supervisor'] }),
    });
    expect(issued.status).toBe(200);
    const { token } = (await issued.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const created = await fetch(`http://127.0.0.1:${base + 1}/forces/avon-somerset/cases`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ crimeReference: 'AS/26/000777', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' }),
    });
    expect(created.status).toBe(201);
    const correlationId = created.headers.get('x-correlation-id');
    const { caseId } = (await created.json()) as { caseId: string };

    const projected = await waitFor(
      "the case in the projector's read model",
      async () => {
        const res = await fetch(`http://127.0.0.1:${base + 6}/forces/avon-somerset/case-summaries/${caseId}`, { headers: auth });
        return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(projected).toMatchObject({ caseId, crimeReference: 'AS/26/000777', status: 'recorded' });
    // Another force's caller is refused by the projector: the read model is scoped to the token's force.
    const other = await fetch(`http://127.0.0.1:${base}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ force: 'wiltshire', officerId: 'WI-1', roles: ['officer'] }),
    });
    const { token: wiltshire } = (await other.json()) as { token: string };
    const refused = await fetch(`http://127.0.0.1:${base + 6}/forces/avon-somerset/case-summaries/${caseId}`, {
      headers: { authorization: `Bearer ${wiltshire}` },
    });
    expect(refused.status).toBe(404);
    // The projector's batch line carries the command's correlation id and officer.
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const batch = await waitFor("the projector's batch line", () =>
      readFileSync(join(dir, 'logs', 'projector.log'), 'utf8')
        .split('\n')
        .find((l) => l.includes(correlationId!) && l.includes('"context":"consumer"')),
    );
    expect(batch).toContain('"officer":"AS-4471"');
  }, 120_000);
});
