import pg from 'pg';
import { caseDecider, caseStreamId } from '#cases-domain';
import { deterministicUuid, VictimEventTypes, type Decider, type DomainEvent, type ForceCode, type RecordedEvent } from '#contracts';
import {
  idle,
  migrateSchema,
  ReaderDeadLetters,
  tolerateDisconnects,
  type CheckpointStore,
  type DeadLetterStore,
  type EventStore,
} from '#event-store';
import { sharedCounter, systemClock, type DecisionRunner, type Identity } from '#platform';
import { suspectDecider, suspectStreamId } from '#suspects-domain';
import { victimDecider, victimStreamId, type VictimCommand } from '#victims-domain';
import { BailTimers, bailTimerChange } from './bail-timers.js';
import { AgreedUpdateTimers, agreedUpdateChange } from './agreed-update-timers.js';
import { CheckpointedReader } from './checkpointed-reader.js';
import { CpsActionTimers } from './cps-action-timers.js';
import { PROCESS_MANAGER_MIGRATIONS, PROCESS_MANAGER_MIGRATIONS_TABLE } from './migrations.js';
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
export class VictimUpdatesProcessManager {
  private readonly name: string;
  private readonly pool: pg.Pool;
  private readonly timers: UpdateTimers;
  private readonly bail: BailTimers;
  private readonly agreed: AgreedUpdateTimers;
  private readonly reader: CheckpointedReader;
  /** Reactions the domain refused (no longer applicable), for operators and tests. */
  readonly refused: { streamId: string; command: string; refusal: string; causeId: string }[] = [];

  private constructor(
    private readonly store: EventStore & CheckpointStore & DeadLetterStore,
    private readonly runner: DecisionRunner,
    private readonly options: VictimUpdatesOptions,
  ) {
    this.name = options.name ?? 'victim-updates';
    this.reader = new CheckpointedReader(store, this.name, options.batchSize ?? 200, (event) => this.handle(event));
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
    tolerateDisconnects(this.pool); // idle connections ended by the server; the next query reconnects
    this.timers = new UpdateTimers(this.pool, this.s);
    this.bail = new BailTimers(this.pool, this.s);
    this.agreed = new AgreedUpdateTimers(this.pool, this.s);
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

  private identity(force: string): Identity {
    return { force: force as ForceCode, officerId: SYSTEM_ACTOR, roles: ['supervisor'] };
  }

  /**
   * Sends a command caused by an event (at the event's time) or by a timer (a name, at the clock's time). A
   * refusal means the reaction no longer applies (e.g. the case was closed meanwhile): it is logged and
   * skipped, never retried forever; any other error stops the manager before its checkpoint moves.
   */
  private async send<C, E extends DomainEvent, S>(
    force: string,
    cause: RecordedEvent | string,
    streamId: string,
    decider: Decider<C, E, S>,
    command: C & { kind: string },
    at: string,
  ): Promise<void> {
    const causeId = typeof cause === 'string' ? cause : cause.id;
    try {
      await this.runner.run(streamId, decider, command, {
        identity: this.identity(force),
        correlationId: typeof cause === 'string' ? deterministicUuid(cause) : cause.metadata.correlationId,
        causationId: typeof cause === 'string' ? deterministicUuid(cause) : cause.id,
        occurredAt: at,
        idempotencyKey: `pm:${this.name}:${causeId}:${command.kind}`,
      });
    } catch (error) {
      const refusal = (error as { refusal?: unknown }).refusal;
      if (typeof refusal !== 'string') throw error;
      this.refused.push({ streamId, command: command.kind, refusal, causeId });
      if (this.refused.length > 100) this.refused.shift();
    }
  }

  private command(force: string, cause: RecordedEvent | string, command: VictimCommand, at: string): Promise<void> {
    return this.send(force, cause, victimStreamId(command.victimId), victimDecider, command, at);
  }

  private async handle(event: RecordedEvent): Promise<void> {
    const bailChange = bailTimerChange(event);
    if (bailChange) await this.bail.apply(bailChange, event.metadata.force);
    await new CpsActionTimers(this.pool, this.s).observe(event);
    const agreedChange = agreedUpdateChange(event);
    if (agreedChange) await this.agreed.apply(agreedChange, event.metadata.force);
    const reaction = reactTo(event);
    if (!reaction) return;
    const force = event.metadata.force;
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
          await this.command(force, event, reaction.command(victimId), event.metadata.occurredAt);
        }
        return;
      case 'command-case':
        await this.send(force, event, caseStreamId(reaction.command.caseId), caseDecider, reaction.command, event.metadata.occurredAt);
        return;
      default:
        return ((value: never) => value)(reaction);
    }
  }

  get position(): bigint {
    return this.reader.position;
  }

  /** Events it cannot read or react to (undecodable, undecryptable, not upcastable, failing): recorded and passed. */
  get deadLetters(): ReaderDeadLetters {
    return this.reader.deadLetters;
  }

  /** Processes one batch of the log; returns how many events it read (0: caught up). */
  processOnce(): Promise<number> {
    return this.reader.processOnce();
  }

  /** Processes until every committed event, including those its own reactions append, has been handled. */
  catchUp(): Promise<void> {
    return this.reader.catchUp();
  }

  /**
   * Fires every timer whose time has come: the victim's stream records a missed deadline, once; a suspect's stream the
   * reminder that bail ends soon, or its lapse, once; a case's stream a CPS action overdue, once.
   */
  async fireDueTimers(): Promise<number> {
    const now = (this.options.clock?.() ?? systemClock.now()).toISOString();
    const bails = await this.bail.dueChecks(now);
    for (const { force, cause, command } of bails) {
      await this.send(force, cause, suspectStreamId(command.suspectId), suspectDecider, command, now);
    }
    const duties = await this.timers.dueChecks(now);
    for (const { force, cause, command } of duties) await this.command(force, cause, command, now);
    const actions = await new CpsActionTimers(this.pool, this.s).fire(now, this.send.bind(this));
    const agreed = await this.agreed.dueChecks(now);
    for (const { force, cause, command } of agreed) await this.command(force, cause, command, now);
    return duties.length + bails.length + actions + agreed.length;
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
