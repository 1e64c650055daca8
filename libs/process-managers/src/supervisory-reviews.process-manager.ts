import pg from 'pg';
import { deterministicUuid, type ForceCode } from '#contracts';
import {
  idle,
  migrateSchema,
  ReaderDeadLetters,
  tolerateDisconnects,
  WrongExpectedRevisionError,
  type CheckpointStore,
  type DeadLetterStore,
  type EventStore,
} from '#event-store';
import { officerDevelopmentDecider, officerStreamId } from '#learning-domain';
import { systemClock, type DecisionRunner } from '#platform';
import { PROCESS_MANAGER_MIGRATIONS, PROCESS_MANAGER_MIGRATIONS_TABLE } from './migrations.js';
import { CheckpointedReader } from './checkpointed-reader.js';
import { ReviewTimers, reviewTimerChange } from './review-timers.js';

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
export class SupervisoryReviewsProcessManager {
  private readonly name: string;
  private readonly pool: pg.Pool;
  private readonly timers: ReviewTimers;
  private readonly reader: CheckpointedReader;
  /** Overdue records the domain refused (already recorded for the cycle), for operators and tests. */
  readonly refused: { streamId: string; refusal: string; cause: string }[] = [];

  private constructor(
    private readonly store: EventStore & CheckpointStore & DeadLetterStore,
    private readonly runner: DecisionRunner,
    private readonly options: SupervisoryReviewsOptions,
  ) {
    this.name = options.name ?? 'supervisory-reviews';
    this.reader = new CheckpointedReader(store, this.name, options.batchSize ?? 200, async (event) => {
      const change = reviewTimerChange(event);
      if (change) await this.timers.apply(change, event.metadata.force);
    });
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
    tolerateDisconnects(this.pool);
    this.timers = new ReviewTimers(this.pool, options.schema, options.cycleDays);
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

  get position(): bigint {
    return this.reader.position;
  }

  get deadLetters(): ReaderDeadLetters {
    return this.reader.deadLetters;
  }

  processOnce(): Promise<number> {
    return this.reader.processOnce();
  }

  /** Processes until every committed event, its own records included, has been handled. */
  catchUp(): Promise<void> {
    return this.reader.catchUp();
  }

  /** Records every review that the clock says is overdue (once per cycle); returns how many it tried. */
  async fireDueTimers(): Promise<number> {
    const now = (this.options.clock?.() ?? systemClock.now()).toISOString();
    const due = await this.timers.dueChecks(now);
    for (const { force, cause, command } of due) {
      const streamId = officerStreamId(force as ForceCode, command.officerId);
      try {
        await this.runner.run(streamId, officerDevelopmentDecider, command, {
          identity: { force: force as ForceCode, officerId: SYSTEM_ACTOR, roles: ['supervisor'] },
          correlationId: deterministicUuid(cause),
          causationId: deterministicUuid(cause),
          occurredAt: now,
          idempotencyKey: `pm:${this.name}:${cause}:${command.kind}`,
        });
      } catch (error) {
        const refusal = (error as { refusal?: unknown }).refusal;
        if (typeof refusal !== 'string' || error instanceof WrongExpectedRevisionError) throw error;
        this.refused.push({ streamId, refusal, cause });
        if (this.refused.length > 100) this.refused.shift();
      }
    }
    return due.length;
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
