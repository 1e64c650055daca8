import type pg from 'pg';
import { CaseEventTypes as C, VictimEventTypes as V, type RecordedEvent, type VictimEventData } from '#contracts';
import { agreedUpdateDueBy, victimDecider, victimStreamId, type VictimCommand } from '#victims-domain';
import { sendDue, type ManagerTimer, type Send } from './reaction-sender.js';

/**
 * What an event means for the recurring timer of the update frequency agreed with a victim (issue 13; Victims' Code
 * right 6; docs/victims-code.md): an agreement with a frequency starts a period, one without ends the timer; any update
 * given to the victim, and a period recorded as missed, start the next period; the case's outcome ends it.
 */
export type AgreedUpdateChange =
  | { readonly kind: 'agreed'; readonly caseId: string; readonly victimId: string; readonly everyDays: number; readonly since: string }
  | { readonly kind: 'period-started'; readonly victimId: string; readonly since: string }
  | { readonly kind: 'ended'; readonly victimId: string }
  | { readonly kind: 'case-closed'; readonly caseId: string };

export function agreedUpdateChange(event: RecordedEvent): AgreedUpdateChange | undefined {
  switch (event.type) {
    case V.ContactPreferencesAgreed: {
      const { caseId, victimId, updateEveryDays, agreedAt } = event.data as VictimEventData['ContactPreferencesAgreed'];
      return updateEveryDays === undefined
        ? { kind: 'ended', victimId }
        : { kind: 'agreed', caseId, victimId, everyDays: updateEveryDays, since: agreedAt };
    }
    case V.UpdateGiven: {
      const { victimId, givenAt } = event.data as VictimEventData['UpdateGiven'];
      return { kind: 'period-started', victimId, since: givenAt };
    }
    case V.AgreedUpdateMissed: {
      const { victimId, dueBy } = event.data as VictimEventData['AgreedUpdateMissed'];
      return { kind: 'period-started', victimId, since: dueBy };
    }
    case C.OutcomeRecorded:
      return { kind: 'case-closed', caseId: (event.data as { caseId: string }).caseId };
    default:
      return undefined;
  }
}

/**
 * The agreed frequencies' timers (`pm_agreed_updates`, one row per victim with a frequency agreed): when the current
 * period ends. Kept as the manager reads; nothing to build from the log on upgrade (the frequency is new with it).
 */
export class AgreedUpdateTimers implements ManagerTimer {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  async observe(event: RecordedEvent): Promise<void> {
    const change = agreedUpdateChange(event);
    if (change) await this.apply(change, event.metadata.force);
  }

  /** The agreed updates whose period ended unmet, to the victims' streams. */
  async fire(now: string, send: Send): Promise<number> {
    return sendDue(await this.dueChecks(now), now, send, ({ command }) => ({
      streamId: victimStreamId(command.victimId),
      decider: victimDecider,
    }));
  }

  async apply(change: AgreedUpdateChange, force: string): Promise<void> {
    const s = this.schema;
    switch (change.kind) {
      case 'agreed':
        await this.pool.query(
          `INSERT INTO ${s}.pm_agreed_updates (victim_id, case_id, force, every_days, since, due_by) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (victim_id) DO UPDATE SET every_days = EXCLUDED.every_days, since = EXCLUDED.since, due_by = EXCLUDED.due_by`,
          [change.victimId, change.caseId, force, change.everyDays, change.since, agreedUpdateDueBy(change.since, change.everyDays)],
        );
        return;
      case 'period-started': {
        const { rows } = await this.pool.query<{ every_days: number; since: Date }>(
          `SELECT every_days, since FROM ${s}.pm_agreed_updates WHERE victim_id = $1`,
          [change.victimId],
        );
        const row = rows[0];
        // Only a later start moves the period (an update recorded late for an earlier day does not shorten it).
        if (!row || Date.parse(change.since) <= row.since.getTime()) return;
        await this.pool.query(`UPDATE ${s}.pm_agreed_updates SET since = $2, due_by = $3 WHERE victim_id = $1`, [
          change.victimId,
          change.since,
          agreedUpdateDueBy(change.since, row.every_days),
        ]);
        return;
      }
      case 'ended':
        await this.pool.query(`DELETE FROM ${s}.pm_agreed_updates WHERE victim_id = $1`, [change.victimId]);
        return;
      case 'case-closed':
        await this.pool.query(`DELETE FROM ${s}.pm_agreed_updates WHERE case_id = $1`, [change.caseId]);
        return;
      default:
        return ((value: never) => value)(change);
    }
  }

  /** The checks due at `now` (an ISO instant): the victims whose current period has ended, with the cause. */
  async dueChecks(
    now: string,
  ): Promise<{ force: string; cause: string; command: Extract<VictimCommand, { kind: 'check-agreed-update' }> }[]> {
    const { rows } = await this.pool.query<{ victim_id: string; case_id: string; force: string; due_by: Date }>(
      `SELECT victim_id, case_id, force, due_by FROM ${this.schema}.pm_agreed_updates WHERE due_by < $1 ORDER BY victim_id`,
      [now],
    );
    return rows.map((row) => ({
      force: row.force,
      // One cause per period (its end), so that a check sent twice records the period once.
      cause: `agreed-update:${row.victim_id}:${row.due_by.toISOString()}`,
      command: { kind: 'check-agreed-update', caseId: row.case_id, victimId: row.victim_id, now },
    }));
  }
}
