import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FORCE_CODES, NATIONAL } from '#contracts';
import { ConfigError, configOf, LocalTokenIssuer, readEnvironment, ROLES, type Environment, type Identity, type Role } from '#platform';

/**
 * DEVELOPMENT ONLY. An identity provider for the distributed stack on one machine (scripts/stack.sh, the Compose file's
 * `dev-issuer`): it serves its JWKS at /.well-known/jwks.json, which the services trust through NOM_AUTH_JWKS_URL like
 * a real provider's, and hands a token for ANY force and role to anyone who asks (POST /tokens). Its key is new on every
 * start, or read from NOM_DEV_ISSUER_KEY_FILE (Compose: the services hold its public key as NOM_AUTH_PUBLIC_KEY, since
 * they refuse a JWKS over plain HTTP off loopback). It listens on 127.0.0.1 unless NOM_DEV_ISSUER_HOST says otherwise
 * (inside Compose's private network), and it says so on every start. A deployment uses the forces' own identity providers, never this.
 */
let env: Environment;
try {
  env = readEnvironment();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`the dev issuer refuses to start: ${error.message}`);
  process.exit(1);
}
const config = configOf(env);
const keyFile = env.NOM_DEV_ISSUER_KEY_FILE;
const issuer = keyFile
  ? await LocalTokenIssuer.fromPrivateKeyPem(readFileSync(keyFile, 'utf8'), config.auth.issuer, config.auth.audience)
  : await LocalTokenIssuer.create(config.auth.issuer, config.auth.audience);
const jwks = JSON.stringify(await issuer.jwks());
const forces = new Set<string>([...FORCE_CODES, NATIONAL]);

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function body(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 4096) throw new Error('body too large');
  }
  return JSON.parse(text) as unknown;
}

/** `{ force, officerId, roles }`, checked: a token only for a known force and known roles. */
function identityOf(value: unknown): Identity | string {
  const { force, officerId, roles } = (value ?? {}) as { force?: unknown; officerId?: unknown; roles?: unknown };
  if (typeof force !== 'string' || !forces.has(force)) return 'force must be a force code or national';
  if (typeof officerId !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(officerId))
    return 'officerId must be 1-64 letters, digits, ".", "_" or "-"';
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => (ROLES as readonly unknown[]).includes(r)))
    return `roles must be some of ${ROLES.join(', ')}`;
  return { force: force as Identity['force'], officerId, roles: roles as Role[] };
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/.well-known/jwks.json')
    return void res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok', devOnly: true });
  if (req.method !== 'POST' || req.url !== '/tokens') return send(res, 404, { title: 'not found' });
  body(req)
    .then((value) => {
      const identity = identityOf(value);
      if (typeof identity === 'string') return send(res, 400, { title: 'invalid request', detail: identity });
      return issuer.issue(identity, 3600).then((token) => send(res, 200, { token, devOnly: true }));
    })
    .catch(() => send(res, 400, { title: 'invalid request', detail: 'the body must be JSON: {"force", "officerId", "roles"}' }));
});
const host = env.NOM_DEV_ISSUER_HOST;
server.listen(config.port, host, () => {
  const { port } = server.address() as AddressInfo;
  console.warn(
    `DEV-ONLY identity issuer on http://${host}:${port}: POST /tokens issues a token for ANY force and role (issuer ${issuer.issuer}). ` +
      'Never run it in a deployment.',
  );
  console.log(`jwks: http://${host}:${port}/.well-known/jwks.json`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.once('SIGINT', () => server.close(() => process.exit(0)));
