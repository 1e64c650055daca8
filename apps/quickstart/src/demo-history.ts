import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ForceCode } from '#contracts';
import { DecisionRunner, type BackboneConfig, type Infrastructure } from '#platform';
import { VictimUpdatesProcessManager } from '#process-managers';
import { planSimulation, runSimulation } from '#simulator';
import type { SeedProgress } from '#console';

const DAY = 86_400_000;
const QUARTERS = 8;

/** The eight whole quarters before the one `now` is in: the same plan all quarter long, so a restart appends nothing. */
export function historyPeriod(now: Date): { start: string; days: number } {
  const quarterStart = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1);
  const from = new Date(quarterStart);
  from.setUTCMonth(from.getUTCMonth() - 3 * QUARTERS);
  return { start: from.toISOString(), days: Math.round((quarterStart - from.getTime()) / DAY) };
}

/**
 * The quick start's simulated history (issue 16): eight quarters in the demo forces, appended in the background
 * through the real decision path after the API and the console are up, so that every chart has a shape. Its progress
 * is shown in the console and printed at every tenth. Done once per quarter's plan (a marker in NOM_DATA_DIR).
 */
export function seedDemoHistory(options: {
  readonly infrastructure: Infrastructure;
  readonly config: BackboneConfig;
  readonly forces: readonly ForceCode[];
  readonly dataDir: string;
  readonly now: Date;
  readonly log: (line: string) => void;
}): { progress: () => SeedProgress | undefined } {
  const period = historyPeriod(options.now);
  const plan = planSimulation({ seed: 16, forces: [...options.forces], investigations: 60 * options.forces.length, ...period });
  const marker = `${options.dataDir}/demo-history`;
  const key = JSON.stringify(period);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === key) return { progress: () => undefined };
  let state: SeedProgress = { done: 0, total: plan.steps.length, finished: false };
  const run = async (): Promise<void> => {
    let clock = new Date(period.start);
    const runner = new DecisionRunner(options.infrastructure.store);
    const manager = await VictimUpdatesProcessManager.open(options.infrastructure.store, runner, {
      databaseUrl: options.config.databaseUrl!,
      schema: options.config.eventStoreSchema,
      clock: () => clock,
    });
    let told = 0;
    try {
      await runSimulation(plan, {
        runner,
        processManager: manager,
        setClock: (at) => (clock = at),
        onProgress: (done, total) => {
          state = { done, total, finished: false };
          if (done / total >= told + 0.1) {
            told = Math.floor((done / total) * 10) / 10;
            options.log(`demo history: ${done} of ${total} steps (${Math.round((done / total) * 100)}%)`);
          }
        },
      });
    } finally {
      await manager.close();
    }
    writeFileSync(marker, key);
    state = { done: plan.steps.length, total: plan.steps.length, finished: true };
    options.log(
      `demo history: ${plan.steps.length} steps, ${QUARTERS} quarters from ${period.start.slice(0, 10)} in ${options.forces.join(', ')}: done`,
    );
  };
  run().catch((error: unknown) => {
    state = { ...state, finished: false, error: (error as Error).message };
    options.log(`demo history stopped: ${(error as Error).message}`);
  });
  return { progress: () => state };
}
