import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateAuditSigner } from '#audit';
import { LocalKeyWrapper } from '#event-store';
import { LocalTokenIssuer } from '#platform';
import { requiredEnv, uniqueName, waitFor } from '#testing';

const databaseUrl = requiredEnv('DATABASE_URL');

/** A quick start process (dist/apps/quickstart) and everything it printed. */
interface QuickStart {
  readonly child: ChildProcess;
  output(): string;
}

/**
 * The local token issuer never serves a real deployment (issue 12, item 3). The quick start is run as the real
 * process on a real PostgreSQL (DATABASE_URL): without an identity provider it refuses to start; with one it has no
 * `/dev/tokens`, seeds no demo investigations and writes no key to its data folder; with the explicit opt-in it
 * warns and listens on loopback only.
 */
describe('the quick start on a real database', () => {
  const name = uniqueName('qs');
  const dataDir = mkdtempSync(join(tmpdir(), 'nom-qs-'));
  const started: ChildProcess[] = [];
  /** Keys a deployment provides itself (the quick start generates them only on its embedded database). */
  let keys: Record<string, string>;

  const start = (env: Record<string, string>): QuickStart => {
    let output = '';
    const child = spawn(process.execPath, ['dist/apps/quickstart/src/main.js'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        DATABASE_URL: databaseUrl,
        NOM_EVENT_STORE_SCHEMA: `${name}_es`,
        NOM_AUDIT_SCHEMA: `${name}_audit`,
        NOM_NATIONAL_SCHEMA: `${name}_nat`,
        NOM_PROJECTION_SCHEMA_PREFIX: `${name}_`,
        NOM_DATA_DIR: dataDir,
        NOM_LOG_LEVEL: 'warn',
        PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.push(child);
    return { child, output: () => output };
  };

  /** The base URL the quick start printed once up (it names the address it listens on). */
  const whenUp = (quickStart: QuickStart): Promise<{ host: string; port: number }> =>
    waitFor(
      'the quick start to be up',
      () => {
        if (quickStart.child.exitCode !== null) throw new Error(`exited ${quickStart.child.exitCode}:\n${quickStart.output()}`);
        const match = /listening on http:\/\/([^:/\s]+):(\d+)/.exec(quickStart.output());
        return match ? { host: match[1]!, port: Number(match[2]) } : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );

  const stop = async (child: ChildProcess): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };

  const countEvents = async (): Promise<number> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(`SELECT to_regclass($1) IS NULL AS missing`, [`${name}_es.events`]);
      if ((rows[0] as unknown as { missing: boolean }).missing) return 0;
      const counted = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}_es.events`);
      return Number(counted.rows[0]!.n);
    } finally {
      await client.end();
    }
  };

  beforeAll(() => {
    const signingKey = join(dataDir, '..', `${name}-audit-signing.pem`);
    writeFileSync(signingKey, generateAuditSigner().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
    keys = {
      NOM_KEK: LocalKeyWrapper.generateKek(),
      NOM_MATCHING_KEY: randomBytes(32).toString('base64'),
      NOM_AUDIT_SIGNING_KEY: signingKey,
    };
  });

  afterAll(async () => {
    for (const child of started) await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(join(dataDir, '..', `${name}-audit-signing.pem`), { force: true });
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${name}%`]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA ${nspname} CASCADE`);
    await client.end();
  });

  it('refuses to start without an identity provider, naming the variables to set, and writes nothing', async () => {
    const quickStart = start(keys);
    // Exited, or (before the control) up and serving: either way the answer is known.
    await waitFor(
      'the quick start to exit or come up',
      () => quickStart.child.exitCode !== null || /is up|listening on/.test(quickStart.output()),
      {
        timeoutMs: 90_000,
        intervalMs: 100,
      },
    );
    const code = quickStart.child.exitCode;
    expect(code).toBe(1);
    expect(quickStart.output()).toContain('no identity provider');
    expect(quickStart.output()).toMatch(/NOM_AUTH_JWKS_URL.*NOM_AUTH_ISSUERS.*NOM_DEV_TOKENS/s);
    expect(await countEvents()).toBe(0);
  });

  it('with an identity provider: no /dev/tokens, no demo investigations, no key written to its data folder', async () => {
    const idp = await LocalTokenIssuer.create('https://idp.avon-somerset.example', 'nom-backbone');
    const quickStart = start({
      ...keys,
      NOM_AUTH_ISSUER: idp.issuer,
      NOM_AUTH_PUBLIC_KEY: await idp.publicKeyPem(),
      NOM_AUTH_ISSUER_FORCES: 'avon-somerset',
    });
    const { port } = await whenUp(quickStart);
    const devTokens = await fetch(`http://127.0.0.1:${port}/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ force: 'national', officerId: 'NT-1', roles: ['national-team'] }),
    });
    expect(devTokens.status).toBe(404);
    // Nor the local OIDC sign-in of the console (ADR 0040): its discovery, authorize and token endpoints are not there.
    for (const path of ['/dev/oidc/.well-known/openid-configuration', '/dev/oidc/authorize', '/dev/oidc/jwks']) {
      expect({ path, status: (await fetch(`http://127.0.0.1:${port}${path}`)).status }).toEqual({ path, status: 404 });
    }
    expect((await fetch(`http://127.0.0.1:${port}/dev/oidc/token`, { method: 'POST' })).status).toBe(404);
    // The provider's tokens are accepted.
    const token = await idp.issue({ force: 'avon-somerset', officerId: 'AS-1', roles: ['officer'] });
    const own = await fetch(`http://127.0.0.1:${port}/forces/avon-somerset/case-summaries`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(own.status).toBe(200);
    expect(await countEvents()).toBe(0);
    expect(readdirSync(dataDir)).toEqual([]);
    await stop(quickStart.child);
  });

  it('with NOM_DEV_TOKENS=true: warns at start and serves /dev/tokens on loopback only', async () => {
    const quickStart = start({ ...keys, NOM_DEV_TOKENS: 'true' });
    const { host, port } = await whenUp(quickStart);
    expect(quickStart.output()).toMatch(/WARNING.*NOM_DEV_TOKENS/);
    expect(host).toBe('127.0.0.1');
    const issued = await fetch(`http://127.0.0.1:${port}/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ force: 'avon-somerset', officerId: 'AS-1', roles: ['officer'] }),
    });
    expect(issued.status).toBe(201);
    // The console's local sign-in is there too (same rule: loopback only), and the console is printed at start.
    expect((await fetch(`http://127.0.0.1:${port}/dev/oidc/.well-known/openid-configuration`)).status).toBe(200);
    expect(quickStart.output()).toContain(`console     : http://127.0.0.1:${port}/console/`);
    // Every other address of this machine is refused: nothing off the host reaches the issuer.
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const address of external) {
      const refused = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect({ address, refused }).toEqual({ address, refused: 'ECONNREFUSED' });
    }
    expect(await countEvents()).toBe(0);
    await stop(quickStart.child);
  });
});
