import pg from 'pg';
import { LEADER_LOCK_CLASS, PostgresLeaderLock, type Leadership } from '#event-store';
import { requiredEnv, uniqueName, waitFor } from '#testing';

const databaseUrl = requiredEnv('DATABASE_URL');

/** The backbone's singletons' leader lock (ADR 0037), against the real PostgreSQL: one holder, the others wait. */
describe('PostgresLeaderLock', () => {
  const stop = new AbortController();
  const held: Leadership[] = [];
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
  });

  afterAll(async () => {
    stop.abort();
    for (const leadership of held) await leadership.release();
    await admin.end();
  });

  /** The pid of the session holding the named lock, if any. */
  async function holderPid(name: string): Promise<number | undefined> {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::int = $1 AND objid::int = hashtext($2)`,
      [LEADER_LOCK_CLASS, name],
    );
    return rows[0]?.pid;
  }

  it('lets one replica lead while the other waits on standby, and hands over when the leader releases', async () => {
    const name = uniqueName('lead');
    const first = new PostgresLeaderLock({ connectionString: databaseUrl, name, retryMs: 100 });
    const second = new PostgresLeaderLock({ connectionString: databaseUrl, name, retryMs: 100 });
    const leader = await first.acquire(stop.signal);
    expect(leader).toBeDefined();
    held.push(leader!);

    let standby = 0;
    const waiting = second.acquire(stop.signal, () => (standby += 1));
    await waitFor('the second replica to be on standby', () => standby === 1);
    expect(leader!.lost.aborted).toBe(false);

    await leader!.release();
    const next = await waiting;
    expect(next).toBeDefined();
    held.push(next!);
    expect(standby).toBe(1);
    expect(await holderPid(name)).toBeDefined();
  });

  it('tells the leader it lost the lock when its session is terminated, and the standby takes over', async () => {
    const name = uniqueName('lead');
    const first = new PostgresLeaderLock({ connectionString: databaseUrl, name, retryMs: 100 });
    const second = new PostgresLeaderLock({ connectionString: databaseUrl, name, retryMs: 100 });
    const leader = (await first.acquire(stop.signal))!;
    held.push(leader);
    let standby = false;
    const waiting = second.acquire(stop.signal, () => (standby = true));
    await waitFor('the standby', () => standby);

    const pid = await holderPid(name);
    expect(pid).toBeDefined();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);

    await waitFor('the leader to learn it lost the lock', () => leader.lost.aborted);
    const next = await waiting;
    expect(next).toBeDefined();
    held.push(next!);
    expect(await holderPid(name)).not.toBe(pid);
  });

  it('keeps locks of different names apart, and gives up waiting when told to stop', async () => {
    const a = (await new PostgresLeaderLock({ connectionString: databaseUrl, name: uniqueName('a'), retryMs: 100 }).acquire(stop.signal))!;
    const b = (await new PostgresLeaderLock({ connectionString: databaseUrl, name: uniqueName('b'), retryMs: 100 }).acquire(stop.signal))!;
    held.push(a, b);
    expect([a.lost.aborted, b.lost.aborted]).toEqual([false, false]);

    const name = uniqueName('c');
    held.push((await new PostgresLeaderLock({ connectionString: databaseUrl, name, retryMs: 100 }).acquire(stop.signal))!);
    const cancel = new AbortController();
    let standby = false;
    const waiting = new PostgresLeaderLock({ connectionString: databaseUrl, name, retryMs: 100 }).acquire(
      cancel.signal,
      () => (standby = true),
    );
    await waitFor('the standby', () => standby);
    cancel.abort();
    expect(await waiting).toBeUndefined();
  });
});
