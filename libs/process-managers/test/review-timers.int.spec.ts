import { randomUUID } from 'node:crypto';
import { CaseEventTypes as C, LearningEventTypes as L, type Decider, type DomainEvent, type RecordedEvent } from '#contracts';
import { caseStreamId } from '#cases-domain';
import type { EventStore } from '#event-store';
import { officerDevelopmentDecider, officerStreamId } from '#learning-domain';
import type { Clock, Identity } from '#platform';
import { uniqueName } from '#testing';
import { SupervisoryReviewsProcessManager } from '../src/index.js';
import { databaseUrl, openTestStore, type TestStore } from './test-store.js';

const force = 'wiltshire';
const supervisor: Identity = { force, officerId: 'WI-SUP1', roles: ['officer', 'supervisor'] };

/** A decider that records the events it is given: the case's events as the case stream states them. */
const emit: Decider<{ kind: 'emit'; events: DomainEvent[] }, DomainEvent, object> = {
  initialState: {},
  evolve: (state) => state,
  decide: (command) => command.events,
};

async function overdue(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) if (event.type === L.CaseReviewOverdue) out.push(event);
  return out;
}

/**
 * The supervisory review cycle as a timer (issue 13; a model rule of 28 days, docs/disruption.md): a case assigned on
 * 3 November 2026 is due its review by 1 December; once that UK day has ended the officer's stream records the review
 * overdue, once for the cycle; a review starts the next cycle; a closed case has none. The clock is injected.
 */
describe('the supervisory review timer of the process manager', () => {
  let raw: TestStore['raw'];
  let store: TestStore['store'];
  let runner: TestStore['runner'];
  let drop: () => Promise<void>;
  const recording: Clock = { now: () => new Date('2026-11-03T09:05:00.000Z') };

  beforeAll(async () => {
    ({ raw, store, runner, drop } = await openTestStore('pmreview', recording));
  });
  afterAll(() => drop());

  const context = () => ({ identity: supervisor, correlationId: randomUUID() });
  const onCase = (caseId: string, ...events: DomainEvent[]) => runner.run(caseStreamId(caseId), emit, { kind: 'emit', events }, context());
  const assign = (caseId: string, officerId: string, assignedAt: string) =>
    onCase(caseId, { type: C.InvestigatorAssigned, data: { caseId, officerId, assignedAt } });

  async function manager(now: () => string): Promise<SupervisoryReviewsProcessManager> {
    return SupervisoryReviewsProcessManager.open(store, runner, {
      databaseUrl,
      schema: raw.schema,
      name: uniqueName('pmrev'),
      clock: () => new Date(now()),
    });
  }

  it('records a review overdue once its cycle ends, once per cycle, and a review starts the next cycle', async () => {
    const [caseId, officerId] = [randomUUID(), `WI-${Math.floor(Math.random() * 1e6)}`];
    await assign(caseId, officerId, '2026-11-03T09:05:00Z');
    let now = '2026-12-01T23:30:00.000Z'; // the last day of the cycle (GMT): not yet overdue
    const reviews = await manager(() => now);
    const stream = officerStreamId(force, officerId);
    try {
      await reviews.catchUp();
      expect(await reviews.fireDueTimers()).toBe(0);

      now = '2026-12-02T00:01:00.000Z';
      expect(await reviews.fireDueTimers()).toBe(1);
      expect(await overdue(store, stream)).toMatchObject([
        { type: L.CaseReviewOverdue, data: { officerId, caseId, dueBy: '2026-12-01', detectedAt: now } },
      ]);
      // Fired again before the manager has read its own record: the decider refuses a second record for the cycle.
      now = '2026-12-02T06:00:00.000Z';
      await reviews.fireDueTimers();
      expect(reviews.refused.map((r) => r.refusal)).toEqual(['review-overdue-already-recorded']);
      await reviews.catchUp();
      expect(await reviews.fireDueTimers()).toBe(0);
      expect(await overdue(store, stream)).toHaveLength(1);

      // A supervisor's review on 3 December: the next is due by 31 December.
      await runner.run(
        stream,
        officerDevelopmentDecider,
        {
          kind: 'hold-case-review',
          officerId,
          caseId,
          reviewerId: 'WI-SUP1',
          findings: 'meets-standard',
          actionsRaised: 0,
          at: '2026-12-03T10:00:00Z',
        },
        context(),
      );
      await reviews.catchUp();
      now = '2026-12-31T23:59:00.000Z';
      expect(await reviews.fireDueTimers()).toBe(0);
      now = '2027-01-01T00:01:00.000Z';
      expect(await reviews.fireDueTimers()).toBe(1);
      expect((await overdue(store, stream)).map((e) => (e.data as { dueBy: string }).dueBy)).toEqual(['2026-12-01', '2026-12-31']);
    } finally {
      await reviews.close();
    }
  });

  it('restarts the cycle on reassignment (the new investigator), and stops it when the case closes until it reopens', async () => {
    const [caseId, first, second] = [randomUUID(), `WI-A${Math.floor(Math.random() * 1e6)}`, `WI-B${Math.floor(Math.random() * 1e6)}`];
    await assign(caseId, first, '2027-03-01T09:00:00Z');
    await assign(caseId, second, '2027-03-21T09:00:00Z'); // due by 18 April (BST: the day ends at 23:00Z)
    let now = '2027-03-30T00:01:00.000Z';
    const reviews = await manager(() => now);
    try {
      await reviews.catchUp();
      expect(await reviews.fireDueTimers()).toBe(0);
      now = '2027-04-18T22:59:00.000Z';
      expect(await reviews.fireDueTimers()).toBe(0);
      now = '2027-04-18T23:01:00.000Z';
      expect(await reviews.fireDueTimers()).toBe(1);
      expect(await overdue(store, officerStreamId(force, first))).toEqual([]);
      expect(await overdue(store, officerStreamId(force, second))).toMatchObject([{ data: { caseId, dueBy: '2027-04-18' } }]);
      await reviews.catchUp();

      await onCase(caseId, {
        type: C.OutcomeRecorded,
        data: { caseId, outcomeCode: 18, recordedAt: '2027-05-01T10:00:00Z' },
      });
      await reviews.catchUp();
      now = '2028-01-01T00:01:00.000Z';
      expect(await reviews.fireDueTimers()).toBe(0);

      const reopened = { caseId, reason: 'new-evidence', previousOutcomeCode: 18, reopenedAt: '2028-01-10T09:00:00Z' };
      await onCase(caseId, { type: C.CaseReopened, data: reopened });
      await reviews.catchUp();
      now = '2028-02-08T00:01:00.000Z'; // 28 days after 10 January is 7 February
      expect(await reviews.fireDueTimers()).toBe(1);
      expect(await overdue(store, officerStreamId(force, second))).toMatchObject([
        { data: { dueBy: '2027-04-18' } },
        { data: { dueBy: '2028-02-07' } },
      ]);
    } finally {
      await reviews.close();
    }
  });
});
