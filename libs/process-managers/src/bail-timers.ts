import type pg from 'pg';
import { addDays, endOfLondonDay } from '#calendar';
import { SuspectEventTypes as S, victimUpdateTriggeredAt, type RecordedEvent, type SuspectEvent } from '#contracts';
import type { EventStore } from '#event-store';
import { BAIL_EXPIRY_REMINDER_DAYS, ruiFirstReviewBy, suspectDecider, suspectStreamId, type SuspectCommand } from '#suspects-domain';
import { sendDue, type ManagerTimer, type Send } from './reaction-sender.js';

/**
 * What a suspect event means for the bail timer (issue 13, PACE ss47ZA-47ZM): bail granted or extended sets it to
 * the period's end (a reminder BAIL_EXPIRY_REMINDER_DAYS before, the lapse after the last day); the reminder recorded
 * settles the reminder. A release under investigation (released, or bail cancelled or lapsed) sets it to the day its
 * review is due by, with no reminder, and each review to the date it sets; an overdue review recorded clears it until
 * the next review. A charge or no further action clears it.
 */
export type BailTimerChange =
  | {
      readonly kind: 'set';
      readonly suspectId: string;
      readonly caseId: string;
      /** The last day of bail, or the day a release under investigation's review is due by. */
      readonly endsOn: string;
      readonly remind: boolean;
    }
  | { readonly kind: 'reminded'; readonly suspectId: string; readonly endsOn: string }
  | { readonly kind: 'cleared'; readonly suspectId: string };

export function bailTimerChange(event: RecordedEvent): BailTimerChange | undefined {
  const data = event.data as {
    suspectId: string;
    caseId: string;
    bailEndsOn?: string;
    nextReviewBy?: string;
  };
  const set = (endsOn: string, remind: boolean): BailTimerChange => ({
    kind: 'set',
    suspectId: data.suspectId,
    caseId: data.caseId,
    endsOn,
    remind,
  });
  switch (event.type) {
    case S.PreChargeBailGranted:
    case S.BailExtended:
    case S.BailExtendedByCourt:
      return set(data.bailEndsOn!, true);
    case S.BailExpiryApproaching:
      return { kind: 'reminded', suspectId: data.suspectId, endsOn: data.bailEndsOn! };
    case S.ReleasedUnderInvestigation:
    case S.BailCancelled:
    case S.BailLapsed:
      // From when the release began (released, or bail cancelled or lapsed), as the victim's update duty counts it.
      return set(ruiFirstReviewBy(victimUpdateTriggeredAt(event as unknown as SuspectEvent)!), false);
    case S.ReleaseUnderInvestigationReviewed:
      return set(data.nextReviewBy!, false);
    case S.ReleaseUnderInvestigationReviewOverdue:
    case S.ReleasedNoFurtherAction:
    case S.SuspectCharged:
      return { kind: 'cleared', suspectId: data.suspectId };
    default:
      return undefined;
  }
}

/** The first instant of a UK date (the end of the day before, plus a millisecond). */
const startOfLondonDay = (date: string): string => new Date(Date.parse(endOfLondonDay(addDays(date, -1))) + 1).toISOString();

/**
 * The running bails' timers (`pm_bail_timers`, one row per suspect on bail or released under investigation), built from
 * the log like the update-duty timers: when to remind (null once reminded for this end date, and for a release under
 * investigation) and when to check (`lapse_at`: the day after the last day of bail, or after the review's due date).
 */
export class BailTimers implements ManagerTimer {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  async observe(event: RecordedEvent): Promise<void> {
    const change = bailTimerChange(event);
    if (change) await this.apply(change, event.metadata.force);
  }

  /** The bail reminders and lapses due, and the releases under investigation whose review is overdue, to the suspects' streams. */
  async fire(now: string, send: Send): Promise<number> {
    return sendDue(await this.dueChecks(now), now, send, ({ command }) => ({
      streamId: suspectStreamId(command.suspectId),
      decider: suspectDecider,
    }));
  }

  async apply(change: BailTimerChange, force: string): Promise<void> {
    const s = this.schema;
    switch (change.kind) {
      case 'set':
        await this.pool.query(
          `INSERT INTO ${s}.pm_bail_timers (suspect_id, case_id, force, ends_on, remind_at, lapse_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (suspect_id) DO UPDATE SET ends_on = EXCLUDED.ends_on, remind_at = EXCLUDED.remind_at, lapse_at = EXCLUDED.lapse_at
           WHERE ${s}.pm_bail_timers.ends_on <> EXCLUDED.ends_on OR ${s}.pm_bail_timers.remind_at IS DISTINCT FROM EXCLUDED.remind_at`,
          [
            change.suspectId,
            change.caseId,
            force,
            change.endsOn,
            change.remind ? startOfLondonDay(addDays(change.endsOn, -BAIL_EXPIRY_REMINDER_DAYS)) : null,
            startOfLondonDay(addDays(change.endsOn, 1)),
          ],
        );
        return;
      case 'reminded':
        await this.pool.query(`UPDATE ${s}.pm_bail_timers SET remind_at = NULL WHERE suspect_id = $1 AND ends_on = $2`, [
          change.suspectId,
          change.endsOn,
        ]);
        return;
      case 'cleared':
        await this.pool.query(`DELETE FROM ${s}.pm_bail_timers WHERE suspect_id = $1`, [change.suspectId]);
        return;
      default:
        return ((value: never) => value)(change);
    }
  }

  /** The bail checks due at `now` (an ISO instant): the suspects whose reminder or lapse has come, with the cause. */
  async dueChecks(now: string): Promise<{ force: string; cause: string; command: Extract<SuspectCommand, { kind: 'check-bail' }> }[]> {
    const { rows } = await this.pool.query<{ suspect_id: string; case_id: string; force: string }>(
      `SELECT suspect_id, case_id, force FROM ${this.schema}.pm_bail_timers WHERE remind_at <= $1 OR lapse_at <= $1 ORDER BY suspect_id`,
      [now],
    );
    return rows.map((row) => ({
      force: row.force,
      cause: `bail-timer:${row.suspect_id}:${now}`,
      command: { kind: 'check-bail', caseId: row.case_id, suspectId: row.suspect_id, now, at: now },
    }));
  }

  /**
   * Builds the table from the log up to `upTo` (bail events only), once: a deployment upgraded from before the bail
   * timers has bails running that its checkpoint has passed. Then the manager keeps it as it reads on.
   */
  async buildFromLog(store: EventStore, upTo: bigint): Promise<void> {
    if (await this.built()) return;
    if (upTo > 0n) {
      for await (const event of store.readAll({ fromPosition: 0n, batchSize: 1000, onUndecodable: () => Promise.resolve() })) {
        if (event.position > upTo) break;
        const change = bailTimerChange(event);
        if (change) await this.apply(change, event.metadata.force);
      }
    }
    await this.markBuilt();
  }

  /** Whether the table was built from the log already (a deployment upgraded from before it: not yet). */
  async built(): Promise<boolean> {
    const { rows } = await this.pool.query<{ built: boolean }>(`SELECT built FROM ${this.schema}.pm_bail_timers_state`);
    return rows[0]?.built === true;
  }

  async markBuilt(): Promise<void> {
    await this.pool.query(`UPDATE ${this.schema}.pm_bail_timers_state SET built = true`);
  }
}
