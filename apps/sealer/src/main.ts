import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { auditSignerFromPem, parseWitness, pemFrom } from '#audit';
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
// Checkpoints kept outside the database (e.g. a force's copy of nom.audit.checkpoints): the sealer will not extend a
// chain that lost one of them, even after a restart (ADR 0023).
const anchor = config.auditAnchorFile ? parseWitness(readFileSync(config.auditAnchorFile, 'utf8')) : undefined;
const infrastructure = await createInfrastructure(config);
const app = await createHttpApp('NOM sealer and audit', infrastructure, [
  AuditApiModule.forRoot({
    publicKey: signer.publicKey,
    sealing: { signer, intervalMs: config.sealIntervalMs, ...(anchor ? { anchor } : {}) },
  }),
]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(
  `sealer running every ${config.sealIntervalMs} ms, key ${signer.keyId} (checkpoints on http://localhost:${config.port}/national/audit/checkpoints)`,
);
