import type { Decider } from '#contracts';
import { InMemoryEventStore, StreamForceMismatchError } from '#event-store';
import { fixedClock } from '../src/clock.js';
import { DecisionRunner } from '../src/decision-runner.js';
import type { Identity } from '../src/identity.js';

type Noted = { readonly type: 'noted'; readonly data: { readonly note: string } };
/** A decider that records every note it is given: enough to see whose stream is whose. */
const notes: Decider<string, Noted, readonly string[]> = {
  decide: (note) => [{ type: 'noted', data: { note } }],
  evolve: (state, event) => [...state, event.data.note],
  initialState: [],
};

const nationalTeam: Identity = { force: 'national', officerId: 'NT-0001', roles: ['national-team'] };
const durham: Identity = { force: 'durham', officerId: 'DU-1', roles: ['administrator'] };

describe('DecisionRunner scopes', () => {
  let store: InMemoryEventStore;
  let runner: DecisionRunner;
  beforeEach(() => {
    store = new InMemoryEventStore();
    runner = new DecisionRunner(store);
  });

  it("stamps the national scope on a national caller's events; the store keeps the stream to it", async () => {
    await runner.run('reference', notes, 'first', { identity: nationalTeam, correlationId: '7d0c6f7e-1b7a-4c59-9a52-3f4f0e8e1d11' });
    const forces: string[] = [];
    for await (const event of store.readStream('reference')) forces.push(event.metadata.force);
    expect(forces).toEqual(['national']);
    await expect(
      runner.run('reference', notes, 'second', { identity: durham, correlationId: '7d0c6f7e-1b7a-4c59-9a52-3f4f0e8e1d12' }),
    ).rejects.toBeInstanceOf(StreamForceMismatchError);
  });

  it("loadShared folds a national stream for any caller, and never a force's stream", async () => {
    await runner.run('reference', notes, 'first', { identity: nationalTeam, correlationId: '7d0c6f7e-1b7a-4c59-9a52-3f4f0e8e1d13' });
    await runner.run('durham-own', notes, 'private', { identity: durham, correlationId: '7d0c6f7e-1b7a-4c59-9a52-3f4f0e8e1d14' });
    await expect(runner.loadShared('reference', notes)).resolves.toEqual({ state: ['first'], revision: 0n });
    await expect(runner.loadShared('nothing-yet', notes)).resolves.toEqual({ state: [], revision: undefined });
    await expect(runner.loadShared('durham-own', notes)).rejects.toBeInstanceOf(StreamForceMismatchError);
    // A force's own load still refuses the national stream: only loadShared reads it.
    await expect(runner.load('reference', notes, durham)).rejects.toBeInstanceOf(StreamForceMismatchError);
  });
});

describe('DecisionRunner time', () => {
  it('stamps a decision that states no time with its injected clock, never the wall clock', async () => {
    const store = new InMemoryEventStore();
    const runner = new DecisionRunner(store, fixedClock('2025-03-03T11:00:00.000Z'));
    await runner.run('durham-notes', notes, 'unstated', { identity: durham, correlationId: '7d0c6f7e-1b7a-4c59-9a52-3f4f0e8e1d15' });
    await runner.run('durham-notes', notes, 'stated', {
      identity: durham,
      correlationId: '7d0c6f7e-1b7a-4c59-9a52-3f4f0e8e1d16',
      occurredAt: '2025-01-02T09:00:00.000Z',
    });
    const times: string[] = [];
    for await (const event of store.readStream('durham-notes')) times.push(event.metadata.occurredAt);
    expect(times).toEqual(['2025-03-03T11:00:00.000Z', '2025-01-02T09:00:00.000Z']);
  });
});
