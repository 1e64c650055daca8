import pg from 'pg';
import { caseDecider, caseStreamId } from '#cases-domain';
import { VictimEventTypes, type RecordedEvent } from '#contracts';
import { idle, migrateSchema, tolerateDisconnects, type CheckpointStore, type DeadLetterStore, type EventStore } from '#event-store';
import { sharedCounter, systemClock, type DecisionRunner } from '#platform';
import { victimDecider, victimStreamId, type VictimCommand } from '#victims-domain';
import { BailTimers } from './bail-timers.js';
import { AgreedUpdateTimers } from './agreed-update-timers.js';
import { CheckpointedManager, CheckpointedReader } from './checkpointed-reader.js';
import { CpsActionTimers } from './cps-action-timers.js';
import { PROCESS_MANAGER_MIGRATIONS, PROCESS_MANAGER_MIGRATIONS_TABLE } from './migrations.js';
import { ReactionSender, type ManagerTimer, type RefusedReaction } from './reaction-sender.js';
import { reactTo } from './victim-updates.policy.js';
import { UpdateTimers, type OpenDuties } from './update-timers.js';

export interface VictimUpdatesOptions {
  readonly databaseUrl: string;
  /** Schema for the manager's tables (the event store's schema by default). */
  readonly schema: string;
  readonly name?: string;
  readonly batchSize?: number;
  readonly idlePollMs?: number;
  /** What "now" is for the timers (the injected CLOCK in the apps; the simulated clock in a simulation). */
  readonly clock?: () => Date;
}

const SYSTEM_ACTOR = 'system:victim-updates';

/** Victims' Code update duties as the manager sees them go by (ADR 0038): opened, and closed as met, missed or closed. */
const dutiesOpened = (): ReturnType<typeof sharedCounter<'force'>> =>
  sharedCounter('nom_victims_code_duties_opened_total', "Victims' Code update duties opened (a timer set), by force.", ['force']);
const dutiesEnded = (): ReturnType<typeof sharedCounter<'force' | 'outcome'>> =>
  sharedCounter('nom_victims_code_duties_ended_total', "Victims' Code update duties ended, by force and outcome (met, missed, closed).", [
    'force',
    'outcome',
  ]);
const OUTCOMES: Partial<Record<string, string>> = {
  [VictimEventTypes.UpdateDutyMet]: 'met',
  [VictimEventTypes.UpdateDeadlineMissed]: 'missed',
  [VictimEventTypes.UpdateDutyClosed]: 'closed',
};

/**
 * Durable, idempotent process manager for the Victims' Code update policy. It reads the global log from its
 * own checkpoint, keeps case-victim links and open timers in its tables, and sends commands to the victims'
 * streams through the ordinary decision path. A crash before the checkpoint replays the batch: every command
 * is idempotent (a duty is identified by its trigger event; its event ids derive from the trigger), so
 * nothing is recorded twice. Timers are rows built from the log, so they survive restarts.
 */
export class VictimUpdatesProcessManager extends CheckpointedManager {
  private readonly name: string;
  private readonly pool: pg.Pool;
  /** The update duties' timers, kept by the policy (`reactTo`) in `handle`. */
  private readonly timers: UpdateTimers;
  private readonly bail: BailTimers;
  /** Every timer, in the order they fire: bail, update duties, CPS actions, agreed updates. */
  private readonly allTimers: readonly ManagerTimer[];
  protected readonly reader: CheckpointedReader;
  private readonly sender: ReactionSender;

  private constructor(
    store: EventStore & CheckpointStore & DeadLetterStore,
    runner: DecisionRunner,
    private readonly options: VictimUpdatesOptions,
  ) {
    super();
    this.name = options.name ?? 'victim-updates';
    this.reader = new CheckpointedReader(store, this.name, options.batchSize ?? 200, (event) => this.handle(event));
    this.sender = new ReactionSender(runner, this.name, SYSTEM_ACTOR);
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
    tolerateDisconnects(this.pool); // idle connections ended by the server; the next query reconnects
    this.timers = new UpdateTimers(this.pool, this.s);
    this.bail = new BailTimers(this.pool, this.s);
    this.allTimers = [this.bail, this.timers, new CpsActionTimers(this.pool, this.s), new AgreedUpdateTimers(this.pool, this.s)];
  }

  /** Reactions the domain refused (no longer applicable), for operators and tests. */
  get refused(): readonly RefusedReaction[] {
    return this.sender.refused;
  }

