import { randomUUID } from 'node:crypto';
import { caseDecider, caseStreamId, type CaseCommand } from '#cases-domain';
import { CaseEventTypes, type RecordedEvent } from '#contracts';
import { type EventStore } from '#event-store';
import { type Clock, type Identity } from '#platform';
import { uniqueName } from '#testing';
import { VictimUpdatesProcessManager } from '../src/index.js';
import { databaseUrl, openTestStore, type TestStore } from './test-store.js';

const officer: Identity = { force: 'wiltshire', officerId: 'WI-2210', roles: ['officer', 'supervisor'] };

async function events(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) out.push(event);
  return out;
}
const overdue = async (store: EventStore, caseId: string): Promise<RecordedEvent[]> =>
  (await events(store, caseStreamId(caseId))).filter((e) => e.type === CaseEventTypes.CpsActionOverdue);

/**
 * The CPS action timer (issue 13; docs/cps-rules.md): early advice given on 3 December 2026 with two actions, due on
 * 15 December and 10 January. Once the 15th has passed (UK time) with the first action open, the case records it
 * overdue, once; the second, completed in time, never is. The manager's clock is injected and moved.
 */
describe('the CPS action timer of the process manager', () => {
  let raw: TestStore['raw'];
  let store: TestStore['store'];
  const recordingClock: Clock = { now: () => new Date('2026-12-03T10:00:00.000Z') };
  let runner: TestStore['runner'];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ raw, store, runner, drop } = await openTestStore('pmcps', recordingClock));
  });

  afterAll(() => drop());

  it('records an action overdue once after its due day, and never one completed in time', async () => {
    const [caseId, adviceRequestId, late, done] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const context = { identity: officer, correlationId: randomUUID() };
    const run = (command: object, at = '2026-12-03T10:00:00.000Z') =>
      runner.run(caseStreamId(caseId), caseDecider, { caseId, at, ...command } as CaseCommand, context);
    await run({
      kind: 'record-crime',
      crimeReference: 'WI/26/000123',
      offence: 'rape-of-female-16-plus',
      reportedAt: '2026-12-01T10:00:00Z',
    });
    await run({ kind: 'open-investigation' });
    await run({ kind: 'request-early-advice', adviceRequestId });
    await run({
      kind: 'give-early-advice',
      adviceRequestId,
      actionPlan: [
        { actionId: late, category: 'digital-material', dueBy: '2026-12-15' },
        { actionId: done, category: 'witness-statement', dueBy: '2027-01-10' },
      ],
    });

    let now = '2026-12-10T09:00:00.000Z';
    const manager = await VictimUpdatesProcessManager.open(store, runner, {
      databaseUrl,
      schema: raw.schema,
      name: uniqueName('pm'),
      clock: () => new Date(now),
    });
    try {
      await manager.catchUp();
      await manager.fireDueTimers();
      expect(await overdue(store, caseId)).toHaveLength(0);

      now = '2026-12-15T23:30:00.000Z'; // still the due day, UK time
      await manager.fireDueTimers();
      expect(await overdue(store, caseId)).toHaveLength(0);

      now = '2026-12-16T00:01:00.000Z';
      await manager.fireDueTimers();
      const [first] = await overdue(store, caseId);
      expect(first).toMatchObject({
        data: { caseId, actionId: late, dueBy: '2026-12-15', overdueAt: '2026-12-15T23:59:59.999Z', detectedAt: now },
      });

      // Fired again, and after reading its own event: still once.
      await manager.fireDueTimers();
      await manager.catchUp();
      now = '2026-12-20T00:01:00.000Z';
      await manager.fireDueTimers();
      expect(await overdue(store, caseId)).toHaveLength(1);

      // The second action completed in time: its timer is cleared and nothing is recorded after its due day.
      await run({ kind: 'complete-cps-action', actionId: done }, '2027-01-05T10:00:00.000Z');
      await manager.catchUp();
      now = '2027-01-11T00:01:00.000Z';
      await manager.fireDueTimers();
      expect(await overdue(store, caseId)).toHaveLength(1);
    } finally {
      await manager.close();
    }
  });

  it('sets timers for the action plan of a decision asking for further investigation', async () => {
    const [caseId, suspectId, actionId] = [randomUUID(), randomUUID(), randomUUID()];
    const context = { identity: officer, correlationId: randomUUID() };
    const run = (command: object, at = '2026-12-03T10:00:00.000Z') =>
      runner.run(caseStreamId(caseId), caseDecider, { caseId, at, ...command } as CaseCommand, context);
    await run({
      kind: 'record-crime',
      crimeReference: 'WI/26/000124',
      offence: 'rape-of-female-16-plus',
      reportedAt: '2026-12-01T10:00:00Z',
    });
    await run({ kind: 'open-investigation' });
    await run({ kind: 'link-suspect', suspectId });
    await run({ kind: 'submit-charging-file', cpsReference: '52WI0001234' });
    await run({
      kind: 'record-suspect-charging-decision',
      suspectId,
      cpsReference: '52WI0001234',
      test: 'full-code',
      decision: 'further-investigation-requested',
      actionPlan: [{ actionId, category: 'forensic-or-medical-evidence', dueBy: '2027-02-01' }],
    });
    const manager = await VictimUpdatesProcessManager.open(store, runner, {
      databaseUrl,
      schema: raw.schema,
      name: uniqueName('pm'),
      clock: () => new Date('2027-02-02T08:00:00.000Z'),
    });
    try {
      await manager.catchUp();
      await manager.fireDueTimers();
      expect(await overdue(store, caseId)).toMatchObject([{ data: { actionId, dueBy: '2027-02-01' } }]);
    } finally {
      await manager.close();
    }
  });
});
