import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import type { ForceCode } from '#contracts';
import { kafkaAuth, log, now } from './common.js';

/** The force the command-path benches send their commands to. */
export const FORCE: ForceCode = 'avon-somerset';

/*
 * The command-to-projection bench's instruments: the open-loop sender, the watcher that sees each case reach the read
 * model, and the reader of the relay's Kafka timestamps for the stage breakdown.
 */

export interface Command {
  readonly caseId: string;
  /** performance.now() and Date.now() when the request was handed to the socket layer. */
  readonly sentAt: number;
  readonly sentWall: number;
  /** How late the send was against its schedule (open loop). */
  readonly sendLagMs: number;
  respondedAt?: number;
  status?: number;
  projectedAt?: number;
  projectedWall?: number;
}

/** What sees each accepted command's case reach the force's read model. */
export interface CaseWatcher {
  /** Watches an accepted command's case (its row may already have been seen). */
  watch(command: Command): void;
  /** Resolves true when nothing is pending, or false after `timeoutMs`. */
  drained(timeoutMs: number, signal: AbortSignal): Promise<boolean>;
  stop(): Promise<void>;
}

/** True once `pending` is empty, false after `timeoutMs` or an abort; `check` may throw to end the wait. */
async function untilNonePending(
  pending: ReadonlyMap<string, Command>,
  timeoutMs: number,
  signal: AbortSignal,
  check: () => void = () => undefined,
): Promise<boolean> {
  const deadline = now() + timeoutMs;
  while (pending.size > 0) {
    check();
    if (now() > deadline || signal.aborted) return false;
    await sleep(10);
  }
  return true;
}

/**
 * Sees each case's row become visible in the force's read model when the projector's transaction commits: a trigger
 * the bench adds to the investigations table notifies the case id (`pg_notify`, delivered at commit, when readers can
 * first see the row), heard on a connection of the bench's own (LISTEN). Nothing polls: unlike the table poll, it puts
 * no load on PostgreSQL while it measures, and its time is the commit's, not the next poll's. The trigger costs the
 * projector's transaction one notification a case. A row seen before the command's response is remembered until then.
 */
export class CommitWatcher implements CaseWatcher {
  private readonly pending = new Map<string, Command>();
  private readonly early = new Map<string, { readonly at: number; readonly wall: number }>();
  private failure: Error | undefined;

  private constructor(private readonly client: pg.Client) {}

  /** Adds the trigger to `schema`'s live investigations table (dropped with the schema) and listens. */
  static async open(databaseUrl: string, schema: string): Promise<CommitWatcher> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.view_table_usage WHERE view_schema = $1 AND view_name = 'investigations'`,
        [schema],
      );
      if (rows.length !== 1) throw new Error(`${schema}.investigations is not a view of one table (${rows.length})`);
      const channel = `${schema}_seen`;
      await client.query(`
        CREATE FUNCTION ${schema}.bench_case_seen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('${channel}', NEW.case_id::text); RETURN NULL; END $$;
        CREATE TRIGGER bench_case_seen AFTER INSERT OR UPDATE ON ${schema}."${rows[0]!.table_name}"
          FOR EACH ROW EXECUTE FUNCTION ${schema}.bench_case_seen();
        LISTEN "${channel}"`);
      const watcher = new CommitWatcher(client);
      client.on('notification', (n) => watcher.seen(n.payload ?? ''));
      client.on('error', (error) => (watcher.failure ??= error));
      return watcher;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private seen(caseId: string): void {
    const at = now();
    const wall = Date.now();
    const command = this.pending.get(caseId);
    if (command === undefined) {
      if (!this.early.has(caseId)) this.early.set(caseId, { at, wall });
      return;
    }
    command.projectedAt = at;
    command.projectedWall = wall;
    this.pending.delete(caseId);
  }

  watch(command: Command): void {
    const early = this.early.get(command.caseId);
    if (early === undefined) {
      this.pending.set(command.caseId, command);
      return;
    }
    this.early.delete(command.caseId);
    command.projectedAt = early.at;
    command.projectedWall = early.wall;
  }

  drained(timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return untilNonePending(this.pending, timeoutMs, signal, () => {
      if (this.failure) throw new Error(`the commit watcher's connection failed: ${this.failure.message}`);
    });
  }

  async stop(): Promise<void> {
    await this.client.end();
  }
}

