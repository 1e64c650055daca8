import { parseArgs } from 'node:util';
import { ACCESS_LOG, EVENT_LOG, pemFrom, publicKeyFromPem, verifyLog, type VerifyLogResult } from '#audit';

/**
 * `node dist/scripts/audit-verify.js [--public-key path/to/audit-public.pem] [--schema nom_event_store]
 *   [--audit-schema nom_audit] [--batch-size 1000]`
 * Recomputes the hash chains of the event log (ADR 0009) and of the Section 62 access log (ADR 0012) and checks
 * their seals and signed checkpoints.
 * Environment: DATABASE_URL; NOM_EVENT_STORE_SCHEMA (default nom_event_store); NOM_AUDIT_SCHEMA (default nom_audit);
 * NOM_AUDIT_PUBLIC_KEY (the PEM itself, or a path to it) when --public-key is not given.
 * Prints one line of JSON. Exit 0: both intact; 1: tampering found in either (each log's first finding is
 * printed); 2: could not verify.
 */
function fail(error: string): never {
  process.stdout.write(`${JSON.stringify({ intact: null, error })}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    'public-key': { type: 'string' },
    schema: { type: 'string' },
    'audit-schema': { type: 'string' },
    'batch-size': { type: 'string', default: '1000' },
  },
});

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) fail('DATABASE_URL is required');
const schema = values.schema ?? process.env.NOM_EVENT_STORE_SCHEMA ?? 'nom_event_store';
const auditSchema = values['audit-schema'] ?? process.env.NOM_AUDIT_SCHEMA ?? 'nom_audit';
const keySource = values['public-key'] ?? process.env.NOM_AUDIT_PUBLIC_KEY;
if (!keySource) fail('a public key is required: --public-key <path> or NOM_AUDIT_PUBLIC_KEY (PEM or path)');
const batchSize = Number(values['batch-size']);
if (!Number.isInteger(batchSize) || batchSize < 1) fail('--batch-size must be a positive integer');

try {
  const publicKey = publicKeyFromPem(pemFrom(keySource));
  const eventLog: VerifyLogResult = await verifyLog({ connectionString: databaseUrl, schema, log: EVENT_LOG, publicKey, batchSize });
  const accessLog: VerifyLogResult = await verifyLog({ connectionString: databaseUrl, schema: auditSchema, log: ACCESS_LOG, publicKey, batchSize });
  const intact = eventLog.intact && accessLog.intact;
  process.stdout.write(`${JSON.stringify({ intact, eventLog: { schema, ...eventLog }, accessLog: { schema: auditSchema, ...accessLog } })}\n`);
  process.exitCode = intact ? 0 : 1;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
