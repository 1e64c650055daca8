import type pg from 'pg';
import { CaseEventTypes as C, LearningEventTypes as L, type ForceCode, type RecordedEvent } from '#contracts';
import type { EventStore } from '#event-store';
import {
  officerDevelopmentDecider,
  officerStreamId,
  SUPERVISORY_REVIEW_CYCLE_DAYS,
  type OfficerDevelopmentCommand,
} from '#learning-domain';
import { sendDue, type ManagerTimer, type Send } from './reaction-sender.js';

/**
 * What an event means for a case's supervisory review cycle (issue 13, docs/disruption.md): the cycle runs from the
 * investigator's assignment (or reassignment), a supervisory review or a reopening, whichever is latest; the review is
 * due SUPERVISORY_REVIEW_CYCLE_DAYS UK days after it. A closed case has no cycle; an overdue cycle is recorded once.
 */
export type ReviewTimerChange =
  | { readonly kind: 'assigned'; readonly caseId: string; readonly officerId: string; readonly at: string }
  | { readonly kind: 'reviewed'; readonly caseId: string; readonly officerId: string; readonly at: string }
  | { readonly kind: 'closed'; readonly caseId: string }
  | { readonly kind: 'reopened'; readonly caseId: string; readonly at: string }
  | { readonly kind: 'overdue-recorded'; readonly caseId: string; readonly dueBy: string };

export function reviewTimerChange(event: RecordedEvent): ReviewTimerChange | undefined {
  const d = event.data as Record<string, string>;
  switch (event.type) {
    case C.InvestigatorAssigned:
      return { kind: 'assigned', caseId: d['caseId']!, officerId: d['officerId']!, at: d['assignedAt']! };
    case L.CaseReviewHeld:
      return { kind: 'reviewed', caseId: d['caseId']!, officerId: d['officerId']!, at: d['reviewedAt']! };
    case C.OutcomeRecorded:
    case C.RecordingCancelled:
      return { kind: 'closed', caseId: d['caseId']! };
    case C.CaseReopened:
      return { kind: 'reopened', caseId: d['caseId']!, at: d['reopenedAt']! };
    case L.CaseReviewOverdue:
      return { kind: 'overdue-recorded', caseId: d['caseId']!, dueBy: d['dueBy']! };
    default:
      return undefined;
  }
}

export type ReviewOverdueCommand = Extract<OfficerDevelopmentCommand, { kind: 'record-case-review-overdue' }>;

/** The open cases' supervisory review timers (`pm_review_timers`, one row per case), built from the log. */
export class ReviewTimers implements ManagerTimer {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly cycleDays: number = SUPERVISORY_REVIEW_CYCLE_DAYS,
  ) {}

  async observe(event: RecordedEvent): Promise<void> {
    const change = reviewTimerChange(event);
    if (change) await this.apply(change, event.metadata.force);
  }

  /** The reviews overdue, once per cycle, to the officers' streams. */
  async fire(now: string, send: Send): Promise<number> {
    return sendDue(await this.dueChecks(now), now, send, ({ force, command }) => ({
      streamId: officerStreamId(force as ForceCode, command.officerId),
      decider: officerDevelopmentDecider,
    }));
  }

  /** The review's due date (UK) of a row, as SQL. */
  private get dueBy(): string {
    return `((cycle_from AT TIME ZONE 'Europe/London')::date + ${Number(this.cycleDays)})`;
  }

  async apply(change: ReviewTimerChange, force: string): Promise<void> {
    const t = `${this.schema}.pm_review_timers`;
    switch (change.kind) {
      case 'assigned':
      case 'reviewed':
        // A review names the officer in the case too; the assignment (the case's own stream) is the authority on who it is.
        await this.pool.query(
          `INSERT INTO ${t} (case_id, force, officer_id, open, cycle_from) VALUES ($1, $2, $3, true, $4)
           ON CONFLICT (case_id) DO UPDATE SET
             officer_id = CASE WHEN $5 THEN EXCLUDED.officer_id ELSE COALESCE(${t}.officer_id, EXCLUDED.officer_id) END,
             cycle_from = GREATEST(${t}.cycle_from, EXCLUDED.cycle_from)`,
          [change.caseId, force, change.officerId, change.at, change.kind === 'assigned'],
        );
        return;
      case 'closed':
        await this.pool.query(`UPDATE ${t} SET open = false WHERE case_id = $1`, [change.caseId]);
        return;
      case 'reopened':
        await this.pool.query(`UPDATE ${t} SET open = true, cycle_from = GREATEST(cycle_from, $2) WHERE case_id = $1`, [
          change.caseId,
          change.at,
        ]);
        return;
      case 'overdue-recorded':
        await this.pool.query(`UPDATE ${t} SET notified_for = $2 WHERE case_id = $1`, [change.caseId, change.dueBy]);
        return;
      default:
        return ((value: never) => value)(change);
    }
  }

  /** The open cases whose review was due by a UK day that has ended at `now`, not yet recorded overdue for that day. */
  async dueChecks(now: string): Promise<{ force: string; cause: string; command: ReviewOverdueCommand }[]> {
    const { rows } = await this.pool.query<{ case_id: string; force: string; officer_id: string; due_by: string }>(
      `SELECT case_id, force, officer_id, ${this.dueBy}::text AS due_by FROM ${this.schema}.pm_review_timers
       WHERE open AND officer_id IS NOT NULL AND ((${this.dueBy} + 1)::timestamp AT TIME ZONE 'Europe/London') <= $1
         AND notified_for IS DISTINCT FROM ${this.dueBy}
       ORDER BY case_id`,
      [now],
    );
    return rows.map((row) => ({
      force: row.force,
      cause: `review-timer:${row.case_id}:${row.due_by}`,
      command: { kind: 'record-case-review-overdue', officerId: row.officer_id, caseId: row.case_id, dueBy: row.due_by, at: now },
    }));
  }

  /** Builds the table from the log up to `upTo` once (a deployment upgraded from before the review timers). */
  async buildFromLog(store: EventStore, upTo: bigint): Promise<void> {
    const state = `${this.schema}.pm_review_timers_state`;
    const { rows } = await this.pool.query<{ built: boolean }>(`SELECT built FROM ${state}`);
    if (rows[0]?.built === true) return;
    if (upTo > 0n) {
      for await (const event of store.readAll({ fromPosition: 0n, batchSize: 1000, onUndecodable: () => Promise.resolve() })) {
        if (event.position > upTo) break;
        const change = reviewTimerChange(event);
        if (change) await this.apply(change, event.metadata.force);
      }
    }
    await this.pool.query(`UPDATE ${state} SET built = true`);
  }
}
