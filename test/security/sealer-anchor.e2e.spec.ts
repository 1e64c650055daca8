import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import pg from 'pg';
import request from 'supertest';
import { exportPublicKeyPem, generateAuditSigner, type AuditSigner, type PublishedCheckpoint } from '#audit';
import { AuditApiModule, AuditSealingService } from '#audit-api';
import { CasesApiModule } from '#cases-api';
import { auditCheckpointsTopic, auditSealAlertStream, PlatformEventTypes } from '#contracts';
import { forcePrincipal, kafkaAclBindings, readTopicToEnd, toKafkajsAcl } from '#messaging';
import { testKafka, testKafkaEnv, waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from '../support/backbone.js';

/**
 * Issue 12, item 1, as deployed: the sealer publishes every checkpoint on `nom.audit.checkpoints`, which a force's
 * principal reads; the operator truncates the access log after P with its seals and checkpoints; the sealer refuses
 * to go on (an alarm event, /health 503); `nom audit verify --witness-topic` (and `--witness <file>`) fails naming P.
 */
const AVON = 'avon-somerset';

/** Runs the built CLI (`npm run build` first, as `npm test` does). */
function nom(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/scripts/nom.js', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the sealer anchored outside the database (issue 12, item 1)', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let admin: pg.Pool;
  let signer: AuditSigner;
  let dir: string;
  const kafkaAdmin = new kafkajs.Kafka({ ...testKafka(), clientId: 'sealer-anchor-acls', logLevel: kafkajs.logLevel.NOTHING }).admin();
  let granted: kafkajs.AclEntry[] = [];

  beforeAll(async () => {
    signer = generateAuditSigner();
    dir = await mkdtemp(join(tmpdir(), 'nom-anchor-'));
    backbone = await startBackbone(
      [AVON],
      [CasesApiModule, AuditApiModule.forRoot({ publicKey: signer.publicKey, sealing: { signer, intervalMs: 0, checkpointEvery: 5 } })],
    );
    http = request(backbone.app.getHttpServer());
    admin = new pg.Pool({ connectionString: backbone.config.databaseUrl, max: 2 });
    await kafkaAdmin.connect();
    // This run's topics carry a unique prefix: grant the force principal the production bindings on them.
    granted = kafkaAclBindings([AVON], backbone.config.topicPrefix)
      .filter((b) => b.principal === `User:${forcePrincipal(AVON)}`)
      .map(toKafkajsAcl);
    await kafkaAdmin.createAcls({ acl: granted });
  });

  afterAll(async () => {
    if (granted.length > 0) await kafkaAdmin.deleteAcls({ filters: granted }).catch(() => undefined);
    await kafkaAdmin.disconnect();
    await admin?.end();
    await backbone?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const sealer = (): AuditSealingService => backbone.app.get(AuditSealingService);
  const officer = async (): Promise<string> => `Bearer ${await backbone.token(AVON, ['officer'], 'AS-4471')}`;
  const asForce = () => {
    const { brokers, sasl } = testKafka(forcePrincipal(AVON));
    return { brokers, ...(sasl ? { sasl } : {}) };
  };
  const keptFromTopic = async (): Promise<PublishedCheckpoint[]> => {
    const topic = auditCheckpointsTopic(backbone.config.topicPrefix);
    const messages = await readTopicToEnd(topic, { ...asForce(), groupId: `${forcePrincipal(AVON)}.witness-${Date.now()}` });
    return messages.map((m) => JSON.parse(m.value!) as PublishedCheckpoint);
  };

  it('publishes every checkpoint on the checkpoints topic, read by the force principal; truncation is refused, alarmed and named', async () => {
    const token = await officer();
    const crime = await http
      .post(`/forces/${AVON}/cases`)
      .set('Authorization', token)
      .send({ crimeReference: 'AS/26/007102', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const caseId = crime.body.caseId as string;
    for (let i = 0; i < 20; i += 1) await http.get(`/forces/${AVON}/cases/${caseId}`).set('Authorization', token).expect(200);
    const audit = backbone.config.auditSchema;
    const entries = async (): Promise<string[]> =>
      (await admin.query<{ position: string }>(`SELECT position FROM ${audit}.access_log ORDER BY position`)).rows.map((r) => r.position);
    await waitFor('the access log sealed through its last entry', async () => {
      await sealer().sealNow();
      const { rows } = await admin.query<{ head: string | null }>(`SELECT max(position) AS head FROM ${audit}.log_checkpoints`);
      const all = await entries();
      return all.length >= 21 && rows[0]!.head === all[all.length - 1];
    });

    // The force's copy, from the topic: the same checkpoints as the database's endpoint lists.
    const listed = await http.get('/national/audit/checkpoints?log=access-log&limit=1000').set('Authorization', token).expect(200);
    const kept = await waitFor('the checkpoints on the topic', async () => {
      const onTopic = (await keptFromTopic()).filter((c) => c.log === 'access-log');
      return onTopic.length >= (listed.body.checkpoints as unknown[]).length && onTopic;
    });
    expect(kept).toEqual(expect.arrayContaining(listed.body.checkpoints as PublishedCheckpoint[]));
    expect((await http.get('/health')).status).toBe(200);

    // The attack, as table owner: P = the 8th entry; every later entry, seal and checkpoint removed.
    const all = await entries();
    const p = all[7]!;
    const client = await admin.connect();
    try {
      await client.query('BEGIN');
      for (const table of ['access_log', 'log_seals', 'log_checkpoints'])
        await client.query(`ALTER TABLE ${audit}.${table} DISABLE TRIGGER USER`);
      for (const table of ['access_log', 'log_seals', 'log_checkpoints'])
        await client.query(`DELETE FROM ${audit}.${table} WHERE position > $1`, [p]);
      for (const table of ['access_log', 'log_seals', 'log_checkpoints'])
        await client.query(`ALTER TABLE ${audit}.${table} ENABLE TRIGGER USER`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await http.get(`/forces/${AVON}/cases/${caseId}`).set('Authorization', token).expect(200);

    // The sealer refuses, raises the alarm and reports unhealthy: never a silent re-chain.
    await expect(sealer().sealNow()).rejects.toThrow(/refusing to extend the chain/);
    const health = await http.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.details.sealer).toMatchObject({
      status: 'down',
      message: expect.stringContaining('access-log: refused to extend the chain (checkpoint-regressed'),
    });
    const alarms = [];
    for await (const event of backbone.infrastructure.store.readStream(auditSealAlertStream('access-log'))) alarms.push(event);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      type: PlatformEventTypes.AuditSealRefused,
      data: { log: 'access-log', finding: 'checkpoint-regressed', position: p },
      metadata: { force: 'national' },
    });
    const resealed = await admin.query(`SELECT 1 FROM ${audit}.log_seals WHERE position > $1`, [p]);
    expect(resealed.rowCount).toBe(0);

    // A force verifies with what it kept: from the topic, and from a file.
    const keyFile = join(dir, 'audit-public.pem');
    await writeFile(keyFile, exportPublicKeyPem(signer));
    const env = {
      DATABASE_URL: backbone.config.databaseUrl!,
      NOM_EVENT_STORE_SCHEMA: backbone.config.eventStoreSchema,
      NOM_AUDIT_SCHEMA: audit,
      NOM_TOPIC_PREFIX: backbone.config.topicPrefix,
      NOM_AUDIT_PUBLIC_KEY: keyFile,
      ...testKafkaEnv(forcePrincipal(AVON)),
    };
    const fromTopic = await nom(
      ['audit', 'verify', '--witness-topic', '--witness-group', `${forcePrincipal(AVON)}.verify-${Date.now()}`],
      env,
    );
    expect(fromTopic.stderr).toBe('');
    expect(fromTopic.code).toBe(1);
    const report = JSON.parse(fromTopic.stdout) as { intact: boolean; accessLog: { finding: { kind: string; position: string } } };
    expect(report.intact).toBe(false);
    expect(report.accessLog.finding).toMatchObject({ kind: 'witness-regressed', position: p });

    const file = join(dir, 'kept.json');
    await writeFile(file, JSON.stringify({ checkpoints: kept }));
    const fromFile = await nom(['audit', 'verify', '--witness', file], env);
    expect(fromFile.code).toBe(1);
    expect((JSON.parse(fromFile.stdout) as typeof report).accessLog.finding).toMatchObject({ kind: 'witness-regressed', position: p });
    // Without a witness the database alone looks intact: that is why checkpoints are kept elsewhere.
    expect((await nom(['audit', 'verify'], env)).code).toBe(0);
  });
});
