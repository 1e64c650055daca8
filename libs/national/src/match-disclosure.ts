import type pg from 'pg';
import type { AccessLog, AccessRecord } from '#audit';
import {
  deterministicUuid,
  NationalEventTypes,
  SuspectEventTypes,
  type ForceCode,
  type MatchIdentifierKind,
  type MatchStrength,
  type NewEvent,
  type RecordedEvent,
  type RepeatSuspectMatchedData,
  type SuspectRef,
} from '#contracts';

/**
 * When a repeat-suspect match may be told to a force (issue 12, item 5; ADR 0015). The index finds every match,
 * but a force is told only once its own suspect has reached a lawful trigger: arrest, interview or charge (the
 * PACE steps that need grounds and are themselves recorded), or a supervisor's recorded review of the suspect.
 * Identifying a suspect is not one, so a throwaway
 * suspect on one's own case asks the index nothing. Each disclosure is logged in the Section 62 access log before
 * the match event is appended, and counted against the officer whose trigger opened it: past the daily limit the
 * match stays pending, the refusal is logged (status 429) and counted, and a later trigger may disclose it.
 */
export const LAWFUL_TRIGGERS: ReadonlyMap<string, string> = new Map([
  [SuspectEventTypes.SuspectArrested, 'arrest'],
  [SuspectEventTypes.SuspectInterviewed, 'interview'],
  [SuspectEventTypes.SuspectCharged, 'charge'],
  [SuspectEventTypes.RepeatSuspectCheckReviewed, 'supervisor-review'],
]);

/** One force's copy of a match: what that force would be told about its own suspect. */
export interface MatchCopy {
  readonly matchId: string;
  readonly suspect: SuspectRef;
  readonly matchedSuspect: SuspectRef;
  readonly matchedOn: readonly MatchIdentifierKind[];
  readonly strength: MatchStrength;
  readonly matchedAt: string;
}

interface MatchRow {
  match_id: string;
  force: ForceCode;
  suspect_id: string;
  case_id: string;
  matched_force: ForceCode;
  matched_suspect_id: string;
  matched_case_id: string;
  matched_on: MatchIdentifierKind[];
  strength: MatchStrength;
  matched_at: string;
}

/** What opens a disclosure: the officer, when, and the event that caused it. */
interface Opening {
  readonly officer: string;
  readonly at: string;
  readonly cause: RecordedEvent;
}

export interface MatchDisclosureOptions {
  readonly schema: string;
  readonly accessLog: AccessLog;
  /** Match disclosures one officer's triggers may open per UTC day (NOM_MATCH_DISCLOSURES_PER_OFFICER_PER_DAY). */
  readonly perOfficerPerDay: number;
  /** The operating-model version in force in a force at an instant (ADR 0043), stamped on each disclosure. */
  readonly modelAt: (force: string, at: string) => Promise<string>;
  readonly actor: string;
}

export const MATCH_DISCLOSURE_ROUTE = 'national:repeat-suspect-match';

export class MatchDisclosures {
  /** Disclosures refused because the officer's daily limit was reached (since this process started). */
  withheldByLimit = 0;

  constructor(private readonly options: MatchDisclosureOptions) {}

  /** Records the copies found for a newly identified suspect; discloses those whose suspect already reached a trigger. */
  async recordMatches(db: pg.PoolClient, copies: readonly MatchCopy[], cause: RecordedEvent): Promise<NewEvent[][]> {
    const s = this.options.schema;
    const out: NewEvent[][] = [];
    for (const copy of copies) {
      await db.query(
        `INSERT INTO ${s}.suspect_matches (match_id, force, suspect_id, case_id, matched_force, matched_suspect_id, matched_case_id, matched_on, strength, matched_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (match_id, force) DO NOTHING`,
        [
          copy.matchId,
          copy.suspect.force,
          copy.suspect.suspectId,
          copy.suspect.caseId,
          copy.matchedSuspect.force,
          copy.matchedSuspect.suspectId,
          copy.matchedSuspect.caseId,
          [...copy.matchedOn],
          copy.strength,
          copy.matchedAt,
        ],
      );
      const { rows } = await db.query<{ officer: string }>(`SELECT officer FROM ${s}.suspect_triggers WHERE suspect_id = $1`, [
        copy.suspect.suspectId,
      ]);
      if (rows[0])
        await this.disclosePending(db, copy.suspect.suspectId, { officer: rows[0].officer, at: cause.metadata.occurredAt, cause }, out);
    }
    return out;
  }

