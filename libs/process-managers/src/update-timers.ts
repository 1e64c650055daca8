import type pg from 'pg';

export interface OpenDuties {
  readonly force: string;
  readonly open: number;
  readonly overdue: number;
}

/**
 * Open Victims' Code update duties by force (the manager's timers), and how many of them are past their deadline and
 * not yet judged: the timers fire every NOM_TIMER_INTERVAL_MS, so a healthy manager keeps that near zero (ADR 0038).
 */
export async function openUpdateDuties(pool: pg.Pool, schema: string, now: Date): Promise<OpenDuties[]> {
  const { rows } = await pool.query<{ force: string; open: string; overdue: string }>(
    `SELECT force, count(*) AS open, count(*) FILTER (WHERE due_by < $1) AS overdue FROM ${schema}.pm_update_timers GROUP BY force ORDER BY force`,
    [now.toISOString()],
  );
  return rows.map((r) => ({ force: r.force, open: Number(r.open), overdue: Number(r.overdue) }));
}
