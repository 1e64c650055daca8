import { assertValidEvents } from '#contracts';
import { withValidation, type CheckpointStore, type DeadLetterStore, type EventStore } from '#event-store';
import { DecisionRunner } from '#platform';
import { VictimUpdatesProcessManager } from '#process-managers';
import { planSimulation, runSimulation, type SimulationOptions, type SimulationPlan, type SimulationResult } from '#simulator';

/**
 * Writes a simulated history into an event store as the services would (validated, through the DecisionRunner,
 * with the victim-updates process manager on the simulated clock, its state in `schema`). Throws if any decision
 * was refused: a history with refusals is not the one the plan describes.
 */
export async function simulateHistory(
  store: EventStore & CheckpointStore & DeadLetterStore,
  { databaseUrl, schema }: { readonly databaseUrl: string; readonly schema: string },
  options: SimulationOptions,
): Promise<{ readonly plan: SimulationPlan; readonly result: SimulationResult }> {
  const validated = withValidation(store, assertValidEvents);
  const runner = new DecisionRunner(validated);
  let clock = new Date(options.start);
  const processManager = await VictimUpdatesProcessManager.open(validated, runner, { databaseUrl, schema, clock: () => clock });
  try {
    const plan = planSimulation(options);
    const result = await runSimulation(plan, { runner, processManager, setClock: (at) => (clock = at) });
    if (result.refused !== 0) throw new Error(`the simulation was refused ${result.refused} times: ${JSON.stringify(result.refusals)}`);
    return { plan, result };
  } finally {
    await processManager.close();
  }
}
