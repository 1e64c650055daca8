import pg from 'pg';
import { idle } from '../subscription.js';

/**
 * A leader lock for the backbone's singletons (the relay, the process manager, the national views, the sealer; ADR
 * 0037): a PostgreSQL session advisory lock held on a connection of its own. Every replica asks for it; one holds it
 * and works, the others wait (standby) and ask again every `retryMs`. The lock lives exactly as long as the holder's
 * session: a process killed, a connection cut or terminated (pg_terminate_backend) releases it at once on the server,
 * and the holder learns it by its connection's error or the next heartbeat, and stops working (`lost` aborts).
 */
export interface LeaderLockOptions {
  readonly connectionString: string;
  /** What is led, unique per singleton and deployment (e.g. `relay:<event store schema>`). */
  readonly name: string;
  /** How often a standby asks again, and the holder checks its session (default 1000 ms). */
  readonly retryMs?: number;
}

export interface Leadership {
  /** Aborts when the lock is lost (the session ended or stopped answering): stop working at once. */
  readonly lost: AbortSignal;
  /** Ends the session, releasing the lock. */
  release(): Promise<void>;
}

/** The two int4 keys of the advisory lock: a fixed class for the backbone's leader locks, and the name's hash. */
export const LEADER_LOCK_CLASS = 0x4e4f4d4c; // 'NOML'

export class PostgresLeaderLock {
  constructor(private readonly options: LeaderLockOptions) {}

  get name(): string {
    return this.options.name;
  }

  /**
   * Waits until this process holds the lock (`onStandby` once, when another holds it), or the signal aborts
   * (undefined). Connection failures while waiting are thrown: the caller's supervisor retries with backoff.
   */
  async acquire(signal: AbortSignal, onStandby: () => void = () => undefined): Promise<Leadership | undefined> {
    const retryMs = this.options.retryMs ?? 1000;
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: `nom-leader:${this.options.name}` });
    const failed = new AbortController();
    client.on('error', (error) => failed.abort(error));
    client.on('end', () => failed.abort(new Error(`leader lock session of ${this.options.name} ended`)));
    await client.connect();
    let held = false;
    try {
      let told = false;
      while (!signal.aborted) {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
          LEADER_LOCK_CLASS,
          this.options.name,
        ]);
        if (rows[0]?.ok) {
          held = true;
          return this.lead(client, failed, retryMs);
        }
        if (!told) onStandby();
        told = true;
        await idle(retryMs, signal);
      }
      return undefined;
    } finally {
      if (!held) await client.end().catch(() => undefined);
    }
  }

  /** Holds the lock: a heartbeat checks the session every `retryMs`; any failure aborts `lost`. */
  private lead(client: pg.Client, failed: AbortController, retryMs: number): Leadership {
    const lost = new AbortController();
    const lose = (reason: unknown): void => {
      if (!lost.signal.aborted) lost.abort(reason);
    };
    if (failed.signal.aborted) lose(failed.signal.reason);
    failed.signal.addEventListener('abort', () => lose(failed.signal.reason), { once: true });
    const heartbeat = setInterval(() => {
      client.query('SELECT 1').catch(lose);
    }, retryMs);
    heartbeat.unref();
    let released = false;
    return {
      lost: lost.signal,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        lose(new Error('released'));
        await client.end().catch(() => undefined);
      },
    };
  }
}

/** Thrown by a singleton's loop when its leader lock was lost: transient, the supervisor asks for the lock again. */
export class LeadershipLostError extends Error {
  override readonly name = 'LeadershipLostError';
  constructor(
    lockName: string,
    override readonly cause?: unknown,
  ) {
    super(`lost the leader lock ${lockName}${cause instanceof Error ? `: ${cause.message}` : ''}`);
  }
}
