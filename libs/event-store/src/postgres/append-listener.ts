import pg from 'pg';
import type { AppendWakeup } from '../subscription.js';
import { appendChannel } from './migrations.js';
import { assertIdentifier } from './identifiers.js';

export interface PostgresAppendListenerOptions {
  readonly connectionString: string;
  readonly schema: string;
  /** Told when the listening connection fails (it is opened again on the next wait; the poll covers the gap). */
  readonly onError?: (error: Error) => void;
}

/**
 * Wakes a reader of the log when an append commits (ADR 0028): one dedicated connection LISTENs on the log's
 * channel (the store NOTIFYs there after each append commits, coalesced; ADR 0028). A notification
 * that arrives while nobody waits is remembered, so the next wait returns at once: an append between a reader's
 * last read and its wait is never slept through. The wait still ends after `ms` without one (the poll stays the
 * safety net: a dropped connection, a notification lost with it, an append by another path than the store).
 */
export class PostgresAppendListener implements AppendWakeup {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private pending = false;
  private waiters = new Set<() => void>();
  private closed = false;
  /** Notifications received (for tests and metrics). */
  notifications = 0;

  constructor(private readonly options: PostgresAppendListenerOptions) {
    assertIdentifier(options.schema);
  }

  /** Readers waiting now (for tests). */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Opens the listening connection now (otherwise the first wait does). */
  async start(): Promise<void> {
    await this.connect();
  }

  private connect(): Promise<void> {
    if (this.closed || this.client) return Promise.resolve();
    this.connecting ??= (async () => {
      // A database that does not answer must not hold the relay's wait: the poll carries on meanwhile.
      const client = new pg.Client({ connectionString: this.options.connectionString, connectionTimeoutMillis: 5000 });
      const drop = (error?: Error): void => {
        if (this.client !== client) return;
        this.client = undefined;
        if (error) this.options.onError?.(error);
        void client.end().catch(() => undefined);
      };
      client.on('error', drop);
      client.on('end', () => drop());
      client.on('notification', () => {
        this.notifications += 1;
        this.wake();
      });
      try {
        await client.connect();
        await client.query(`LISTEN "${appendChannel(this.options.schema)}"`);
        this.client = client;
        // Whatever committed before LISTEN took effect was not notified: the reader reads once more to be sure.
        this.wake();
      } catch (error) {
        this.options.onError?.(error as Error);
        await client.end().catch(() => undefined);
      }
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private wake(): void {
    if (this.waiters.size === 0) {
      this.pending = true;
      return;
    }
    for (const resolve of [...this.waiters]) resolve();
  }

  /** Resolves on the next committed append (or one since the last wait), after `ms`, or when the signal aborts. */
  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (!this.client && !this.closed) await this.connect();
    if (this.pending || signal?.aborted || this.closed) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
    this.pending = false;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const resolve of [...this.waiters]) resolve();
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

/**
 * Wakes the log's readers after an append has committed (ADR 0028): `pg_notify` in a statement of its own, never
 * inside the append's transaction, where it would hold PostgreSQL's notification-queue lock through the commit's
 * flush and make every append commit one at a time. Coalesced: while one notification is in flight, later appends
 * ask for a single next one, so a burst costs a few round trips, not one per append. Not awaited, and a failure is
 * dropped: a reader that misses it polls.
 */
export class AppendAnnouncer {
  private inFlight = false;
  private again = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
  ) {}

  announce(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.pool
      .query("SELECT pg_notify($1, '')", [this.channel])
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = false;
        if (this.again) {
          this.again = false;
          this.announce();
        }
      });
  }
}
