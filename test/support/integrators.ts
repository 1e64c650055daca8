import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type kafkajs from 'kafkajs';
import pg from 'pg';
import type request from 'supertest';
import { forceTopic, type ForceCode } from '#contracts';
import { forcePrincipal, kafkaAclBindings, toKafkajsAcl } from '#messaging';
import { waitFor } from '#testing';
import type { RunningBackbone } from './backbone.js';

/** Helpers of the integrators' kit tests (issue 18): a force's history written over HTTP, its topic granted, clients built. */

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..');

/**
 * Builds (once per machine, cached) an integrator's client with scripts/clients/install.sh and returns what it prints:
 * node-rdkafka's directory (`librdkafka`) or the Java consumer's jar (`java`).
 */
export async function integratorClient(kind: 'librdkafka' | 'java'): Promise<string> {
  const { stdout } = await run('bash', [join(REPO, 'scripts/clients/install.sh'), kind], { maxBuffer: 1 << 20, timeout: 20 * 60_000 });
  return stdout.trim();
}

/**
 * The force principal may read `nom.force.<code>.events`; a test's topics carry a unique prefix, so the principal is
 * granted the same generated bindings on them, and only for `force`. Returns the entries, to delete afterwards.
 */
export async function grantForceTopic(admin: kafkajs.Admin, force: ForceCode, prefix: string): Promise<kafkajs.AclEntry[]> {
  const granted = kafkaAclBindings([force], prefix)
    .filter((b) => b.principal === `User:${forcePrincipal(force)}` && b.resourceType === 'TOPIC')
    .map(toKafkajsAcl);
  await admin.createAcls({ acl: granted });
  return granted;
}

let caseNo = 0;

/**
 * A varied history of one force over HTTP: a case through investigation and assignment, a victim with safe contact
 * details (personal fields) and a needs assessment, a suspect (personal fields) arrested. Returns the victim's id.
 */
export async function writeForceHistory(
  http: ReturnType<typeof request>,
  backbone: RunningBackbone,
  force: ForceCode,
): Promise<{ victimId: string }> {
  caseNo += 1;
  const auth = `Bearer ${await backbone.token(force, ['officer', 'supervisor'])}`;
  const ref = `KT/26/${String(caseNo).padStart(6, '0')}`;
  const created = await http
    .post(`/forces/${force}/cases`)
    .set('Authorization', auth)
    .send({ crimeReference: ref, offence: 'rape-of-female-16-plus', reportedAt: '2026-11-01T10:00:00Z' });
  if (created.status !== 201) throw new Error(`case: ${created.status} ${JSON.stringify(created.body)}`);
  const casePath = `/forces/${force}/cases/${created.body.caseId as string}`;
  await http.post(`${casePath}/investigation`).set('Authorization', auth).expect(200);
  await http
    .put(`${casePath}/investigator`)
    .set('Authorization', auth)
    .send({ officerId: `${force.slice(0, 2).toUpperCase()}-4471` })
    .expect(200);
  const victim = await http
    .post(`${casePath}/victims`)
    .set('Authorization', auth)
    .send({ offence: 'rape-of-female-16-plus', channel: 'in-person' })
    .expect(201);
  const victimId = victim.body.victimId as string;
  await http
    .put(`/forces/${force}/victims/${victimId}/contact-preferences`)
    .set('Authorization', auth)
    .send({
      channels: ['phone'],
      times: ['weekday-evening'],
      leaveMessages: false,
      safeContact: { name: 'Zephyrine Q', phone: '+44 7700 900461' },
    })
    .expect(200);
  await http
    .post(`/forces/${force}/victims/${victimId}/needs-assessments`)
    .set('Authorization', auth)
    .send({ needs: ['emotional-support'] })
    .expect(200);
  const suspect = await http
    .post(`/forces/${force}/suspects`)
    .set('Authorization', auth)
    .send({ caseId: created.body.caseId as string, name: 'Ambrose K', dateOfBirth: '1990-04-02' })
    .expect(201);
  await http
    .post(`/forces/${force}/suspects/${suspect.body.suspectId as string}/arrest`)
    .set('Authorization', auth)
    .send({ arrestedAt: '2026-11-02T08:00:00Z', custodyClockStartedAt: '2026-11-02T09:00:00Z' })
    .expect(200);
  return { victimId };
}

/** The event store's events of a force, by raw SELECT: what a subscriber of that force is entitled to. */
export async function storeEvents(backbone: RunningBackbone, force: ForceCode): Promise<{ id: string; type: string }[]> {
  const db = new pg.Client({ connectionString: backbone.config.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ event_id: string; type: string }>(
      `SELECT event_id, type FROM ${backbone.config.eventStoreSchema}.events WHERE force = $1`,
      [force],
    );
    return rows.map((r) => ({ id: r.event_id, type: r.type }));
  } finally {
    await db.end();
  }
}

/** Waits until the force's topic holds `count` records (the relay has published the force's history). */
export async function waitPublished(admin: kafkajs.Admin, backbone: RunningBackbone, force: ForceCode, count: number): Promise<void> {
  const topic = forceTopic(force, backbone.config.topicPrefix);
  await waitFor(
    `${count} records on ${topic}`,
    async () => {
      if (!(await admin.listTopics()).includes(topic)) return false;
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0) >= count;
    },
    { timeoutMs: 60_000 },
  );
}
