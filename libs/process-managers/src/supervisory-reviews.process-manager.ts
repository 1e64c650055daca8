import pg from 'pg';
import { idle, migrateSchema, tolerateDisconnects, type CheckpointStore, type DeadLetterStore, type EventStore } from '#event-store';
import { systemClock, type DecisionRunner } from '#platform';
import { PROCESS_MANAGER_MIGRATIONS, PROCESS_MANAGER_MIGRATIONS_TABLE } from './migrations.js';
import { CheckpointedManager, CheckpointedReader } from './checkpointed-reader.js';
import { ReactionSender, type RefusedReaction } from './reaction-sender.js';
import { ReviewTimers } from './review-timers.js';

export interface SupervisoryReviewsOptions {
  readonly databaseUrl: string;
  /** Schema for the manager's tables (the event store's schema by default). */
  readonly schema: string;
  readonly name?: string;
  readonly batchSize?: number;
  readonly idlePollMs?: number;
  /** What "now" is for the timers (the injected CLOCK). */
  readonly clock?: () => Date;
  /** The review cycle in days (the model rule SUPERVISORY_REVIEW_CYCLE_DAYS by default). */
  readonly cycleDays?: number;
}

const SYSTEM_ACTOR = 'system:supervisory-reviews';

/**
 * The supervisory review cycle as a timer (issue 13, docs/disruption.md): reads the log from its own checkpoint, keeps
 * one timer per open case (assignment, review, closure, reopening) and records on the officer's stream that a case's
 * review is overdue, once per cycle. Its table updates are idempotent, so a batch read again after a crash is safe;
 * the overdue record is refused by the decider if already made for that cycle.
 */
export class SupervisoryReviewsProcessManager extends CheckpointedManager {
  private readonly pool: pg.Pool;
  private readonly timers: ReviewTimers;
  protected readonly reader: CheckpointedReader;
  private readonly sender: ReactionSender;

  private constructor(
    store: EventStore & CheckpointStore & DeadLetterStore,
    runner: DecisionRunner,
    private readonly options: SupervisoryReviewsOptions,
  ) {
    super();
    const name = options.name ?? 'supervisory-reviews';
    this.reader = new CheckpointedReader(store, name, options.batchSize ?? 200, (event) => this.timers.observe(event));
    this.sender = new ReactionSender(runner, name, SYSTEM_ACTOR);
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
    tolerateDisconnects(this.pool);
    this.timers = new ReviewTimers(this.pool, options.schema, options.cycleDays);
  }

  /** Overdue records the domain refused (already recorded for the cycle), for operators and tests. */
  get refused(): readonly RefusedReaction[] {
    return this.sender.refused;
  }

  static async open(
    store: EventStore & CheckpointStore & DeadLetterStore,
    runner: DecisionRunner,
    options: SupervisoryReviewsOptions,
  ): Promise<SupervisoryReviewsProcessManager> {
    await migrateSchema(options.databaseUrl, options.schema, PROCESS_MANAGER_MIGRATIONS, PROCESS_MANAGER_MIGRATIONS_TABLE);
    const manager = new SupervisoryReviewsProcessManager(store, runner, options);
    await manager.timers.buildFromLog(store, await manager.reader.load());
    return manager;
  }

  /** Records every review that the clock says is overdue (once per cycle); returns how many it tried. */
  fireDueTimers(): Promise<number> {
    return this.timers.fire((this.options.clock?.() ?? systemClock.now()).toISOString(), this.sender.send);
  }

  /** Runs until the signal aborts, from its checkpoint; the timers at most every `timerEveryMs` of elapsed time. */
  async run(signal: AbortSignal, timerEveryMs = 30_000, healthy: () => void = () => undefined): Promise<void> {
    await this.reader.load();
    let nextTimers = 0;
    while (!signal.aborted) {
      const count = await this.processOnce();
      if (performance.now() >= nextTimers) {
        await this.fireDueTimers();
        nextTimers = performance.now() + timerEveryMs;
      }
      healthy();
      if (count === 0) await idle(this.options.idlePollMs ?? 50, signal);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
