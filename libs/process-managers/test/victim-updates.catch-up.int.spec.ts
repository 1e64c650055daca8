import { randomUUID } from 'node:crypto';
import { BASELINE_MODEL, VictimEventTypes, type RecordedEvent } from '#contracts';
import { type EventStore } from '#event-store';
import { type DecisionRunner, type Clock, type Identity } from '#platform';
import { suspectDecider, suspectStreamId } from '#suspects-domain';
import { waitFor } from '#testing';
import { updateDeadline, victimDecider, victimStreamId } from '#victims-domain';
import { VictimUpdatesProcessManager } from '../src/index.js';
import { databaseUrl, openTestStore, type TestStore } from './test-store.js';

const officer: Identity = { force: 'wiltshire', officerId: 'WI-2210', roles: ['officer'] };

async function collect(store: EventStore, streamId: string, type: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) if (event.type === type) out.push(event);
  return out;
}

/**
 * The process manager was down while suspects were arrested (an outage, a deployment, a history imported). When it
 * catches up, every Victims' Code deadline runs from when the trigger happened as its event states it, not from
 * when it was recorded or processed; a deadline already passed is recorded as missed with its own due time.
 */
describe(`${VictimUpdatesProcessManager.name} catching up`, () => {
  let raw: TestStore['raw'];
  let store: TestStore['store'];
  // The clock of the services recording the history, moved step by step; never the wall clock.
  let recordedAt = '2025-02-24T09:00:00.000Z';
  const recordingClock: Clock = { now: () => new Date(recordedAt) };
  let runner: DecisionRunner;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ raw, store, runner, drop } = await openTestStore('pmcatch', recordingClock));
  });

  afterAll(() => drop());

  const arrestCase = async (arrestedAt: string, recorded: string): Promise<{ victimId: string; arrest: RecordedEvent }> => {
    const [caseId, victimId, suspectId] = [randomUUID(), randomUUID(), randomUUID()];
    const context = { identity: officer, correlationId: randomUUID() };
    recordedAt = '2025-02-24T09:00:00.000Z';
    await runner.run(
      victimStreamId(victimId),
      victimDecider,
      { kind: 'make-first-contact', caseId, victimId, offence: 'sexual-assault', officerId: 'WI-2210', channel: 'phone', at: recordedAt },
      context,
    );
    await runner.run(
      suspectStreamId(suspectId),
      suspectDecider,
      { kind: 'identify-suspect', caseId, suspectId, name: 'C Person', at: recordedAt },
      context,
    );
    recordedAt = recorded;
    // As the HTTP API records it: the arrest's own time stated by the officer, the event recorded later.
    await runner.run(
      suspectStreamId(suspectId),
      suspectDecider,
      { kind: 'arrest-suspect', caseId, suspectId, custodyClockStartedAt: arrestedAt, at: arrestedAt },
      context,
    );
    const arrests: RecordedEvent[] = [];
    for await (const event of store.readStream(suspectStreamId(suspectId))) arrests.push(event);
    return { victimId, arrest: arrests.at(-1)! };
  };

  it('runs every deadline from the trigger as its event states it and records a deadline already passed as missed, by its due time', async () => {
    // Arrested on Friday evening, recorded on Monday morning: the deadline (one working day: every victim of a
    // sexual offence has enhanced rights) runs from the Friday, so it ends on Monday, not Tuesday.
    const late = await arrestCase('2025-02-28T21:30:00.000Z', '2025-03-03T08:00:00.000Z');
    // Arrested and recorded on Thursday 20 March: its deadline has not passed when the manager catches up.
    const recent = await arrestCase('2025-03-20T10:00:00.000Z', '2025-03-20T10:05:00.000Z');
    expect(late.arrest.metadata.occurredAt).toBe('2025-03-03T08:00:00.000Z');

    // The process manager comes back on Thursday 20 March and catches up with its ordinary loop.
    const catchUpAt = '2025-03-20T12:00:00.000Z';
    const manager = await VictimUpdatesProcessManager.open(store, runner, {
      databaseUrl,
      schema: raw.schema,
      batchSize: 1,
      clock: () => new Date(catchUpAt),
    });
    const stop = new AbortController();
    const running = manager.run(stop.signal, 0);
    try {
      const missed = await waitFor("the late arrest's missed deadline", async () => {
        const found = await collect(store, victimStreamId(late.victimId), VictimEventTypes.UpdateDeadlineMissed);
        return found.length > 0 && found;
      });
      const [lateDuty] = await collect(store, victimStreamId(late.victimId), VictimEventTypes.UpdateDutyOpened);
      expect(lateDuty!.data).toMatchObject({
        triggerEventId: late.arrest.id,
        triggeredAt: '2025-02-28T21:30:00.000Z',
        ...updateDeadline('2025-02-28T21:30:00.000Z', true, BASELINE_MODEL.rules.victimUpdateDeadline),
      });
      expect(lateDuty!.data).toMatchObject({
        enhancedRights: true,
        workingDays: 1,
        dueDate: '2025-03-03',
        dueBy: '2025-03-03T23:59:59.999Z',
      });
      expect(missed).toHaveLength(1);
      expect(missed[0]!.data).toMatchObject({ triggerEventId: late.arrest.id, dueBy: '2025-03-03T23:59:59.999Z', detectedAt: catchUpAt });

      await manager.catchUp();
      const [recentDuty] = await collect(store, victimStreamId(recent.victimId), VictimEventTypes.UpdateDutyOpened);
      expect(recentDuty!.data).toMatchObject({
        triggeredAt: '2025-03-20T10:00:00.000Z',
        dueDate: '2025-03-21',
        dueBy: '2025-03-21T23:59:59.999Z',
      });
      expect(await collect(store, victimStreamId(recent.victimId), VictimEventTypes.UpdateDeadlineMissed)).toEqual([]);
    } finally {
      stop.abort();
      await running;
      await manager.close();
    }
  });
});
