import { randomUUID } from 'node:crypto';
import { SuspectEventTypes, VictimEventTypes, type RecordedEvent } from '#contracts';
import { type EventStore } from '#event-store';
import { type DecisionRunner, type Clock, type Identity } from '#platform';
import { suspectDecider, suspectStreamId } from '#suspects-domain';
import { uniqueName } from '#testing';
import { victimDecider, victimStreamId } from '#victims-domain';
import { VictimUpdatesProcessManager } from '../src/index.js';
import { databaseUrl, openTestStore, type TestStore } from './test-store.js';

const officer: Identity = { force: 'wiltshire', officerId: 'WI-2210', roles: ['officer', 'supervisor'] };

async function types(store: EventStore, streamId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const event of store.readStream(streamId)) out.push(event.type);
  return out;
}
async function last(store: EventStore, streamId: string): Promise<RecordedEvent> {
  let found: RecordedEvent | undefined;
  for await (const event of store.readStream(streamId)) found = event;
  return found!;
}

/**
 * The bail timer (issue 13; PACE ss47ZA-47ZM as amended in 2022): a suspect bailed to 5 February 2027 is the subject
 * of a reminder 14 days before (22 January), once; with no extension, bail lapses after the 5th and the suspect is
 * under investigation without bail, which the victim must be told of in time (an update duty). The manager's clock is
 * injected and moved; nothing waits for time to pass.
 */
describe('the bail timer of the process manager', () => {
  let raw: TestStore['raw'];
  let store: TestStore['store'];
  let recordedAt = '2026-11-05T06:45:00.000Z';
  const recordingClock: Clock = { now: () => new Date(recordedAt) };
  let runner: DecisionRunner;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ raw, store, runner, drop } = await openTestStore('pmbail', recordingClock));
  });

  afterAll(() => drop());

  /** A victim and a suspect of one case; the suspect arrested on 5 November 2026 and bailed for 3 months. */
  async function bailedCase(): Promise<{ victimId: string; suspectId: string }> {
    const [caseId, victimId, suspectId] = [randomUUID(), randomUUID(), randomUUID()];
    const context = { identity: officer, correlationId: randomUUID() };
    const at = '2026-11-05T06:45:00.000Z';
    recordedAt = at;
    await runner.run(
      victimStreamId(victimId),
      victimDecider,
      { kind: 'make-first-contact', caseId, victimId, offence: 'sexual-assault', officerId: 'WI-2210', channel: 'phone', at },
      context,
    );
    const suspect = (command: object) =>
      runner.run(suspectStreamId(suspectId), suspectDecider, { caseId, suspectId, at, ...command } as never, context);
    await suspect({ kind: 'identify-suspect', name: 'C Person' });
    await suspect({ kind: 'arrest-suspect', custodyClockStartedAt: at });
    await suspect({
      kind: 'grant-pre-charge-bail',
      authorisedBy: { officerId: 'WI-2210', rank: 'sergeant' },
      conditions: [],
      at: '2026-11-05T18:30:00.000Z',
    });
    return { victimId, suspectId };
  }

  it('reminds once 14 days before bail ends, records the lapse after its last day, and the victim is owed an update', async () => {
    const { victimId, suspectId } = await bailedCase();
    let now = '2026-11-06T09:00:00.000Z';
    const manager = await VictimUpdatesProcessManager.open(store, runner, {
      databaseUrl,
      schema: raw.schema,
      name: uniqueName('pm'),
      clock: () => new Date(now),
    });
    try {
      await manager.catchUp();
      await manager.fireDueTimers();
      expect(await types(store, suspectStreamId(suspectId))).not.toContain(SuspectEventTypes.BailExpiryApproaching);

      now = '2027-01-22T00:01:00.000Z';
      await manager.fireDueTimers();
      expect(await last(store, suspectStreamId(suspectId))).toMatchObject({
        type: SuspectEventTypes.BailExpiryApproaching,
        data: { bailEndsOn: '2027-02-05', daysLeft: 14 },
      });
      await manager.catchUp();
      await manager.fireDueTimers(); // reminded: nothing more until the lapse
      expect((await types(store, suspectStreamId(suspectId))).filter((t) => t === SuspectEventTypes.BailExpiryApproaching)).toHaveLength(1);

      now = '2027-02-05T23:30:00.000Z'; // still the last day of bail
      await manager.fireDueTimers();
      expect(await types(store, suspectStreamId(suspectId))).not.toContain(SuspectEventTypes.BailLapsed);

      now = '2027-02-06T00:01:00.000Z';
      await manager.fireDueTimers();
      expect(await last(store, suspectStreamId(suspectId))).toMatchObject({
        type: SuspectEventTypes.BailLapsed,
        data: { bailEndsOn: '2027-02-05', lapsedAt: '2027-02-05T23:59:59.999Z', detectedAt: now },
      });
      await manager.catchUp();
      const duty = await last(store, victimStreamId(victimId));
      expect(duty).toMatchObject({
        type: VictimEventTypes.UpdateDutyOpened,
        data: { trigger: 'bail-lapsed', triggeredAt: '2027-02-05T23:59:59.999Z' },
      });
      // The lapse ended bail's timer: later checks record nothing on the suspect, until the review of the release under
      // investigation it began is due (90 days after the last day of bail, by 6 May) and none is recorded.
      const before = (await types(store, suspectStreamId(suspectId))).length;
      now = '2027-02-07T00:01:00.000Z';
      await manager.fireDueTimers();
      expect((await types(store, suspectStreamId(suspectId))).length).toBe(before);
      now = '2027-05-06T22:30:00.000Z'; // 23:30 BST, still 6 May in London
      await manager.fireDueTimers();
      expect((await types(store, suspectStreamId(suspectId))).length).toBe(before);
      now = '2027-05-06T23:01:00.000Z'; // 00:01 BST on 7 May
      await manager.fireDueTimers();
      expect(await last(store, suspectStreamId(suspectId))).toMatchObject({
        type: SuspectEventTypes.ReleaseUnderInvestigationReviewOverdue,
        data: { reviewDueBy: '2027-05-06', detectedAt: now },
      });
      // Recorded once: the overdue review clears the timer until a review sets the next date.
      await manager.catchUp();
      now = '2027-05-20T00:01:00.000Z';
      await manager.fireDueTimers();
      expect(
        (await types(store, suspectStreamId(suspectId))).filter((t) => t === SuspectEventTypes.ReleaseUnderInvestigationReviewOverdue),
      ).toHaveLength(1);
    } finally {
      await manager.close();
    }
  });

  it('builds the timers of bails already running when it is upgraded past them (its checkpoint beyond the grant)', async () => {
    // A deployment of its own: the bail happened before this version's manager ever ran.
    const previous = { raw, store, runner, drop };
    ({ raw, store, runner, drop } = await openTestStore('pmbailup', recordingClock));
    try {
      const { suspectId } = await bailedCase();
      const name = uniqueName('pm');
      await store.saveCheckpoint(name, await store.headPosition());
      const manager = await VictimUpdatesProcessManager.open(store, runner, {
        databaseUrl,
        schema: raw.schema,
        name,
        clock: () => new Date('2027-01-23T09:00:00.000Z'),
      });
      try {
        expect(manager.position).toBe(await store.headPosition());
        await manager.fireDueTimers();
        expect(await last(store, suspectStreamId(suspectId))).toMatchObject({ type: SuspectEventTypes.BailExpiryApproaching });
      } finally {
        await manager.close();
      }
    } finally {
      await drop();
      ({ raw, store, runner, drop } = previous);
    }
  });
});
