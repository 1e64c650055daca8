import request from 'supertest';
import { forceTopic, nationalTopic } from '#contracts';
import { waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from '../support/backbone.js';
import type { Readiness } from '#platform';

/**
 * Kafka least privilege as deployed (issue 12 item 7, ADR 0010): the end-to-end backbone runs its relay as
 * `nom-relay` and its projector as `nom-projector`, with the ACLs `scripts/kafka/broker.sh` gives them, never as
 * the admin. Who they authenticated as is shown by the broker's own refusals: the admin may create any topic and
 * write anywhere; these principals may not. The projector follows onboarding on the national topic as itself.
 */
describe('the end-to-end relay and projector run as their own Kafka principals', () => {
  let backbone: RunningBackbone;

  beforeAll(async () => {
    backbone = await startBackbone(['durham']);
  });

  afterAll(async () => {
    await backbone?.close();
  });

  it('the relay (nom-relay) is refused a topic outside its ACLs, which the admin would be allowed', async () => {
    const { relayBus, bus } = backbone.infrastructure;
    expect(relayBus).not.toBe(bus);
    const refused = await relayBus.ensureTopics([`${backbone.config.topicPrefix}.not-granted`]).then(
      () => [],
      (error: { errors?: { type?: string }[]; type?: string }) => [error.type, ...(error.errors ?? []).map((e) => e.type)],
    );
    expect(refused).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it('the projector (nom-projector) may not write, not even to the topics it reads', async () => {
    const { projectorBus, bus } = backbone.infrastructure;
    expect(projectorBus).not.toBe(bus);
    const record = { key: 'forged', value: Buffer.from('{}'), headers: {} };
    await expect(projectorBus.publish([{ topic: forceTopic('durham', backbone.config.topicPrefix), records: [record] }])).rejects.toThrow(
      /authoriz/i,
    );
    await expect(projectorBus.publish([{ topic: nationalTopic(backbone.config.topicPrefix), records: [record] }])).rejects.toThrow(
      /authoriz/i,
    );
  });

  it('as themselves they relay and project a case, and the projector follows the national topic', async () => {
    const http = request(backbone.app.getHttpServer());
    const officer = `Bearer ${await backbone.token('durham', ['officer'])}`;
    const created = await http
      .post('/forces/durham/cases')
      .set('Authorization', officer)
      .send({ crimeReference: 'DU/KP/1', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const caseId = created.body.caseId as string;
    await waitFor(
      'the case projected',
      async () => (await http.get(`/forces/durham/cases/${caseId}`).set('Authorization', officer)).status === 200,
    );
    // Every loop ready, the projector's consumer of the national topic (onboarding) included.
    const ready = await waitFor('every loop ready', async () => {
      const res = await http.get('/health/ready');
      return res.status === 200 ? (res.body as Readiness) : undefined;
    });
    const loops = ready.details.loops?.states ?? {};
    expect(Object.keys(loops)).toEqual(expect.arrayContaining(['relay', 'projector:onboarding']));
    expect(Object.values(loops).every((l) => l.ready)).toBe(true);
    // The relay's and the projector's broker answers their principals' metadata requests.
    expect(ready.details['kafka']?.status).toBe('up');
  });
});