  /** A lawful trigger on a suspect: remembered, and every pending match of that suspect disclosed (within the limit). */
  async onTrigger(db: pg.PoolClient, event: RecordedEvent): Promise<NewEvent[][] | undefined> {
    const trigger = LAWFUL_TRIGGERS.get(event.type);
    const suspectId = (event.data as { suspectId?: unknown }).suspectId;
    if (!trigger || typeof suspectId !== 'string') return undefined;
    await db.query(
      `INSERT INTO ${this.options.schema}.suspect_triggers (suspect_id, force, trigger, officer, triggered_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (suspect_id) DO NOTHING`,
      [suspectId, event.metadata.force, trigger, event.metadata.actor, event.metadata.occurredAt],
    );
    const out: NewEvent[][] = [];
    await this.disclosePending(db, suspectId, { officer: event.metadata.actor, at: event.metadata.occurredAt, cause: event }, out);
    return out.length > 0 ? out : undefined;
  }

  /** Forgets an erased suspect's pending and past matches and triggers (the events already sent hold no personal data). */
  async forget(db: pg.PoolClient, suspectIds: readonly string[]): Promise<void> {
    const s = this.options.schema;
    await db.query(`DELETE FROM ${s}.suspect_matches WHERE suspect_id = ANY($1::uuid[]) OR matched_suspect_id = ANY($1::uuid[])`, [
      suspectIds,
    ]);
    await db.query(`DELETE FROM ${s}.suspect_triggers WHERE suspect_id = ANY($1::uuid[])`, [suspectIds]);
  }

  private async disclosePending(db: pg.PoolClient, suspectId: string, opening: Opening, out: NewEvent[][]): Promise<void> {
    const s = this.options.schema;
    const { rows } = await db.query<MatchRow>(
      `SELECT match_id, force, suspect_id, case_id, matched_force, matched_suspect_id, matched_case_id, matched_on, strength, matched_at
       FROM ${s}.suspect_matches WHERE suspect_id = $1 AND disclosed_at IS NULL ORDER BY match_id`,
      [suspectId],
    );
    for (const row of rows) {
      const day = opening.at.slice(0, 10);
      const { rows: used } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${s}.suspect_matches
         WHERE disclosed_by = $1 AND disclosed_at >= ($2::date)::timestamp AT TIME ZONE 'UTC' AND disclosed_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'`,
        [opening.officer, day],
      );
      if (Number(used[0]?.n ?? 0) >= this.options.perOfficerPerDay) {
        this.withheldByLimit += 1;
        await db.query(`UPDATE ${s}.suspect_matches SET withheld = withheld + 1 WHERE match_id = $1 AND force = $2`, [
          row.match_id,
          row.force,
        ]);
        await this.options.accessLog.record(accessRecordOf(row, opening.officer, 429));
        continue;
      }
      // Logged before the event that carries the match exists: a failed log entry rolls the batch back.
      await this.options.accessLog.record(accessRecordOf(row, opening.officer, 200));
      await db.query(
        `UPDATE ${s}.suspect_matches SET disclosed_at = $3::timestamptz, disclosed_by = $4 WHERE match_id = $1 AND force = $2`,
        [row.match_id, row.force, opening.at, opening.officer],
      );
      out.push([this.matchEvent(row, opening, await this.options.modelAt(row.force, opening.at))]);
    }
  }

  private matchEvent(row: MatchRow, opening: Opening, modelVersion: string): NewEvent {
    const data: RepeatSuspectMatchedData = {
      matchId: row.match_id,
      suspect: { force: row.force, suspectId: row.suspect_id, caseId: row.case_id },
      matchedSuspect: { force: row.matched_force, suspectId: row.matched_suspect_id, caseId: row.matched_case_id },
      matchedOn: [...row.matched_on].sort(),
      strength: row.strength,
      matchedAt: row.matched_at,
    };
    return {
      id: deterministicUuid(row.match_id, row.force),
      type: NationalEventTypes.RepeatSuspectMatched,
      data,
      metadata: {
        force: row.force,
        occurredAt: opening.at,
        correlationId: opening.cause.metadata.correlationId,
        causationId: opening.cause.id,
        actor: this.options.actor,
        modelVersion,
        classification: 'OFFICIAL-SENSITIVE',
      },
    };
  }
}

/** The Section 62 entry of one match disclosure (200) or refusal (429): who opened it, both suspects and cases. */
function accessRecordOf(row: MatchRow, officer: string, status: 200 | 429): AccessRecord {
  return {
    // The officer whose recorded trigger opened the disclosure; their roles are not in the event, so none are claimed.
    actor: { officerId: officer, force: row.force, roles: [] },
    action: 'disclose',
    purpose: 'investigation',
    method: 'EVENT',
    route: MATCH_DISCLOSURE_ROUTE,
    scopeForce: row.force,
    subjects: [
      { force: row.force, type: 'suspect', id: row.suspect_id },
      { force: row.force, type: 'case', id: row.case_id },
      { force: row.matched_force, type: 'suspect', id: row.matched_suspect_id },
      { force: row.matched_force, type: 'case', id: row.matched_case_id },
    ],
    status,
    recordCount: status === 200 ? 1 : 0,
  };
}
