import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { assertValidEvents, VictimEventTypes, type RecordedEvent } from '#contracts';
import { PostgresEventStore, withValidation, type CheckpointStore, type DeadLetterStore, type EventStore } from '#event-store';
import { DecisionRunner, type Identity } from '#platform';
import { suspectDecider, suspectStreamId } from '#suspects-domain';
import { requiredEnv, uniqueName } from '#testing';
import { victimDecider, victimStreamId } from '#victims-domain';
import { VictimUpdatesProcessManager } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const officer: Identity = { force: 'avon-somerset', officerId: 'AS-4471', roles: ['officer'] };

async function collect(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) out.push(event);
  return out;
}

async function drain(manager: VictimUpdatesProcessManager): Promise<void> {
  await manager.catchUp();
}

describe(VictimUpdatesProcessManager.name, () => {
  let raw: PostgresEventStore;
  let store: EventStore & CheckpointStore & DeadLetterStore;
  let runner: DecisionRunner;
  const managers: VictimUpdatesProcessManager[] = [];
  // One clock for the services recording the events and for the manager's timers, moved by the test: nothing here
  // reads the wall clock, so the test passes on any date.
  let now = new Date('2026-11-30T10:00:00Z');

  const open = async (): Promise<VictimUpdatesProcessManager> => {
    const manager = await VictimUpdatesProcessManager.open(store, runner, { databaseUrl, schema: raw.schema, clock: () => now });
    managers.push(manager);
    return manager;
  };

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('pm') });
    store = withValidation(raw, assertValidEvents);
    runner = new DecisionRunner(store, { now: () => now });
  });

  afterAll(async () => {
    for (const manager of managers) await manager.close();
    await raw.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA ${raw.schema} CASCADE`);
    await client.end();
  });

  it('opens an update duty for every victim when a suspect is arrested, once, and records the missed deadline when its timer fires', async () => {
    const caseId = randomUUID();
    const [victimA, victimB, suspectId] = [randomUUID(), randomUUID(), randomUUID()];
    const context = { identity: officer, correlationId: randomUUID() };
    for (const victimId of [victimA, victimB]) {
      await runner.run(
        victimStreamId(victimId),
        victimDecider,
        {
          kind: 'make-first-contact',
          caseId,
          victimId,
          offence: 'sexual-assault',
          officerId: 'AS-4471',
          channel: 'phone',
          at: '2026-11-27T09:00:00Z',
        },
        context,
      );
    }
    await runner.run(
      suspectStreamId(suspectId),
      suspectDecider,
      { kind: 'identify-suspect', caseId, suspectId, name: 'A Person', at: '2026-11-27T10:00:00Z' },
      context,
    );
    await runner.run(
      suspectStreamId(suspectId),
      suspectDecider,
      { kind: 'arrest-suspect', caseId, suspectId, custodyClockStartedAt: '2026-11-27T11:05:00Z', at: '2026-11-27T11:00:00Z' },
      context,
    );
    const arrest = (await collect(store, suspectStreamId(suspectId))).at(-1)!;

    const manager = await open();
    await drain(manager);
    for (const victimId of [victimA, victimB]) {
      const duties = (await collect(store, victimStreamId(victimId))).filter((e) => e.type === VictimEventTypes.UpdateDutyOpened);
      expect(duties).toHaveLength(1);
      expect(duties[0]!.data).toMatchObject({ trigger: 'suspect-arrested', triggerEventId: arrest.id });
      expect(duties[0]!.metadata).toMatchObject({
        actor: 'system:victim-updates',
        causationId: arrest.id,
        correlationId: arrest.metadata.correlationId,
      });
    }

    // This test recorded no crime, so linking the identified suspect to the case is refused: the manager
    // records the refusal and carries on instead of retrying it forever.
    expect(await collect(store, `case-${caseId}`)).toEqual([]);
    expect(manager.refused).toEqual([
      expect.objectContaining({ streamId: `case-${caseId}`, command: 'link-suspect', refusal: 'case-not-found' }),
    ]);

    // A crash before the checkpoint: a new manager replays the log from zero and records nothing twice.
    await raw.saveCheckpoint('replay-test', 0n);
    const replay = await VictimUpdatesProcessManager.open(store, runner, {
      databaseUrl,
      schema: raw.schema,
      name: 'replay-test',
      clock: () => now,
    });
    managers.push(replay);
    await drain(replay);
    for (const victimId of [victimA, victimB]) {
      expect((await collect(store, victimStreamId(victimId))).filter((e) => e.type === VictimEventTypes.UpdateDutyOpened)).toHaveLength(1);
    }

    // Not yet due: nothing fires. After the deadline: each victim's missed deadline is recorded once.
    expect(await manager.fireDueTimers()).toBe(0);
    now = new Date('2026-12-08T10:00:00Z');
    expect(await manager.fireDueTimers()).toBe(2);
    await drain(manager);
    expect(await manager.fireDueTimers()).toBe(0);
    for (const victimId of [victimA, victimB]) {
      const missed = (await collect(store, victimStreamId(victimId))).filter((e) => e.type === VictimEventTypes.UpdateDeadlineMissed);
      expect(missed).toHaveLength(1);
      expect(missed[0]!.data).toMatchObject({ triggerEventId: arrest.id, trigger: 'suspect-arrested' });
    }
  });

  it('survives a restart: a new manager picks up open timers from its tables and checkpoint', async () => {
    now = new Date('2026-11-30T10:00:00Z');
    const caseId = randomUUID();
    const [victimId, suspectId] = [randomUUID(), randomUUID()];
    const context = { identity: officer, correlationId: randomUUID() };
    await runner.run(
      victimStreamId(victimId),
      victimDecider,
      {
        kind: 'make-first-contact',
        caseId,
        victimId,
        offence: 'sexual-assault',
        officerId: 'AS-4471',
        channel: 'phone',
        at: '2026-11-30T09:00:00Z',
      },
      context,
    );
    await runner.run(
      suspectStreamId(suspectId),
      suspectDecider,
      { kind: 'identify-suspect', caseId, suspectId, name: 'B Person', at: '2026-11-30T09:30:00Z' },
      context,
    );
    await runner.run(
      suspectStreamId(suspectId),
      suspectDecider,
      { kind: 'arrest-suspect', caseId, suspectId, custodyClockStartedAt: '2026-11-30T10:05:00Z', at: '2026-11-30T10:00:00Z' },
      context,
    );
    const first = await open();
    await drain(first);
    await first.close();
    managers.splice(managers.indexOf(first), 1);

    const restarted = await open();
    expect(restarted.position).toBe(first.position);
    now = new Date('2026-12-31T10:00:00Z');
    expect(await restarted.fireDueTimers()).toBeGreaterThanOrEqual(1);
    const missed = (await collect(store, victimStreamId(victimId))).filter((e) => e.type === VictimEventTypes.UpdateDeadlineMissed);
    expect(missed).toHaveLength(1);
  });
});
