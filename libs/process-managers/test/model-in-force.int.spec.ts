import { randomUUID } from 'node:crypto';
import {
  BASELINE_MODEL,
  forceModelStreamId,
  NATIONAL,
  NATIONAL_MODEL_STREAM_ID,
  SuspectEventTypes,
  VictimEventTypes,
  type ModelRules,
  type RecordedEvent,
} from '#contracts';
import type { EventStore } from '#event-store';
import { forceModelDecider, nationalModelDecider } from '#learning-domain';
import type { Clock, DecisionRunner, Identity } from '#platform';
import { suspectDecider, suspectStreamId } from '#suspects-domain';
import { uniqueName } from '#testing';
import { victimDecider, victimStreamId } from '#victims-domain';
import { VictimUpdatesProcessManager } from '../src/index.js';
import { databaseUrl, openTestStore, type TestStore } from './test-store.js';

const officer: Identity = { force: 'wiltshire', officerId: 'WI-2210', roles: ['officer', 'supervisor'] };
const nationalTeam: Identity = { force: NATIONAL, officerId: 'NT-0001', roles: ['national-team'] };
const administrator: Identity = { force: 'wiltshire', officerId: 'WI-ADM1', roles: ['administrator'] };

/** Version 2026.2: enhanced-rights updates within 2 working days (not 1), standard within 4; bail 2, 4 and 6 months. */
const RULES_2026_2: ModelRules = {
  victimUpdateDeadline: { standardWorkingDays: 4, enhancedWorkingDays: 2 },
  preChargeBail: { initialPeriodMonths: 2, inspectorLimitMonths: 4, superintendentLimitMonths: 6 },
};

async function events(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) out.push(event);
  return out;
}

/**
 * Rules as data (issue 13, ADR 0043): the national team publishes 2026.2 with other deadlines and bail periods;
 * Wiltshire adopts it on 10 November 2026 at 09:00. Everything below is recorded on 20 November (the recording
 * clock), with the time each fact happened stated: what happened before the adoption runs on the rules then in
 * force (the baseline, 2026.1) and keeps them; what happened after runs on 2026.2. Each event carries the version.
 */
