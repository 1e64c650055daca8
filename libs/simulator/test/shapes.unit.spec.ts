import { FORCE_CODES, type RecordedEvent } from '#contracts';
import { InMemoryEventStore } from '#event-store';
import { foldKpiFacts } from '#kpis';
import { DecisionRunner, fixedClock } from '#platform';
import { kpiFactsByForce } from '#projections';
import { chargeShareOf, planSimulation, runSimulation, SHAPE_TARGETS, simulationShapes, type SimulationShapes } from '../src/index.js';

/**
 * A national history, all 43 forces over six years, run through the ordinary decision path on an in-memory store (a
 * unit test: the decisions are the point, the Postgres path is the simulation's int test), then measured as the
 * official measures count over its last two years, once every shape has reached its steady state (docs/simulator.md):
 * charges take years, so the first years' charges lack the cases reported before the history began.
 */
describe('the shapes of a simulated national history (DOMAIN.md)', () => {
  const options = { seed: 11, forces: [...FORCE_CODES], investigations: 16_000, days: 2190, start: '2021-01-01T00:00:00Z' };
  let shapes: SimulationShapes;
  let refusals: Readonly<Record<string, number>>;

  beforeAll(async () => {
    const store = new InMemoryEventStore();
    const runner = new DecisionRunner(store, fixedClock('2027-01-01T00:00:00Z'));
    const result = await runSimulation(planSimulation(options), { runner });
    refusals = result.refusals;
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll({ batchSize: 5000 })) events.push(event);
    shapes = simulationShapes(kpiFactsByForce(foldKpiFacts(events)), { from: '2025-01-01', to: '2026-12-30', label: '2025 and 2026' });
  }, 300_000);

  /** The value and its tolerance, side by side, so that a failure shows both. */
  const within = (value: number | null | undefined, [low, high]: readonly [number, number]) => ({
    value,
    inRange: value !== null && value !== undefined && value >= low && value <= high,
  });

  it('runs the whole history through the decision path, refused nothing the process manager would have allowed', () => {
    // With no process manager here, no update duty is opened, so the updates that answer one are refused; nothing else.
    const { 'victims/give-update: unknown-update-duty': unanswered, ...others } = refusals;
    expect(others).toEqual({});
    expect(unanswered).toBeGreaterThan(0);
  });

  it('charges adult rape a median of about 426 days after recording', () =>
    expect(within(shapes.medianDaysRecordingToCharge, SHAPE_TARGETS.medianDaysRecordingToCharge.within)).toMatchObject({ inRange: true }));

  it('ends about 55% of adult-rape investigations with the victim not supporting action (outcomes 14 and 16)', () =>
    expect(within(shapes.victimDoesNotSupportShare, SHAPE_TARGETS.victimDoesNotSupportShare.within)).toMatchObject({ inRange: true }));

  it('spreads the charge rate across forces: Avon and Somerset near 17.4%, the lowest under 5%, the nation between', () => {
    expect(within(shapes.nationalChargeRate, SHAPE_TARGETS.nationalChargeRate.within)).toMatchObject({ inRange: true });
    expect(within(shapes.chargeRateByForce['avon-somerset'], SHAPE_TARGETS.avonSomersetChargeRate.within)).toMatchObject({ inRange: true });
    expect(within(shapes.chargeRateSpread?.lowest, SHAPE_TARGETS.lowestForceChargeRate.within)).toMatchObject({ inRange: true });
    expect(Object.keys(shapes.chargeRateByForce).length).toBeGreaterThanOrEqual(20);
  });

  it("draws each force's charge share once from the seed: the same on every run, the pathfinder's fixed", () => {
    expect(chargeShareOf('durham', 11)).toBe(chargeShareOf('durham', 11));
    expect(chargeShareOf('avon-somerset', 11)).toBe(0.19);
    const shares = FORCE_CODES.filter((f) => f !== 'avon-somerset').map((f) => chargeShareOf(f, 11));
    expect(Math.min(...shares)).toBeGreaterThanOrEqual(0.02);
    expect(Math.max(...shares)).toBeLessThanOrEqual(0.1);
  });
});
