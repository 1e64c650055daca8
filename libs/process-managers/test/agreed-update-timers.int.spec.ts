import { randomUUID } from 'node:crypto';
import { VictimEventTypes, type RecordedEvent } from '#contracts';
import { caseDecider, caseStreamId } from '#cases-domain';
import type { EventStore } from '#event-store';
import type { Clock, DecisionRunner, Identity } from '#platform';
import { uniqueName } from '#testing';
import { victimDecider, victimStreamId } from '#victims-domain';
import { VictimUpdatesProcessManager } from '../src/index.js';
import { databaseUrl, openTestStore, type TestStore } from './test-store.js';

const officer: Identity = { force: 'durham', officerId: 'DU-3301', roles: ['officer', 'supervisor'] };

async function missed(store: EventStore, victimId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of store.readStream(victimStreamId(victimId)))
    if (event.type === VictimEventTypes.AgreedUpdateMissed) out.push(event);
  return out;
}

/**
 * The update frequency a victim agreed (Victims' Code right 6, issue 13) as a recurring timer of the process manager:
 * every 7 days from the agreement on Tuesday 3 November 2026; a period with no update is recorded once and the next
 * runs from its end; an update starts a new period; the case's outcome ends the timer. The clock is injected and moved.
 */
describe('the agreed update frequency timer of the process manager', () => {
  let raw: TestStore['raw'];
  let store: TestStore['store'];
  let runner: DecisionRunner;
  let drop: () => Promise<void>;
  let now = '2026-11-03T11:00:00.000Z';
  const clock: Clock = { now: () => new Date(now) };

  beforeAll(async () => {
    ({ raw, store, runner, drop } = await openTestStore('pmagreed', clock));
  });

  afterAll(() => drop());

  it('records each period with no update once, restarts on an update, and stops at the outcome', async () => {
    const [caseId, victimId] = [randomUUID(), randomUUID()];
    const context = (at: string) => ({ identity: officer, correlationId: randomUUID(), occurredAt: at });
    const victim = (at: string, command: object) =>
      runner.run(victimStreamId(victimId), victimDecider, { caseId, victimId, at, ...command } as never, context(at));
    const onCase = (at: string, command: object) =>
      runner.run(caseStreamId(caseId), caseDecider, { caseId, at, ...command } as never, context(at));
    await onCase('2026-11-02T10:00:00.000Z', {
      kind: 'record-crime',
      crimeReference: 'DU/26/000301',
      offence: 'rape-of-female-16-plus',
      reportedAt: '2026-11-02T09:00:00.000Z',
    });
    await onCase('2026-11-02T11:00:00.000Z', { kind: 'open-investigation' });
    await victim('2026-11-03T10:00:00.000Z', {
      kind: 'make-first-contact',
      offence: 'rape-of-female-16-plus',
      officerId: 'DU-3301',
      channel: 'phone',
    });
    await victim('2026-11-03T11:00:00.000Z', {
      kind: 'agree-contact-preferences',
      channels: ['phone'],
      times: [],
      leaveMessages: false,
      safeContact: { phone: '+44 7700 900456' },
      updateEveryDays: 7,
    });
    const manager = await VictimUpdatesProcessManager.open(store, runner, {
      databaseUrl,
      schema: raw.schema,
      name: uniqueName('pm'),
      clock: () => new Date(now),
    });
    const tick = async (at: string): Promise<void> => {
      now = at;
      await manager.catchUp();
      await manager.fireDueTimers();
      await manager.catchUp();
    };
    try {
      await tick('2026-11-10T23:30:00.000Z'); // the last day of the first period, still
      expect(await missed(store, victimId)).toEqual([]);
      await tick('2026-11-11T00:05:00.000Z');
      await tick('2026-11-12T00:05:00.000Z');
      expect((await missed(store, victimId)).map((e) => e.data)).toEqual([
        expect.objectContaining({ everyDays: 7, periodStartedAt: '2026-11-03T11:00:00.000Z', dueBy: '2026-11-10T23:59:59.999Z' }),
      ]);

      // An update on the 15th: the next period runs from it, to the end of the 22nd (not the 17th).
      await victim('2026-11-15T10:00:00.000Z', { kind: 'give-update', about: 'investigation-progress', channel: 'phone' });
      await tick('2026-11-18T00:05:00.000Z');
      expect(await missed(store, victimId)).toHaveLength(1);
      await tick('2026-11-23T00:05:00.000Z');
      expect((await missed(store, victimId)).at(-1)?.data).toMatchObject({
        periodStartedAt: '2026-11-15T10:00:00.000Z',
        dueBy: '2026-11-22T23:59:59.999Z',
      });

      // The case closes: no period is recorded after it.
      await onCase('2026-11-24T10:00:00.000Z', { kind: 'record-outcome', outcomeCode: 18 });
      await tick('2026-11-24T11:00:00.000Z');
      await tick('2027-01-10T00:05:00.000Z');
      expect(await missed(store, victimId)).toHaveLength(2);
    } finally {
      await manager.close();
    }
  });
});
