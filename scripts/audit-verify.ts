import { parseArgs } from 'node:util';
import { configOf, readEnvironment } from '#platform';
import { auditVerify, parseDuration, witnessKafkaOf } from './audit-verify-command.js';

/**
 * `node dist/scripts/audit-verify.js [--public-key path/to/audit-public.pem] [--schema nom_event_store]
 *   [--audit-schema nom_audit] [--batch-size 1000] [--witness kept-checkpoints.json] [--witness-topic nom.audit.checkpoints]
 *   [--witness-group force-kent.audit-witness] [--max-head-age 1h] [--now 2026-12-04T12:00:00Z]`
 * Recomputes the hash chains of the event log (ADR 0009) and of the Section 62 access log (ADR 0012) and checks
 * their seals and signed checkpoints; with a witness, also against checkpoints kept outside the database, and with a
 * maximum age, that no record waits behind the sealed head for longer (ADR 0023).
 * Environment: DATABASE_URL; NOM_EVENT_STORE_SCHEMA (default nom_event_store); NOM_AUDIT_SCHEMA (default nom_audit);
 * NOM_AUDIT_PUBLIC_KEY (the PEM itself, or a path to it) when --public-key is not given; NOM_AUDIT_MAX_HEAD_AGE when
 * --max-head-age is not given; for --witness-topic, KAFKA_BROKERS and the force principal's KAFKA_SASL_MECHANISM,
 * KAFKA_USERNAME, KAFKA_PASSWORD (KAFKA_SSL).
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
    witness: { type: 'string' },
    'witness-topic': { type: 'string' },
    'witness-group': { type: 'string' },
    'max-head-age': { type: 'string' },
    now: { type: 'string' },
  },
});

let env: ReturnType<typeof readEnvironment>;
try {
  env = readEnvironment();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const databaseUrl = env.DATABASE_URL;
if (!databaseUrl) fail('DATABASE_URL is required');
const schema = values.schema ?? env.NOM_EVENT_STORE_SCHEMA;
const auditSchema = values['audit-schema'] ?? env.NOM_AUDIT_SCHEMA;
const keySource = values['public-key'] ?? env.NOM_AUDIT_PUBLIC_KEY;
if (!keySource) fail('a public key is required: --public-key <path> or NOM_AUDIT_PUBLIC_KEY (PEM or path)');
const batchSize = Number(values['batch-size']);
if (!Number.isInteger(batchSize) || batchSize < 1) fail('--batch-size must be a positive integer');
const now = values.now === undefined ? undefined : new Date(values.now);
if (now && Number.isNaN(now.getTime())) fail('--now must be an ISO-8601 instant');

try {
  const maxHeadAge = values['max-head-age'] ?? env.NOM_AUDIT_MAX_HEAD_AGE;
  const { exitCode, report } = await auditVerify({
    databaseUrl,
    schema,
    auditSchema,
    publicKey: keySource,
    batchSize,
    ...(values.witness !== undefined ? { witnessFile: values.witness } : {}),
    ...(values['witness-topic'] !== undefined ? { witnessTopic: values['witness-topic'] } : {}),
    ...(values['witness-group'] !== undefined ? { witnessGroup: values['witness-group'] } : {}),
    kafka: witnessKafkaOf(configOf(env)),
    ...(maxHeadAge !== undefined ? { maxHeadAgeMs: parseDuration(maxHeadAge) } : {}),
    ...(now ? { now } : {}),
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = exitCode;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
