import 'reflect-metadata';
import { auditSignerFromPem, pemFrom } from '#audit';
import { AuditApiModule } from '#audit-api';
import { closeOnSignals, createHttpApp, createInfrastructure, loadConfig } from '#platform';

/**
 * The sealer and audit service: seals the event log and the Section 62 access log every NOM_SEAL_INTERVAL_MS with
 * signed checkpoints (ADR 0009, ADR 0012), publishes the checkpoints and the public key read-only
 * (/national/audit/...), and serves the access log to auditors (/forces/:force/access-log, /national/access-log).
 */
const config = loadConfig();
if (!config.auditSigningKey) throw new Error('NOM_AUDIT_SIGNING_KEY (Ed25519 PKCS#8 PEM, or a path to it) is required by the sealer');
const signer = auditSignerFromPem(pemFrom(config.auditSigningKey));
const infrastructure = await createInfrastructure(config);
const app = await createHttpApp('NOM sealer and audit', infrastructure, [
  AuditApiModule.forRoot({ publicKey: signer.publicKey, sealing: { signer, intervalMs: config.sealIntervalMs } }),
]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(`sealer running every ${config.sealIntervalMs} ms, key ${signer.keyId} (checkpoints on http://localhost:${config.port}/national/audit/checkpoints)`);
