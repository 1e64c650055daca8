import type pg from 'pg';
import { victimDecider, victimStreamId, type VictimCommand } from '#victims-domain';
import { sendDue, type ManagerTimer, type Send } from './reaction-sender.js';

export interface OpenDuties {
  readonly force: string;
  readonly open: number;
  readonly overdue: number;
}

/**
 * The process manager's own tables: which victims belong to a case (`pm_case_victims`) and the open Victims' Code
 * update-duty timers (`pm_update_timers`), built from the log so that they survive restarts. Every write is idempotent
 * (a batch read again after a crash changes nothing) and says whether it changed a row, so that what is counted is
 * counted once.
 */
export class UpdateTimers implements ManagerTimer {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  /** The victims whose update deadline has passed, to their streams (the rows are kept by the manager's policy). */
  async fire(now: string, send: Send): Promise<number> {
    return sendDue(await this.dueChecks(now), now, send, ({ command }) => ({
      streamId: victimStreamId(command.victimId),
      decider: victimDecider,
    }));
  }

  async link(caseId: string, victimId: string, force: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.pm_case_victims (case_id, victim_id, force) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [caseId, victimId, force],
    );
  }

  /** The case's victims, of the same force only (a case and its victims belong to one force). */
  async victimsOf(caseId: string, force: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ victim_id: string }>(
      `SELECT victim_id FROM ${this.schema}.pm_case_victims WHERE case_id = $1 AND force = $2 ORDER BY victim_id`,
      [caseId, force],
    );
    return rows.map((r) => r.victim_id);
  }

  /** Sets a timer; true when it was not there yet. */
  async set(timer: { victimId: string; triggerEventId: string; caseId: string; dueBy: string }, force: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${this.schema}.pm_update_timers (victim_id, trigger_event_id, case_id, force, due_by)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [timer.victimId, timer.triggerEventId, timer.caseId, force, timer.dueBy],
    );
    return rowCount === 1;
  }

  /** Clears a timer; true when it was there. */
  async clear(victimId: string, triggerEventId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.schema}.pm_update_timers WHERE victim_id = $1 AND trigger_event_id = $2`,
      [victimId, triggerEventId],
    );
    return rowCount === 1;
  }

  /** The deadline checks due at `now` (an ISO instant): a victim's stream with a timer past its deadline, with the cause. */
  async dueChecks(now: string): Promise<{ force: string; cause: string; command: VictimCommand }[]> {
    return (await this.due(new Date(now))).map((row) => ({
      force: row.force,
      cause: `timer:${row.victim_id}:${now}`,
      command: { kind: 'check-deadlines', caseId: row.case_id, victimId: row.victim_id, now },
    }));
  }

  /** The victims (with case and force) with a timer past its deadline at `now`. */
  async due(now: Date): Promise<{ victim_id: string; case_id: string; force: string }[]> {
    const { rows } = await this.pool.query<{ victim_id: string; case_id: string; force: string }>(
      `SELECT DISTINCT victim_id, case_id, force FROM ${this.schema}.pm_update_timers WHERE due_by < $1`,
      [now.toISOString()],
    );
    return rows;
  }

  /**
   * Open update duties by force, and how many of them are past their deadline and not yet judged: the timers fire
   * every NOM_TIMER_INTERVAL_MS, so a healthy manager keeps that near zero (the metrics of ADR 0038).
   */
  async open(now: Date): Promise<OpenDuties[]> {
    const { rows } = await this.pool.query<{ force: string; open: string; overdue: string }>(
      `SELECT force, count(*) AS open, count(*) FILTER (WHERE due_by < $1) AS overdue
       FROM ${this.schema}.pm_update_timers GROUP BY force ORDER BY force`,
      [now.toISOString()],
    );
    return rows.map((r) => ({ force: r.force, open: Number(r.open), overdue: Number(r.overdue) }));
  }
}