  static async open(
    store: EventStore & CheckpointStore & DeadLetterStore,
    runner: DecisionRunner,
    options: VictimUpdatesOptions,
  ): Promise<VictimUpdatesProcessManager> {
    await migrateSchema(options.databaseUrl, options.schema, PROCESS_MANAGER_MIGRATIONS, PROCESS_MANAGER_MIGRATIONS_TABLE);
    const manager = new VictimUpdatesProcessManager(store, runner, options);
    await manager.reader.load();
    // A deployment upgraded from before the bail timers: built once from the log up to its checkpoint.
    await manager.bail.buildFromLog(store, manager.position);
    return manager;
  }

  private get s(): string {
    return this.options.schema;
  }

  private command(force: string, cause: RecordedEvent | string, command: VictimCommand, at: string): Promise<void> {
    return this.sender.send(force, cause, victimStreamId(command.victimId), victimDecider, command, at);
  }

  private async handle(event: RecordedEvent): Promise<void> {
    for (const timer of this.allTimers) await timer.observe?.(event);
    const reaction = reactTo(event);
    if (!reaction) return;
    const force = event.metadata.force;
    const at = event.metadata.occurredAt;
    switch (reaction.kind) {
      case 'link-victim':
        return this.timers.link(reaction.caseId, reaction.victimId, force);
      case 'timer-set':
        // Counted when the row is new: a batch read again after a crash counts nothing twice.
        if (await this.timers.set(reaction, force)) dutiesOpened().inc({ force });
        return;
      case 'timer-cleared':
        if (await this.timers.clear(reaction.victimId, reaction.triggerEventId))
          dutiesEnded().inc({ force, outcome: OUTCOMES[event.type] ?? 'closed' });
        return;
      case 'command-victims':
        for (const victimId of await this.timers.victimsOf(reaction.caseId, force)) {
          await this.command(force, event, reaction.command(victimId), at);
        }
        return;
      case 'command-case':
        await this.sender.send(force, event, caseStreamId(reaction.command.caseId), caseDecider, reaction.command, at);
        return;
      default:
        return ((value: never) => value)(reaction);
    }
  }

  /**
   * Fires every timer whose time has come: the victim's stream records a missed deadline, once; a suspect's stream the
   * reminder that bail ends soon, or its lapse, once; a case's stream a CPS action overdue, once.
   */
  async fireDueTimers(): Promise<number> {
    const now = (this.options.clock?.() ?? systemClock.now()).toISOString();
    let sent = 0;
    for (const timer of this.allTimers) sent += await timer.fire(now, this.sender.send);
    return sent;
  }

  /** Open update duties by force, and how many are past their deadline (see `openUpdateDuties`). */
  openDuties(): Promise<OpenDuties[]> {
    return this.timers.open(this.options.clock?.() ?? systemClock.now());
  }

  /** One advisory lock per manager (name and schema): one instance acts at a time. */
  private get lockKey(): string {
    return `${this.s}.${this.name}`;
  }

  /**
   * Runs `work` holding this manager's lock, waiting for it while another instance holds it. A simulation holds
   * it for its whole run, so that a deployment's manager on the same store, whose clock says today, cannot judge
   * the simulated deadlines meanwhile (`run` takes the lock for each cycle and skips cycles while it is held).
   */
  async exclusively<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [this.lockKey]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockKey]);
      }
    } finally {
      client.release();
    }
  }

  /** One cycle of `run` if no other instance holds the lock: a batch of the log, then the timers when due. */
  private async cycle(state: { nextTimers: number; lockedOut: boolean }, timerEveryMs: number): Promise<number> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.lockKey]);
      if (!rows[0]?.locked) {
        state.lockedOut = true;
        return 0;
      }
      try {
        // Another instance (a simulation) moved the checkpoint meanwhile: carry on from it.
        if (state.lockedOut) await this.reader.load();
        state.lockedOut = false;
        const count = await this.processOnce();
        // Timer cadence is elapsed time, not the clock the deadlines are judged by (that one may be simulated).
        if (performance.now() >= state.nextTimers) {
          await this.fireDueTimers();
          state.nextTimers = performance.now() + timerEveryMs;
        }
        return count;
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockKey]);
      }
    } finally {
      client.release();
    }
  }

  /**
   * Runs until the signal aborts, from its checkpoint (read again on every start, so that its supervisor can
   * start it again after a fault: ADR 0021); `healthy` after each round that worked.
   */
  async run(signal: AbortSignal, timerEveryMs = 30_000, healthy: () => void = () => undefined): Promise<void> {
    await this.reader.load();
    const state = { nextTimers: 0, lockedOut: false };
    while (!signal.aborted) {
      const count = await this.cycle(state, timerEveryMs);
      healthy();
      if (count === 0) await idle(this.options.idlePollMs ?? 50, signal);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