describe('the operating model in force when the fact happened', () => {
  let raw: TestStore['raw'];
  let store: TestStore['store'];
  let runner: DecisionRunner;
  let drop: () => Promise<void>;
  const recordingClock: Clock = { now: () => new Date('2026-11-20T12:00:00.000Z') };

  beforeAll(async () => {
    ({ raw, store, runner, drop } = await openTestStore('pmmodel', recordingClock));
    const publish = (version: string, rules: ModelRules, at: string) =>
      runner.run(
        NATIONAL_MODEL_STREAM_ID,
        nationalModelDecider,
        {
          kind: 'publish-model-version',
          actor: { role: 'national-team', officerId: 'NT-0001' },
          version,
          catalogueVersion: version,
          rules,
          at,
        },
        { identity: nationalTeam, correlationId: randomUUID(), occurredAt: at },
      );
    await publish('2026.1', BASELINE_MODEL.rules, '2026-07-01T09:00:00.000Z');
    await publish('2026.2', RULES_2026_2, '2026-11-01T09:00:00.000Z');
    const { state: national } = await runner.loadShared(NATIONAL_MODEL_STREAM_ID, nationalModelDecider);
    const adoptedAt = '2026-11-10T09:00:00.000Z';
    await runner.run(
      forceModelStreamId('wiltshire'),
      forceModelDecider,
      {
        kind: 'adopt-model-version',
        actor: { role: 'force-administrator', officerId: 'WI-ADM1', force: 'wiltshire' },
        force: 'wiltshire',
        version: '2026.2',
        national,
        at: adoptedAt,
      },
      { identity: administrator, correlationId: randomUUID(), occurredAt: adoptedAt },
    );
  });

  afterAll(() => drop());

  it('gives new duties the adopted deadline and stamps its version; duties opened before keep theirs', async () => {
    const [caseId, victimId, suspectId] = [randomUUID(), randomUUID(), randomUUID()];
    const at = (occurredAt: string) => ({ identity: officer, correlationId: randomUUID(), occurredAt });
    // A victim of a sexual offence: enhanced rights by rule.
    await runner.run(
      victimStreamId(victimId),
      victimDecider,
      {
        kind: 'make-first-contact',
        caseId,
        victimId,
        offence: 'sexual-assault',
        officerId: 'WI-2210',
        channel: 'phone',
        at: '2026-11-02T09:00:00.000Z',
      },
      at('2026-11-02T09:00:00.000Z'),
    );
    const suspect = (occurredAt: string, command: object) =>
      runner.run(suspectStreamId(suspectId), suspectDecider, { caseId, suspectId, at: occurredAt, ...command } as never, at(occurredAt));
    await suspect('2026-11-02T10:00:00.000Z', { kind: 'identify-suspect', name: 'D Person' });
    // Monday 9 November, before the adoption; recorded on the 20th all the same.
    await suspect('2026-11-09T10:00:00.000Z', { kind: 'arrest-suspect', custodyClockStartedAt: '2026-11-09T10:00:00.000Z' });
    // Wednesday 11 November, after it.
    await suspect('2026-11-11T10:00:00.000Z', { kind: 'record-interview', setting: 'custody', response: 'no-comment' });

    const manager = await VictimUpdatesProcessManager.open(store, runner, {
      databaseUrl,
      schema: raw.schema,
      name: uniqueName('pm'),
      clock: () => new Date('2026-11-20T12:00:00.000Z'),
    });
    try {
      await manager.catchUp();
    } finally {
      await manager.close();
    }

    const suspectEvents = await events(store, suspectStreamId(suspectId));
    const arrest = suspectEvents.find((e) => e.type === SuspectEventTypes.SuspectArrested)!;
    const interview = suspectEvents.find((e) => e.type === SuspectEventTypes.SuspectInterviewed)!;
    expect(arrest.metadata.modelVersion).toBe('2026.1');
    expect(interview.metadata.modelVersion).toBe('2026.2');

    const duties = (await events(store, victimStreamId(victimId))).filter((e) => e.type === VictimEventTypes.UpdateDutyOpened);
    const dutyOf = (trigger: RecordedEvent) => duties.find((d) => (d.data as { triggerEventId: string }).triggerEventId === trigger.id)!;
    // The arrest's duty: the baseline's 1 working day (Tuesday 10th), though opened after the adoption.
    expect(dutyOf(arrest).data).toMatchObject({ enhancedRights: true, workingDays: 1, dueDate: '2026-11-10' });
    expect(dutyOf(arrest).metadata.modelVersion).toBe('2026.1');
    // The interview's duty: 2026.2's 2 working days (Friday 13th).
    expect(dutyOf(interview).data).toMatchObject({ enhancedRights: true, workingDays: 2, dueDate: '2026-11-13' });
    expect(dutyOf(interview).metadata.modelVersion).toBe('2026.2');
  });

  it("bails for the adopted version's first period, and needs the ranks at its limits", async () => {
    const [caseId, suspectId] = [randomUUID(), randomUUID()];
    const at = (occurredAt: string) => ({ identity: officer, correlationId: randomUUID(), occurredAt });
    const suspect = (occurredAt: string, command: object) =>
      runner.run(suspectStreamId(suspectId), suspectDecider, { caseId, suspectId, at: occurredAt, ...command } as never, at(occurredAt));
    await suspect('2026-11-12T08:00:00.000Z', { kind: 'identify-suspect', name: 'E Person' });
    await suspect('2026-11-12T09:00:00.000Z', { kind: 'arrest-suspect', custodyClockStartedAt: '2026-11-12T09:00:00.000Z' });
    await suspect('2026-11-12T18:00:00.000Z', {
      kind: 'grant-pre-charge-bail',
      authorisedBy: { officerId: 'WI-2210', rank: 'sergeant' },
      conditions: [],
    });
    // Bail starts on the 13th; 2026.2's first period is 2 months (the baseline's, 3).
    const bailed = (await events(store, suspectStreamId(suspectId))).find((e) => e.type === SuspectEventTypes.PreChargeBailGranted)!;
    expect(bailed.data).toMatchObject({ bailStartDate: '2026-11-13', bailEndsOn: '2027-01-12' });
    expect(bailed.metadata.modelVersion).toBe('2026.2');
    // To 5 months is beyond the inspector's 4 under 2026.2 (within 6 under the baseline): a superintendent's decision.
    await expect(
      suspect('2026-12-20T10:00:00.000Z', {
        kind: 'extend-bail',
        authorisedBy: { officerId: 'WI-INSP', rank: 'inspector' },
        endsOn: '2027-04-12',
      }),
    ).rejects.toMatchObject({ refusal: 'rank-too-low' });
    // Beyond 6 months, a court's: police may not.
    await expect(
      suspect('2026-12-20T10:00:00.000Z', {
        kind: 'extend-bail',
        authorisedBy: { officerId: 'WI-SUPT', rank: 'superintendent' },
        endsOn: '2027-05-13',
      }),
    ).rejects.toMatchObject({ refusal: 'court-authority-required' });
  });
});
