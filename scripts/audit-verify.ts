import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { publicKeyFromPem, verifyLog } from '#audit';

/**
 * `node dist/scripts/audit-verify.js [--public-key path/to/audit-public.pem] [--schema nom_event_store] [--batch-size 1000]`
 * Recomputes the event log's hash chain and checks its seals and signed checkpoints (ADR 0009).
 * Environment: DATABASE_URL; NOM_EVENT_STORE_SCHEMA (default nom_event_store); NOM_AUDIT_PUBLIC_KEY (the PEM itself,
 * or a path to it) when --public-key is not given.
 * Prints one line of JSON. Exit 0: intact; 1: tampering found (the first finding is printed); 2: could not verify.
 */
function fail(error: string): never {
  process.stdout.write(`${JSON.stringify({ intact: null, error })}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    'public-key': { type: 'string' },
    schema: { type: 'string' },
    'batch-size': { type: 'string', default: '1000' },
  },
});

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) fail('DATABASE_URL is required');
const schema = values.schema ?? process.env.NOM_EVENT_STORE_SCHEMA ?? 'nom_event_store';
const keySource = values['public-key'] ?? process.env.NOM_AUDIT_PUBLIC_KEY;
if (!keySource) fail('a public key is required: --public-key <path> or NOM_AUDIT_PUBLIC_KEY (PEM or path)');
const batchSize = Number(values['batch-size']);
if (!Number.isInteger(batchSize) || batchSize < 1) fail('--batch-size must be a positive integer');

try {
  const pem = values['public-key'] !== undefined || !keySource.includes('-----BEGIN') ? readFileSync(keySource, 'utf8') : keySource;
  const result = await verifyLog({ connectionString: databaseUrl, schema, publicKey: publicKeyFromPem(pem), batchSize });
  process.stdout.write(`${JSON.stringify({ schema, ...result })}\n`);
  process.exitCode = result.intact ? 0 : 1;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
