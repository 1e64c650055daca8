import type { RecordedEvent } from '#contracts';
import { CasesApiModule } from '#cases-api';
import { fixedClock } from '#platform';
import request from 'supertest';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/**
 * The time of a fact the caller does not state (a report received, a crime recorded) is the injected clock's, read
 * once per request (ADR 0018): a backbone on a fixed clock records the same times whatever the day it runs.
 */
describe('the time of an HTTP command', () => {
  const receivedAt = '2025-06-02T08:30:00.000Z';
  let backbone: RunningBackbone;

  beforeAll(async () => {
    backbone = await startBackbone(['wiltshire'], [CasesApiModule], {}, { clock: fixedClock(receivedAt) });
  });

  afterAll(async () => {
    await backbone.close();
  });

  it("is the injected clock's, in the events' metadata and in their data", async () => {
    const http = request(backbone.app.getHttpServer());
    const officer = `Bearer ${await backbone.token('wiltshire', ['officer'])}`;
    const report = await http
      .post('/forces/wiltshire/cases/reports')
      .set('Authorization', officer)
      .send({ n100Reference: 'WI/N100/25/00042', reportedAt: '2025-06-01T21:14:00Z' })
      .expect(201);
    const caseId = report.body.caseId as string;
    await http
      .post(`/forces/wiltshire/cases/${caseId}/crime`)
      .set('Authorization', officer)
      .send({ crimeReference: 'WI/25/000042', offence: 'rape-of-female-16-plus' })
      .expect(200);
    await http.post(`/forces/wiltshire/cases/${caseId}/investigation`).set('Authorization', officer).expect(200);

    const events: RecordedEvent[] = [];
    for await (const event of backbone.infrastructure.store.readStream(`case-${caseId}`)) events.push(event);
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.metadata.occurredAt)).toEqual([receivedAt, receivedAt, receivedAt]);
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ reportedAt: '2025-06-01T21:14:00Z', receivedAt }),
      expect.objectContaining({ recordedAt: receivedAt }),
      expect.objectContaining({ openedAt: receivedAt }),
    ]);
  });
});
