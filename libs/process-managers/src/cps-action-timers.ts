import type pg from 'pg';
import { caseDecider, caseStreamId, overdueFrom, type CaseCommand } from '#cases-domain';
import { CaseEventTypes as C, type RecordedEvent } from '#contracts';
import type { ManagerTimer, Send } from './reaction-sender.js';

/**
 * What a case event means for the CPS action timers (issue 13; docs/cps-rules.md): an action plan (early advice, or a
 * decision asking for further investigation or charging on the Threshold Test) sets a timer per action, due the first
 * instant after its due day (UK time); the action completed, or recorded overdue, clears it.
 */
export type CpsActionTimerChange =
  | { readonly kind: 'set'; readonly caseId: string; readonly actions: readonly { readonly actionId: string; readonly dueBy: string }[] }
  | { readonly kind: 'cleared'; readonly caseId: string; readonly actionId: string };

export function cpsActionTimerChange(event: RecordedEvent): CpsActionTimerChange | undefined {
  const data = event.data as { caseId: string; actionId?: string; actionPlan?: { actionId: string; dueBy: string }[] };
  switch (event.type) {
    case C.CpsEarlyAdviceGiven:
    case C.SuspectChargingDecisionMade:
      return data.actionPlan?.length ? { kind: 'set', caseId: data.caseId, actions: data.actionPlan } : undefined;
    case C.CpsActionCompleted:
    case C.CpsActionOverdue:
      return { kind: 'cleared', caseId: data.caseId, actionId: data.actionId! };
    default:
      return undefined;
  }
}

/**
 * The open CPS actions' timers (`pm_cps_action_timers`, one row per action), built from the log as the manager reads
 * it. No build from the log is needed on an upgraded deployment: the events that set them are new with the table.
 */
export class CpsActionTimers implements ManagerTimer {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  /** Keeps the timers as the manager reads the log. */
  async observe(event: RecordedEvent): Promise<void> {
    const change = cpsActionTimerChange(event);
    if (change) await this.apply(change, event.metadata.force);
  }

  async apply(change: CpsActionTimerChange, force: string): Promise<void> {
    const s = this.schema;
    switch (change.kind) {
      case 'set':
        for (const { actionId, dueBy } of change.actions) {
          await this.pool.query(
            `INSERT INTO ${s}.pm_cps_action_timers (case_id, action_id, force, due_by, overdue_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (case_id, action_id) DO NOTHING`,
            [change.caseId, actionId, force, dueBy, overdueFrom(dueBy)],
          );
        }
        return;
      case 'cleared':
        await this.pool.query(`DELETE FROM ${s}.pm_cps_action_timers WHERE case_id = $1 AND action_id = $2`, [
          change.caseId,
          change.actionId,
        ]);
        return;
      default:
        return ((value: never) => value)(change);
    }
  }

  /** The checks due at `now` (an ISO instant): one per case with an action past its due day, with the cause. */
  async dueChecks(now: string): Promise<{ force: string; cause: string; command: Extract<CaseCommand, { kind: 'check-cps-actions' }> }[]> {
    const { rows } = await this.pool.query<{ case_id: string; force: string }>(
      `SELECT DISTINCT case_id, force FROM ${this.schema}.pm_cps_action_timers WHERE overdue_at <= $1 ORDER BY case_id`,
      [now],
    );
    return rows.map((row) => ({
      force: row.force,
      cause: `cps-action-timer:${row.case_id}:${now}`,
      command: { kind: 'check-cps-actions', caseId: row.case_id, now, at: now },
    }));
  }

  /**
   * Sends each due check (through `send`, the manager's decision path), then ends the timers it settled: how many
   * checks it sent.
   */
  async fire(now: string, send: Send): Promise<number> {
    const checks = await this.dueChecks(now);
    for (const { force, cause, command } of checks) {
      await send(force, cause, caseStreamId(command.caseId), caseDecider, command, now);
      await this.checked(command.caseId, now);
    }
    return checks.length;
  }

  /**
   * After a case's check was sent (recorded, or refused as no longer applying): its timers due by `now` are done. The
   * overdue events clear them too as the manager reads them; this also ends those of a case closed meanwhile.
   */
  async checked(caseId: string, now: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.schema}.pm_cps_action_timers WHERE case_id = $1 AND overdue_at <= $2`, [caseId, now]);
  }
}
