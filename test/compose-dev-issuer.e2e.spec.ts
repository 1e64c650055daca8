import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { configOf, LocalTokenIssuer, readEnvironment, TokenVerifier } from '#platform';
import { waitFor } from '#testing';

const run = promisify(execFile);

/** A .env as Compose reads it: KEY=VALUE lines; a double-quoted value has its \n expanded. */
function dotenv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!match) continue;
    const raw = match[2]!;
    env[match[1]!] = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/\\n/g, '\n') : raw;
  }
  return env;
}

/**
 * The Compose stack's development-only identity provider (issue 15, item 7): `scripts/compose-env.sh --dev-issuer`
 * writes the issuer's key (a Compose secret) and, into .env, the public key, issuer and forces the services trust.
 * The dev issuer started as the Compose service starts it (NOM_DEV_ISSUER_KEY_FILE) hands out tokens that a service
 * configured from that .env accepts; a token of any other key is refused.
 */
describe('Compose: the dev-only issuer that scripts/compose-env.sh --dev-issuer sets up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nom-compose-env-'));
  let issuer: ChildProcess | undefined;

  afterAll(() => {
    issuer?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the services the public key of the issuer whose tokens they then accept, and nothing else', async () => {
    await run('bash', ['scripts/compose-env.sh', '--dev-issuer'], { env: { ...process.env, NOM_COMPOSE_ENV_DIR: dir } });
    const keyFile = join(dir, '.local', 'compose', 'dev-issuer-key.pem');
    expect(statSync(keyFile).mode & 0o077).toBe(0);
    const env = dotenv(readFileSync(join(dir, '.env'), 'utf8'));
    expect(env).toMatchObject({
      COMPOSE_PROFILES: 'dev-issuer',
      NOM_AUTH_ISSUER: 'urn:uk:police:nom:dev-issuer',
      NOM_AUTH_ISSUER_FORCES: 'all,national',
    });

    // A second run keeps every value (the KEK above all) and the key.
    const before = readFileSync(join(dir, '.env'), 'utf8');
    const key = readFileSync(keyFile, 'utf8');
    await run('bash', ['scripts/compose-env.sh', '--dev-issuer'], { env: { ...process.env, NOM_COMPOSE_ENV_DIR: dir } });
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(before);
    expect(readFileSync(keyFile, 'utf8')).toBe(key);

    issuer = spawn(process.execPath, ['dist/apps/dev-issuer/src/main.js'], {
      env: { PATH: process.env['PATH'], PORT: '0', NOM_DEV_ISSUER_KEY_FILE: keyFile, NOM_AUTH_ISSUER: env['NOM_AUTH_ISSUER'] },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    issuer.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    issuer.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const base = await waitFor('the dev issuer to listen', () => /jwks: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1]);
    const issued = await fetch(`${base}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ force: 'kent', officerId: 'KE-1', roles: ['officer'] }),
    });
    expect(issued.status).toBe(200);
    const { token } = (await issued.json()) as { token: string };

    // A service configured from that .env alone (as Compose passes it) accepts the token ...
    const service = configOf(
      readEnvironment({
        NOM_AUTH_PUBLIC_KEY: env['NOM_AUTH_PUBLIC_KEY'],
        NOM_AUTH_ISSUER: env['NOM_AUTH_ISSUER'],
        NOM_AUTH_ISSUER_FORCES: env['NOM_AUTH_ISSUER_FORCES'],
      }),
    );
    const verifier = await TokenVerifier.fromConfig(service.auth);
    await expect(verifier.verify(token)).resolves.toMatchObject({ force: 'kent', officerId: 'KE-1', roles: ['officer'] });
    // ... and refuses one signed by another key under the same issuer name.
    const impostor = await LocalTokenIssuer.create(env['NOM_AUTH_ISSUER'], 'nom-backbone');
    await expect(verifier.verify(await impostor.issue({ force: 'kent', officerId: 'KE-1', roles: ['officer'] }))).rejects.toThrow();
  });
});
