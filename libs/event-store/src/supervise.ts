import { idle } from './subscription.js';
import { isTransientError } from './transient-errors.js';

/** Capped exponential backoff with jitter (ADR 0021). */
export interface Backoff {
  /** The ceiling of the first retry's delay. */
  readonly initialMs: number;
  /** No delay is ever longer than this. */
  readonly maxMs: number;
  /** Growth of the ceiling per failed attempt (default 2). */
  readonly factor?: number;
  /** A number in [0, 1) (default Math.random); a test injects its own. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 30_000, factor: 2 };

/**
 * The delay before retry number `attempt` (1, 2, ...): the ceiling grows `factor`-fold per attempt up to `maxMs`,
 * and the delay is drawn between half the ceiling and the ceiling ("equal jitter"), so that processes which
 * lost the same server at the same instant do not all come back at the same instant.
 */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * (backoff.factor ?? 2) ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + ((backoff.random ?? Math.random)() * ceiling) / 2);
}

/**
 * A loop's state as readiness reports it: `starting` until its first step succeeds, `running` while steps
 * succeed, `retrying` after a transient fault (a server away), `failing` after an error that is not transient
 * (a bug: it is retried too, loudly), `stopped` once its signal aborted, `standby` while a singleton waits for its
 * leader lock (ready: a replica that waits is healthy, and takes over when the leader goes; ADR 0037).
 */
export type LoopStatus = 'starting' | 'running' | 'retrying' | 'failing' | 'stopped' | 'standby';

export interface LoopState {
  readonly name: string;
  readonly state: LoopStatus;
  readonly ready: boolean;
  /** Failed attempts in a row (0 while running). */
  readonly attempt: number;
  /** The last error, kept after recovery for the operator (one line: name and message). */
  readonly lastError?: string;
  readonly lastErrorAt?: string;
  /** When the current state began (ISO 8601). */
  readonly since: string;
  /** The delay before the next attempt, while retrying or failing. */
  readonly retryInMs?: number;
}

/** What a supervised loop's body gets: the signal to stop on, and `healthy()` to call after each step that worked. */
export interface LoopContext {
  readonly signal: AbortSignal;
  /** The loop made progress: it is ready, and the next failure starts the backoff from the beginning. Cheap. */
  readonly healthy: () => void;
  /** A fault the body's own client recovers from (a Kafka consumer restarting itself): not ready until `healthy()`. */
  readonly unhealthy: (error: unknown) => void;
  /** A singleton waiting for its leader lock (ADR 0037): ready, not working, until `healthy()`. */
  readonly standby: () => void;
}

export interface SuperviseOptions {
  readonly signal: AbortSignal;
  readonly backoff?: Backoff;
  /** Every change of state (readiness registers it). */
  readonly onState?: (state: LoopState) => void;
  /** Every failure, with the state it led to (the service logs it: warn when transient, error when not). */
  readonly onError?: (error: unknown, state: LoopState) => void;
  readonly isTransient?: (error: unknown) => boolean;
  /** Waits between attempts (default: `idle`, cut short by the signal). */
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly clock?: () => Date;
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);

/**
 * Runs `body` until `signal` aborts, whatever it throws. The body is a loop that starts from its checkpoint
 * (reading it again on every start) and calls `healthy()` after each step that worked. When it throws, the
 * supervisor reports the loop not ready with the error, waits a capped, jittered, growing delay, and starts it
 * again: a fault that heals (database restarted, broker away, connection cut) never stops a loop. An error
 * that is not transient is a bug (data faults are dead-lettered inside the readers): it is retried the same
 * way, reported as `failing` so that readiness and the logs say so loudly, and never takes the process down
 * (ADR 0021). A body that returns before the signal aborts has finished: the loop is reported stopped.
 */
export async function superviseLoop(name: string, body: (loop: LoopContext) => Promise<void>, options: SuperviseOptions): Promise<void> {
  const { signal } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const transient = options.isTransient ?? isTransientError;
  const wait = options.wait ?? idle;
  const now = (): string => (options.clock ?? (() => new Date()))().toISOString();
  let state: LoopState = { name, state: 'starting', ready: false, attempt: 0, since: now() };
  const set = (next: Omit<LoopState, 'name' | 'since'>): void => {
    state = { name, ...next, since: now() };
    options.onState?.(state);
  };
  options.onState?.(state);
  const keep = (): Pick<LoopState, 'lastError' | 'lastErrorAt'> =>
    state.lastError === undefined ? {} : { lastError: state.lastError, ...(state.lastErrorAt ? { lastErrorAt: state.lastErrorAt } : {}) };
  const context: LoopContext = {
    signal,
    healthy: () => {
      if (state.state !== 'running') set({ state: 'running', ready: true, attempt: 0, ...keep() });
    },
    standby: () => {
      if (state.state !== 'standby') set({ state: 'standby', ready: true, attempt: 0, ...keep() });
    },
    unhealthy: (error) => {
      set({
        state: transient(error) ? 'retrying' : 'failing',
        ready: false,
        attempt: state.attempt + 1,
        lastError: describe(error),
        lastErrorAt: now(),
      });
      options.onError?.(error, state);
    },
  };
  while (!signal.aborted) {
    try {
      await body(context);
      break;
    } catch (error) {
      if (signal.aborted) break;
      const attempt = state.attempt + 1;
      const retryInMs = backoffDelay(backoff, attempt);
      set({
        state: transient(error) ? 'retrying' : 'failing',
        ready: false,
        attempt,
        lastError: describe(error),
        lastErrorAt: now(),
        retryInMs,
      });
      options.onError?.(error, state);
      await wait(retryInMs, signal);
    }
  }
  set({ state: 'stopped', ready: false, attempt: 0, ...keep() });
}

/** The loops of a process and their states: what readiness reports. */
export class LoopRegistry {
  private readonly states = new Map<string, LoopState>();

  /** Records a loop's state (pass as `onState`). */
  readonly report = (state: LoopState): void => {
    this.states.set(state.name, state);
  };

  /** Forgets a loop that ended for good (a service shut down). */
  remove(name: string): void {
    this.states.delete(name);
  }

  snapshot(): LoopState[] {
    return [...this.states.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** True when every registered loop is ready (none registered: ready). */
  ready(): boolean {
    return [...this.states.values()].every((s) => s.ready);
  }
}
