import { deterministicUuid, type Decider, type DomainEvent, type ForceCode, type RecordedEvent } from '#contracts';
import { WrongExpectedRevisionError } from '#event-store';
import type { DecisionRunner } from '#platform';

/**
 * A process manager's decision path: a command caused by an event (at the event's time) or by a timer (a name, at
 * the clock's time), sent through the ordinary decision path and idempotent by its cause.
 */
export type Send = <C, E extends DomainEvent, S>(
  force: string,
  cause: RecordedEvent | string,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C & { readonly kind: string },
  at: string,
) => Promise<void>;

/** A reaction the domain refused (it no longer applies), for operators and tests. */
export interface RefusedReaction {
  readonly streamId: string;
  readonly command: string;
  readonly refusal: string;
  readonly causeId: string;
}

/** A check a timer found due: the force, its cause (one per timer and due time) and the command to send. */
export interface DueCheck<C> {
  readonly force: string;
  readonly cause: string;
  readonly command: C;
}

/**
 * A timer a process manager keeps from the log (rows in its tables) and fires when its clock says: `observe` keeps
 * the rows as the manager reads each event (absent when the manager's policy keeps them itself), `fire` sends what
 * is due through the manager's `send` and says how many it sent.
 */
export interface ManagerTimer {
  observe?(event: RecordedEvent): Promise<void>;
  fire(now: string, send: Send): Promise<number>;
}

/** Sends each due check to the stream and decider `target` names for it: how many it sent. */
export async function sendDue<C, K extends C & { readonly kind: string }, E extends DomainEvent, S>(
  due: readonly DueCheck<K>[],
  now: string,
  send: Send,
  target: (check: DueCheck<K>) => { readonly streamId: string; readonly decider: Decider<C, E, S> },
): Promise<number> {
  for (const check of due) {
    const { streamId, decider } = target(check);
    await send(check.force, check.cause, streamId, decider, check.command, now);
  }
  return due.length;
}

/**
 * Sends a manager's commands as its system actor. The correlation and causation ids come from the cause (the event,
 * or a timer's name made a UUID), the idempotency key is `pm:<manager>:<cause>:<command>`, so a command sent again
 * after a crash records nothing twice. A refusal means the reaction no longer applies (e.g. the case was closed
 * meanwhile): it is kept (the last 100) and skipped, never retried forever. Any other error, a concurrent append
 * included, propagates and stops the manager before its checkpoint moves.
 */
export class ReactionSender {
  readonly refused: RefusedReaction[] = [];

  constructor(
    private readonly runner: DecisionRunner,
    private readonly manager: string,
    private readonly actor: string,
  ) {}

  readonly send: Send = async (force, cause, streamId, decider, command, at) => {
    const causeId = typeof cause === 'string' ? cause : cause.id;
    const derived = typeof cause === 'string' ? deterministicUuid(cause) : undefined;
    try {
      await this.runner.run(streamId, decider, command, {
        identity: { force: force as ForceCode, officerId: this.actor, roles: ['supervisor'] },
        correlationId: typeof cause === 'string' ? derived! : cause.metadata.correlationId,
        causationId: derived ?? causeId,
        occurredAt: at,
        idempotencyKey: `pm:${this.manager}:${causeId}:${command.kind}`,
      });
    } catch (error) {
      const refusal = (error as { refusal?: unknown }).refusal;
      if (typeof refusal !== 'string' || error instanceof WrongExpectedRevisionError) throw error;
      this.refused.push({ streamId, command: command.kind, refusal, causeId });
      if (this.refused.length > 100) this.refused.shift();
    }
  };
}
