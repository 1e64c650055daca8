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
  position = 0n;
  /** Overdue records the domain refused (already recorded for the cycle), for operators and tests. */
  readonly refused: { streamId: string; refusal: string; cause: string }[] = [];
  readonly deadLetters: ReaderDeadLetters;

  private constructor(
    private readonly store: EventStore & CheckpointStore & DeadLetterStore,
    private readonly runner: DecisionRunner,
    private readonly options: SupervisoryReviewsOptions,
  ) {
    this.name = options.name ?? 'supervisory-reviews';
    this.deadLetters = new ReaderDeadLetters(store, this.name);
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
    manager.position = await store.loadCheckpoint(manager.name);
    await manager.timers.buildFromLog(store, manager.position);
    return manager;
  }

  /** Processes one batch of the log; returns how many events it read (0: caught up). */
  async processOnce(): Promise<number> {
    let count = 0;
    let last: bigint | undefined;
    const size = this.options.batchSize ?? 200;
    this.deadLetters.startBatch();
    const isolatedBefore = this.deadLetters.recorded;
    const read = { fromPosition: this.position, batchSize: size, maxCount: size, onUndecodable: this.deadLetters.onUndecodable };
    for await (const event of this.store.readAll(read)) {
      try {
        const change = reviewTimerChange(event);
        if (change) await this.timers.apply(change, event.metadata.force);
      } catch (error) {
        await this.deadLetters.isolate(event, 'apply', error);
      }
      last = event.position;
      count += 1;
    }
    const reached = this.deadLetters.reached(last);
    if (reached !== undefined) {
      await this.store.saveCheckpoint(this.name, reached);
      this.position = reached;
    }
    return count + this.deadLetters.recorded - isolatedBefore;
  }

  /** Processes until every committed event, its own records included, has been handled. */
  async catchUp(): Promise<void> {
    let head = await this.store.headPosition();
    while (this.position < head) {
      if ((await this.processOnce()) === 0) await idle(5, undefined);
      if (this.position >= head) head = await this.store.headPosition();
    }
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
    this.position = await this.store.loadCheckpoint(this.name);
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