/**
 * Watches the read model for pending case ids: ONE shared loop, one query per pass over all pending ids,
 * at most ~2 ms apart. The detection time is the start of the query that first saw the row (its snapshot).
 */
export class ProjectionWatcher implements CaseWatcher {
  readonly pending = new Map<string, Command>();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly find: (ids: string[]) => Promise<string[]>,
    private readonly pollMs: number,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.pending.size === 0) {
        await sleep(this.pollMs);
        continue;
      }
      const t = now();
      const w = Date.now();
      const found = await this.find([...this.pending.keys()]);
      for (const id of found) {
        const command = this.pending.get(id);
        if (!command) continue;
        command.projectedAt = t;
        command.projectedWall = w;
        this.pending.delete(id);
      }
      await sleep(this.pollMs);
    }
  }

  watch(command: Command): void {
    this.pending.set(command.caseId, command);
  }

  /** Resolves when nothing is pending, or false after `timeoutMs`. */
  drained(timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return untilNonePending(this.pending, timeoutMs, signal);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/**
 * Kafka CreateTime of each record (by key = stream id) on `topic`: when the relay's producer built the batch.
 * Read after the run with a throw-away consumer group, which is deleted afterwards.
 */
export async function recordTimestamps(
  brokers: readonly string[],
  topic: string,
  wanted: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<Map<string, number>> {
  const kafka = new Kafka({ clientId: 'nom-bench-reader', brokers: [...brokers], logLevel: logLevel.WARN, ...kafkaAuth() });
  const groupId = `${topic}.bench-reader`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const stamps = new Map<string, number>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ message }) => {
        const key = message.key?.toString();
        if (key && wanted.has(key)) stamps.set(key, Number(message.timestamp));
        return Promise.resolve();
      },
    });
    const deadline = now() + 30_000;
    while (stamps.size < wanted.size && now() < deadline && !signal.aborted) await sleep(50);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect());
  }
  if (stamps.size < wanted.size) log(`command-to-projection: found Kafka timestamps for ${stamps.size} of ${wanted.size} records`);
  return stamps;
}

/** Sends `rate` commands/s for `seconds` by the clock (open loop: never waits for a response before sending). */
export async function openLoop(rate: number, seconds: number, fire: (lagMs: number) => void, signal: AbortSignal): Promise<void> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const start = now();
  let sent = 0;
  while (sent < total && !signal.aborted) {
    const t = now();
    const due = Math.min(total, Math.floor((t - start) / interval) + 1);
    while (sent < due) {
      fire(t - (start + sent * interval));
      sent += 1;
    }
    const nextAt = start + sent * interval;
    await sleep(Math.max(0, nextAt - now()));
  }
}

/**
 * POST /forces/{FORCE}/cases for a new case, as the command-to-projection and soak benches send it: `onSent` is given
 * its case id as it goes; resolves with the HTTP status once the response has ended (0: no response, logged under
 * `bench`'s name).
 */
export function postCase(agent: http.Agent, port: number, token: string, bench: string, onSent: (caseId: string) => void): Promise<number> {
  const caseId = randomUUID();
  const body = JSON.stringify({
    caseId,
    crimeReference: 'AS/26/000001',
    offence: 'sexual-assault',
    offenceCode: '20A',
    reportedAt: new Date().toISOString(),
  });
  onSent(caseId);
  return new Promise<number>((resolve) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` };
    const request = http.request(
      { host: '127.0.0.1', port, path: `/forces/${FORCE}/cases`, method: 'POST', agent, headers },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', (error) => {
      log(`${bench}: request failed: ${error.message}`);
      resolve(0);
    });
    request.end(body);
  });
}
