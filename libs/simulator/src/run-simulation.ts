import { chargedSuspects } from '#cases-api';
import { caseDecider } from '#cases-domain';
import { deterministicUuid } from '#contracts';
import type { DecisionRunner, Identity } from '#platform';
import type { VictimUpdatesProcessManager } from '#process-managers';
import { suspectDecider } from '#suspects-domain';
import { victimDecider } from '#victims-domain';
import type { SimulationPlan } from './plan.js';
import type { SimStep } from './step.js';

export interface SimulationRun {
  readonly runner: DecisionRunner;
  /** The Victims' Code process manager, driven on the simulated clock (its timers fire as time passes). */
  readonly processManager?: VictimUpdatesProcessManager;
  /** Moves the process manager's clock (the one passed to it when it was opened). */
  readonly setClock?: (at: Date) => void;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SimulationResult {
  readonly steps: number;
  readonly refused: number;
  /** Refusals by `context/command: refusal`, so that a plan the domain disagrees with is visible. */
  readonly refusals: Readonly<Record<string, number>>;
}

async function drain(manager: VictimUpdatesProcessManager | undefined): Promise<void> {
  if (!manager) return;
  await manager.catchUp();
}

async function execute(runner: DecisionRunner, step: SimStep, identity: Identity): Promise<unknown> {
  // One correlation id per investigation step, derived like the event ids, so a re-run is identical.
  const base = { identity, correlationId: deterministicUuid('correlation', step.key), occurredAt: step.at, idempotencyKey: step.key };
  switch (step.context) {
    case 'cases': {
      // As the HTTP handler does: outcome 1 is decided against the charges recorded in the suspects context.
      const command = step.command;
      if (command.kind !== 'record-outcome' || command.outcomeCode !== 1) return runner.run(step.streamId, caseDecider, command, base);
      return runner.run(
        step.streamId,
        caseDecider,
        { ...command, chargedSuspectIds: await chargedSuspects(runner, command.caseId, identity) },
        base,
      );
    }
    case 'suspects':
      return runner.run(step.streamId, suspectDecider, step.command, base);
    case 'victims':
      return runner.run(step.streamId, victimDecider, step.command, base);
    default:
      return ((value: never) => Promise.reject(new Error(`unknown step ${JSON.stringify(value)}`)))(step);
  }
}

/**
 * Runs a plan through the ordinary decision path (validation, optimistic concurrency, idempotent ids), in
 * simulated time order. Re-running the same plan appends nothing new: every step's events have ids derived
 * from its idempotency key. A step the domain refuses is counted, not hidden.
 *
 * Every event of the history happens within the simulated period: each step states its time, and the process
 * manager reacts on the simulated clock. It holds the manager's lock for the whole run, so that a deployment's own
 * process manager on the same store (the quick start's), whose clock says today, cannot meanwhile judge simulated
 * deadlines as missed today; it carries on from the simulation's checkpoint afterwards.
 */
export async function runSimulation(plan: SimulationPlan, run: SimulationRun): Promise<SimulationResult> {
  const manager = run.processManager;
  return manager ? manager.exclusively(() => simulate(plan, run)) : simulate(plan, run);
}

async function simulate(plan: SimulationPlan, run: SimulationRun): Promise<SimulationResult> {
  let refused = 0;
  let done = 0;
  const refusals: Record<string, number> = {};
  for (const step of plan.steps) {
    run.setClock?.(new Date(step.at));
    await drain(run.processManager);
    await run.processManager?.fireDueTimers();
    const identity: Identity = { force: step.force, officerId: step.officerId, roles: ['officer', 'supervisor'] };
    try {
      await execute(run.runner, step, identity);
    } catch (error) {
      const refusal = (error as { refusal?: unknown }).refusal;
      if (typeof refusal !== 'string') throw error;
      refused += 1;
      const name = `${step.context}/${step.command.kind}: ${refusal}`;
      refusals[name] = (refusals[name] ?? 0) + 1;
    }
    done += 1;
    if (done % 500 === 0) run.onProgress?.(done, plan.steps.length);
  }
  // Deadlines that pass between the last step and the end of the period are recorded within it, on the simulated
  // clock, rather than left for a process manager on another clock to find.
  run.setClock?.(new Date(plan.period.end));
  await drain(run.processManager);
  await run.processManager?.fireDueTimers();
  await drain(run.processManager);
  return { steps: plan.steps.length, refused, refusals };
}
