import pg from 'pg';
import request from 'supertest';
import {
  ACCESS_LOG,
  EVENT_LOG,
  generateAuditSigner,
  publicKeyFromPem,
  verifyCheckpointSignature,
  verifyLog,
  type AccessEntry,
  type AuditSigner,
} from '#audit';
import { AuditApiModule, AuditSealingService } from '#audit-api';
import { CasesApiModule } from '#cases-api';
import type { Role } from '#platform';
import { waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from '../support/backbone.js';

/**
 * Reading the access log (ADR 0012): a force's auditor sees entries about its own force's records only, the national
 * team every force's; nobody receives entries of their own access or may filter on their own officer id; every read
 * is itself logged. Refused attempts are logged too, and nothing is answered when the log cannot be written.
 * The sealer publishes signed checkpoints of both logs.
 */
const AVON = 'avon-somerset';
const FORCE_ROLES: readonly Role[] = ['officer', 'supervisor', 'force-integration', 'national-auditor', 'researcher', 'administrator'];

describe('the access log: who may read it, nobody audits their own access, refusals logged, checkpoints published', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let admin: pg.Pool;
  let signer: AuditSigner;
  let caseId = '';
  const bearer = async (force: Parameters<RunningBackbone['token']>[0], roles: Role[], officerId: string): Promise<string> =>
    `Bearer ${await backbone.token(force, roles, officerId)}`;
  const read = async (
    path: string,
    token: string,
  ): Promise<{ status: number; body: { entries: AccessEntry[]; next?: string; type?: string }; text: string }> => {
    const res = await http.get(path).set('Authorization', token);
    return { status: res.status, body: res.body as { entries: AccessEntry[]; next?: string }, text: res.text };
  };

  beforeAll(async () => {
    signer = generateAuditSigner();
    backbone = await startBackbone(
      [AVON, 'wiltshire'],
      [CasesApiModule, AuditApiModule.forRoot({ publicKey: signer.publicKey, sealing: { signer, intervalMs: 0, checkpointEvery: 5 } })],
    );
    http = request(backbone.app.getHttpServer());
    admin = new pg.Pool({ connectionString: backbone.config.databaseUrl, max: 2 });
    // AS-9001 is an officer who is also the force's auditor; AS-4471 an officer.
    const crime = await http
      .post(`/forces/${AVON}/cases`)
      .set('Authorization', await bearer(AVON, ['officer'], 'AS-4471'))
      .send({ crimeReference: 'AS/26/007002', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    caseId = crime.body.caseId as string;
    await http
      .get(`/forces/${AVON}/cases/${caseId}`)
      .set('Authorization', await bearer(AVON, ['officer', 'national-auditor'], 'AS-9001'))
      .expect(200);
    await http
      .get(`/forces/${AVON}/cases/${caseId}`)
      .set('Authorization', await bearer(AVON, ['officer'], 'AS-4471'))
      .expect(200);
    // Refused attempts: another force's officer probing the case (404), a call with no token (401).
    await http
      .get(`/forces/${AVON}/cases/${caseId}`)
      .set('Authorization', await bearer('wiltshire', ['officer'], 'WI-3001'))
      .expect(404);
    await http.get(`/forces/${AVON}/cases/${caseId}`).expect(401);
  });

  afterAll(async () => {
    await admin?.end();
    await backbone?.close();
  });

  it("never returns the caller's own entries; another auditor sees them, including the first auditor's read of the log", async () => {
    const self = await bearer(AVON, ['officer', 'national-auditor'], 'AS-9001');
    const own = await read(`/forces/${AVON}/access-log?subject=${caseId}`, self);
    expect(own.status).toBe(200);
    expect(own.body.entries.length).toBeGreaterThan(0);
    expect(own.body.entries.filter((e) => e.actor?.officerId === 'AS-9001')).toEqual([]);
    expect(own.body.entries.map((e) => e.actor?.officerId)).toEqual(expect.arrayContaining(['AS-4471']));

    const other = await read(`/forces/${AVON}/access-log?actor=AS-9001`, await bearer(AVON, ['national-auditor'], 'AS-9002'));
    expect(other.status).toBe(200);
    expect(other.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'consult',
          purpose: 'investigation',
          route: '/forces/:force/cases/:caseId',
          status: 200,
          subjects: [{ force: AVON, type: 'case', id: caseId }],
        }),
        // The first auditor's read of the access log, itself logged: consult, purpose audit.
        expect.objectContaining({
          action: 'consult',
          purpose: 'audit',
          route: '/forces/:force/access-log',
          status: 200,
          recordCount: own.body.entries.length,
        }),
      ]),
    );
  });

  it('refuses a filter on your own officer id, as actor or as subject (403 problem+json), and logs the refusal', async () => {
    const self = await bearer(AVON, ['national-auditor'], 'AS-9003');
    for (const query of ['actor=AS-9003', 'subject=AS-9003']) {
      const res = await http.get(`/forces/${AVON}/access-log?${query}`).set('Authorization', self);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.type).toBe('urn:uk:police:nom:problem:own-access');
    }
    const { rows } = await admin.query<{ status: number; action: string; purpose: string }>(
      `SELECT status, action, purpose FROM ${backbone.config.auditSchema}.access_log WHERE actor_officer_id = 'AS-9003'`,
    );
    expect(rows).toEqual([
      { status: 403, action: 'consult', purpose: 'audit' },
      { status: 403, action: 'consult', purpose: 'audit' },
    ]);
  });

  it("logs refused attempts: the other force's probe (404) and the call without a token (401), both visible to the case's force", async () => {
    const page = await read(`/forces/${AVON}/access-log?subject=${caseId}`, await bearer(AVON, ['national-auditor'], 'AS-9004'));
    expect(page.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: { officerId: 'WI-3001', force: 'wiltshire', roles: ['officer'] },
          status: 404,
          recordCount: 0,
          scopeForce: AVON,
        }),
        expect.objectContaining({
          actor: null,
          purpose: null,
          status: 401,
          scopeForce: AVON,
          subjects: [{ force: AVON, type: 'case', id: caseId }],
        }),
      ]),
    );
  });

  it("scopes a force's auditor to its own force's records; the national team sees every force; no force role reads the national log", async () => {
    const wiltshire = await read('/forces/wiltshire/access-log', await bearer('wiltshire', ['national-auditor'], 'WI-9001'));
    expect(wiltshire.status).toBe(200);
    expect(wiltshire.text).not.toContain(caseId);
    expect(wiltshire.body.entries.every((e) => e.scopeForce === 'wiltshire')).toBe(true);
    expect((await read(`/forces/${AVON}/access-log`, await bearer('wiltshire', ['national-auditor'], 'WI-9001'))).status).toBe(404);

    const national = await read('/national/access-log?limit=500', await bearer('national', ['national-team'], 'NT-0001'));
    expect(national.status).toBe(200);
    expect(new Set(national.body.entries.map((e) => e.scopeForce))).toEqual(new Set([AVON, 'wiltshire']));
    for (const role of FORCE_ROLES) {
      expect((await read('/national/access-log', await bearer(AVON, [role], 'AS-9005'))).status).toBe(403);
    }
  });

  it('pages by position and filters by time window', async () => {
    const auditor = await bearer(AVON, ['national-auditor'], 'AS-9006');
    const first = await read(`/forces/${AVON}/access-log?limit=2`, auditor);
    expect(first.body.entries).toHaveLength(2);
    const second = await read(`/forces/${AVON}/access-log?limit=2&after=${first.body.next}`, auditor);
    expect(BigInt(second.body.entries[0]!.position)).toBeGreaterThan(BigInt(first.body.entries[1]!.position));
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await read(`/forces/${AVON}/access-log?from=${future}`, auditor)).body.entries).toEqual([]);
    expect((await read(`/forces/${AVON}/access-log?from=${future}&to=${future}`, auditor)).status).toBe(422);
    expect((await read(`/forces/${AVON}/access-log?limit=0`, auditor)).status).toBe(400);
  });

  it('answers 503 and discloses nothing when the access log cannot be written', async () => {
    const table = `${backbone.config.auditSchema}.access_log`;
    await admin.query(`ALTER TABLE ${table} RENAME TO access_log_away`);
    try {
      const res = await http.get(`/forces/${AVON}/cases/${caseId}`).set('Authorization', await bearer(AVON, ['officer'], 'AS-4471'));
      expect(res.status).toBe(503);
      expect(res.body.type).toBe('urn:uk:police:nom:problem:access-log-unavailable');
      expect(res.text).not.toContain(caseId);
      // No revision ETag (Express's weak ETag is a hash of the problem body, as in the cross-force matrix).
      expect(res.headers['etag'] ?? 'W/').toMatch(/^W\//);
    } finally {
      await admin.query(`ALTER TABLE ${backbone.config.auditSchema}.access_log_away RENAME TO access_log`);
    }
    await http
      .get(`/forces/${AVON}/cases/${caseId}`)
      .set('Authorization', await bearer(AVON, ['officer'], 'AS-4471'))
      .expect(200);
  });

  it('seals both logs and publishes checkpoints that verify with the published key; both chains verify intact', async () => {
    // The read horizon is cluster-wide (another session's transaction can hold it back): seal until both logs moved.
    const totals = [0, 0];
    await waitFor('both logs to be sealed with a checkpoint', async () => {
      const results = await backbone.app.get(AuditSealingService).sealNow();
      results.forEach((r, i) => (totals[i] = totals[i]! + Math.min(r.sealed, r.checkpoints)));
      return totals.every((t) => t > 0);
    });
    const token = await bearer(AVON, ['officer'], 'AS-4471');
    const key = await http.get('/national/audit/public-key').set('Authorization', token).expect(200);
    expect(key.body).toMatchObject({ algorithm: 'Ed25519', keyId: signer.keyId });
    const publicKey = publicKeyFromPem(key.body.publicKeyPem as string);
    for (const [name, log] of [
      ['event-log', EVENT_LOG],
      ['access-log', ACCESS_LOG],
    ] as const) {
      const res = await http.get(`/national/audit/checkpoints?log=${name}`).set('Authorization', token).expect(200);
      const checkpoints = res.body.checkpoints as {
        position: string;
        hash: string;
        signedAt: string;
        keyId: string;
        signature: string;
        type: string;
      }[];
      expect(checkpoints.length).toBeGreaterThan(0);
      for (const cp of checkpoints) {
        expect(cp.type).toBe(log.checkpointType);
        expect(
          verifyCheckpointSignature(
            publicKey,
            { position: BigInt(cp.position), hash: Buffer.from(cp.hash, 'hex'), signedAt: cp.signedAt, keyId: cp.keyId },
            Buffer.from(cp.signature, 'hex'),
            log.checkpointType,
          ),
        ).toBe(true);
      }
    }
    const schemas = { 'event-log': backbone.config.eventStoreSchema, 'access-log': backbone.config.auditSchema };
    for (const log of [EVENT_LOG, ACCESS_LOG]) {
      expect(await verifyLog({ connectionString: backbone.config.databaseUrl!, schema: schemas[log.name], log, publicKey })).toMatchObject({
        intact: true,
      });
    }
    expect((await http.get('/national/audit/checkpoints?log=elsewhere').set('Authorization', token)).status).toBe(400);
  });
});
