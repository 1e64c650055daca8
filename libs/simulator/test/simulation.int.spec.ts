import pg from 'pg';
import { assertValidEvents, CaseEventTypes, SuspectEventTypes, VictimEventTypes, type RecordedEvent } from '#contracts';
import { PostgresEventStore, withValidation } from '#event-store';
import { DecisionRunner, fixedClock } from '#platform';
import { VictimUpdatesProcessManager } from '#process-managers';
import { requiredEnv, uniqueName, waitFor } from '#testing';
import { planSimulation, runSimulation } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const options = {
  seed: 42,
  forces: ['avon-somerset', 'wiltshire', 'durham', 'metropolitan'] as const,
  investigations: 150,
  days: 540,
  start: '2025-01-01T00:00:00Z',
};

describe('the simulator', () => {
  it('is deterministic from its seed', () => {
    const a = planSimulation({ ...options, forces: [...options.forces] });
    const b = planSimulation({ ...options, forces: [...options.forces] });
    const c = planSimulation({ ...options, forces: [...options.forces], seed: 43 });
    expect(b.steps).toEqual(a.steps);
    expect(c.steps).not.toEqual(a.steps);
  });

  it('runs investigations through every context with realistic outcomes, withdrawals, repeat suspects and missed deadlines', async () => {
    const raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('sim') });
    const store = withValidation(raw, assertValidEvents);
    const runner = new DecisionRunner(store);
    let clock = new Date(options.start);
    const processManager = await VictimUpdatesProcessManager.open(store, runner, { databaseUrl, schema: raw.schema, clock: () => clock });
    try {
      const plan = planSimulation({ ...options, forces: [...options.forces] });
      const result = await runSimulation(plan, { runner, processManager, setClock: (at) => (clock = at) });
      expect(result.refusals).toEqual({});
      expect(result.refused).toBe(0);

      const events: RecordedEvent[] = [];
      for await (const event of store.readAll()) events.push(event);
      const of = (type: string): RecordedEvent[] => events.filter((e) => e.type === type);
      const outcomes = of(CaseEventTypes.OutcomeRecorded).map((e) => (e.data as { outcomeCode: number }).outcomeCode);
      const withdrawn = outcomes.filter((code) => code === 14 || code === 16).length;
      expect(outcomes.length).toBeGreaterThan(60);
      expect(withdrawn / outcomes.length).toBeGreaterThan(0.35);
      // Above the 55% of endings: over 18 months the short withdrawals close more often than the long charges (docs/simulator.md).
      expect(withdrawn / outcomes.length).toBeLessThan(0.85);
      expect(outcomes.filter((code) => code === 1).length).toBeGreaterThan(0);
      expect(of(VictimEventTypes.SupportWithdrawn).length).toBeGreaterThan(0);
      expect(of(VictimEventTypes.UpdateDutyOpened).length).toBeGreaterThan(0);
      expect(of(VictimEventTypes.UpdateDutyMet).length).toBeGreaterThan(0);
      expect(of(VictimEventTypes.UpdateDeadlineMissed).length).toBeGreaterThan(0);
      expect(new Set(events.map((e) => e.metadata.force)).size).toBe(options.forces.length);
      // Repeat suspects: the same person (PNC ID) identified in more than one case, some across forces.
      const byPerson = new Map<string, Set<string>>();
      for (const e of of(SuspectEventTypes.SuspectIdentified)) {
        const pnc = (e.data as { pncId: string }).pncId;
        byPerson.set(pnc, (byPerson.get(pnc) ?? new Set()).add(e.metadata.force));
      }
      expect([...plan.suspects.values()].length).toBeGreaterThan(new Set([...plan.suspects.values()].map((p) => p.personId)).size);
      expect([...byPerson.values()].some((forces) => forces.size > 1)).toBe(true);
      // Simulated time, not wall-clock time, in every event.
      expect(events.every((e) => e.metadata.occurredAt < '2026-07-01')).toBe(true);

      // Re-running the same plan appends nothing.
      const before = events.length;
      await runSimulation(plan, { runner, processManager, setClock: (at) => (clock = at) });
      const after: RecordedEvent[] = [];
      for await (const event of store.readAll()) after.push(event);
      expect(after).toHaveLength(before);
    } finally {
      await processManager.close();
      await raw.close();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${raw.schema} CASCADE`);
      await client.end();
    }
  });

  it("keeps its whole history in the simulated period, beside a deployment's process manager running on the day it is run", async () => {
    const small = { seed: 11, forces: ['kent', 'durham'] as const, investigations: 40, days: 200, start: '2025-01-01T00:00:00.000Z' };
    const end = new Date(Date.parse(small.start) + small.days * 86_400_000).toISOString();
    const raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('simday') });
    const store = withValidation(raw, assertValidEvents);
    // "The day it was run", long after the simulated period: the deployment's clock, and the runner's for any step
    // that stated no time.
    const runDay = fixedClock('2026-12-04T12:00:00.000Z');
    const runner = new DecisionRunner(store, runDay);
    let clock = new Date(small.start);
    const processManager = await VictimUpdatesProcessManager.open(store, runner, { databaseUrl, schema: raw.schema, clock: () => clock });
    // The deployment's own process manager (the quick start's, say) on the same store, running on its clock.
    const deployment = await VictimUpdatesProcessManager.open(store, runner, {
      databaseUrl,
      schema: raw.schema,
      clock: () => runDay.now(),
    });
    const stop = new AbortController();
    let stopped: unknown;
    const running = deployment.run(stop.signal, 0).catch((error: unknown) => void (stopped = error));
    try {
      const plan = planSimulation({ ...small, forces: [...small.forces] });
      await runSimulation(plan, { runner, processManager, setClock: (at) => (clock = at) });

      // The history the simulation wrote: everything up to where its process manager stopped.
      const events: RecordedEvent[] = [];
      for await (const event of store.readAll()) if (event.position <= processManager.position) events.push(event);
      const outside = events.filter((e) => e.metadata.occurredAt < small.start || e.metadata.occurredAt > end);
      expect(outside.map((e) => `${e.type} at ${e.metadata.occurredAt}`)).toEqual([]);
      expect(events.filter((e) => e.type === VictimEventTypes.UpdateDeadlineMissed).length).toBeGreaterThan(0);
      // Every deadline that passed within the period was decided within it: met, missed or closed.
      const decided = new Set(
        events
          .filter(
            (e) =>
              e.type === VictimEventTypes.UpdateDutyMet ||
              e.type === VictimEventTypes.UpdateDeadlineMissed ||
              e.type === VictimEventTypes.UpdateDutyClosed,
          )
          .map((e) => (e.data as { triggerEventId: string }).triggerEventId + (e.data as { victimId: string }).victimId),
      );
      const undecided = events
        .filter((e) => e.type === VictimEventTypes.UpdateDutyOpened)
        .map((e) => e.data as { triggerEventId: string; victimId: string; dueBy: string })
        .filter((d) => d.dueBy < end && !decided.has(d.triggerEventId + d.victimId));
      expect(undecided).toEqual([]);
      // Once the simulation is done, the deployment's manager carries on from where it stopped.
      await waitFor("the deployment's process manager to pass the simulated history", () => deployment.position >= processManager.position);
      expect(stopped).toBeUndefined();
    } finally {
      stop.abort();
      await running;
      await deployment.close();
      await processManager.close();
      await raw.close();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${raw.schema} CASCADE`);
      await client.end();
    }
  });
});
