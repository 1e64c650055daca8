import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { NATIONAL, type Decider, type DomainEvent, type NewEvent } from '#contracts';
import type { Counter, Histogram } from 'prom-client';
import {
  StreamForceMismatchError,
  ModelsInForce,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
} from '#event-store';
import { CLOCK, systemClock, type Clock } from './clock.js';
import { idempotentEventId } from './idempotency.js';
import { sharedCounter, sharedHistogram } from './metrics.js';
import type { Identity } from './identity.js';
import { EVENT_STORE } from './tokens.js';

export interface DecisionContext {
  readonly identity: Identity;
  readonly correlationId: string;
  /** The event that caused this command (process managers); defaults to the correlation id. */
  readonly causationId?: string;
  /** The revision the caller read (If-Match); a stale one is a 409 with the current revision. */
  readonly ifMatch?: bigint;
  /** When the fact happened; defaults to the injected clock's now (the simulator and imports of history state it). */
  readonly occurredAt?: string;
  /** Makes the appended events' ids deterministic, so a retried command stores nothing twice. */
  readonly idempotencyKey?: string | undefined;
}

export interface Decision<S> {
  readonly state: S;
  /** Revision of the stream after the decision; undefined when the stream is still empty. */
  readonly revision: bigint | undefined;
  readonly appended: number;
}

export interface Loaded<S> {
  readonly state: S;
  readonly revision: bigint | undefined;
}

/**
 * The one generic command path (STYLE.md habit 4): load the stream, fold with `evolve`, `decide`, append
 * with the expected revision. Time, ids and the actor are added here, never inside the domain.
 */
@Injectable()
export class DecisionRunner {
  /** The operating model in force for each decision (ADR 0043). */
  readonly models: ModelsInForce;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {
    this.models = new ModelsInForce(store);
  }

  /** Loads and folds a stream owned by the caller's force (another force's stream reads as not found). */
  async load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>, identity: Identity): Promise<Loaded<S>> {
    let state = decider.initialState;
    let revision: bigint | undefined;
    for await (const event of this.store.readStream(streamId)) {
      if (event.metadata.force !== identity.force) throw new StreamForceMismatchError(streamId, identity.force);
      state = decider.evolve(state, event as unknown as E);
      revision = event.revision;
    }
    return { state, revision };
  }

  /**
   * Loads and folds a national stream (metadata.force `national`: reference data such as the operating model's
   * published versions) for any caller, of any force: every force may read it, only the national team writes it
   * (through `run`). A stream with an event of any force reads as not found, so this never opens a force's stream.
   */
  async loadShared<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<Loaded<S>> {
    let state = decider.initialState;
    let revision: bigint | undefined;
    for await (const event of this.store.readStream(streamId)) {
      if (event.metadata.force !== NATIONAL) throw new StreamForceMismatchError(streamId, NATIONAL);
      state = decider.evolve(state, event as unknown as E);
      revision = event.revision;
    }
    return { state, revision };
  }

  async run<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: DecisionContext,
  ): Promise<Decision<S>> {
    const occurredAt = context.occurredAt ?? this.clock.now().toISOString();
    // The stream and the rules of the version the force had adopted when the fact happened, not when it is
    // recorded (ADR 0043), read side by side: two short indexed reads, one round trip's wait.
    const [{ state, revision }, model] = await Promise.all([
      this.load(streamId, decider, context.identity),
      this.models.at(context.identity.force, occurredAt),
    ]);
    if (context.ifMatch !== undefined && context.ifMatch !== revision) {
      appendConflicts().inc({ cause: 'if-match' });
      throw new WrongExpectedRevisionError(streamId, context.ifMatch, revision);
    }
    const events = decider.decide(command, state, model);
    if (events.length === 0) return { state, revision, appended: 0 };
    const key = context.idempotencyKey;
    const newEvents: NewEvent[] = events.map((event, index) => ({
      id: key ? idempotentEventId(context.identity.force, key, streamId, index) : randomUUID(),
      type: event.type,
      data: event.data,
      metadata: {
        force: context.identity.force,
        occurredAt,
        correlationId: context.correlationId,
        causationId: context.causationId ?? context.correlationId,
        actor: context.identity.officerId,
        modelVersion: model.version,
        classification: 'OFFICIAL-SENSITIVE',
      },
    }));
    const result = await this.timedAppend(streamId, newEvents, revision ?? 'no-stream');
    return { state: events.reduce((s, e) => decider.evolve(s, e), state), revision: result.nextExpectedRevision, appended: events.length };
  }

  /** The append, timed by outcome; a concurrent writer's conflict counted (ADR 0038). */
  private async timedAppend(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const stop = appendDuration().startTimer();
    try {
      const result = await this.store.append(streamId, events, expected);
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      const conflict = error instanceof WrongExpectedRevisionError;
      stop({ outcome: conflict ? 'conflict' : 'error' });
      if (conflict) appendConflicts().inc({ cause: 'concurrent-append' });
      throw error;
    }
  }
}

/** Append latency by outcome (ok, conflict, error), seconds; the stream's optimistic-concurrency conflicts by cause. */
const appendDuration = (): Histogram<'outcome'> =>
  sharedHistogram(
    'nom_event_store_append_duration_seconds',
    "A command's append to the event store, by outcome (ok, conflict, error).",
    ['outcome'],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
const appendConflicts = (): Counter<'cause'> =>
  sharedCounter(
    'nom_event_store_append_conflicts_total',
    'Commands refused for a stale revision: If-Match on an older one, or a concurrent append.',
    ['cause'],
  );
