import type pg from 'pg';
import {
  CaseEventTypes,
  deterministicUuid,
  isForceCode,
  LearningEventTypes,
  PrivacyEventTypes,
  SuspectEventTypes,
  type ForceCode,
  type MatchIdentifierKind,
  type NewEvent,
  type RecordedEvent,
  type SuspectRef,
} from '#contracts';
import {
  CASE_FACT_EVENTS,
  DUTY_FACT_EVENTS,
  foldCaseFacts,
  foldDutyFacts,
  foldVictimFacts,
  KPI_EVENT_TYPES,
  VICTIM_FACT_EVENTS,
} from '#kpis';
import { identifierKeys, strengthOf, type SuspectIdentifiers } from './identifier-keys.js';
import { LAWFUL_TRIGGERS, type MatchCopy, type MatchDisclosures } from './match-disclosure.js';

/** Who appends the national views' match events. */
export const NATIONAL_ACTOR = 'system:national-repeat-suspects';

/** Suspect-focused actions (NOM pillar 1) that count as "recorded before a charging decision". */
const SUSPECT_FOCUSED: ReadonlySet<string> = new Set([
  SuspectEventTypes.SuspectArrested,
  SuspectEventTypes.SuspectInterviewed,
  SuspectEventTypes.HistoryChecksCompleted,
  SuspectEventTypes.DisruptionTacticRecorded,
  SuspectEventTypes.CivilOrderAppliedFor,
]);
/** A charge, or any CPS charging decision on the case (on a whole file, or on one suspect). */
const CHARGING: ReadonlySet<string> = new Set([
  SuspectEventTypes.SuspectCharged,
  CaseEventTypes.ChargingDecisionMade,
  CaseEventTypes.SuspectChargingDecisionMade,
]);

interface Candidate {
  readonly ref: SuspectRef;
  readonly kinds: MatchIdentifierKind[];
}

export interface NationalFoldOptions {
  readonly schema: string;
  readonly matchingKey: Buffer;
  /** Candidates considered per identifier kind for one new suspect (a guard against a degenerate key). */
  readonly maxCandidates: number;
  readonly disclosures: MatchDisclosures;
}

/**
 * What one event does to the national schema, inside the batch transaction `NationalViews` holds: the repeat-suspect
 * index (keyed hashes only), erasure of those hashes, the KPI facts and conformance facts, and the match disclosures
 * a lawful trigger opens. Returns the match events to append, if any.
 */
export class NationalFold {
  /** Matches found but not emitted because a national reference contradicts them (both have one; they differ). */
  contradicted = 0;

  constructor(private readonly options: NationalFoldOptions) {}

  private get schema(): string {
    return this.options.schema;
  }

  private get disclosures(): MatchDisclosures {
    return this.options.disclosures;
  }

  async handle(db: pg.PoolClient, event: RecordedEvent): Promise<NewEvent[][] | undefined> {
    const force = event.metadata.force;
    const at = event.metadata.occurredAt;
    const data = event.data as Record<string, unknown>;
    const s = this.schema;
    if (event.type === SuspectEventTypes.SuspectIdentified) return this.indexSuspect(db, event);
    if (event.type === PrivacyEventTypes.SubjectErased) {
      await this.forget(db, event);
      return undefined;
    }
    if (!isForceCode(force)) return undefined;
    if (KPI_EVENT_TYPES.has(event.type)) await this.foldKpiFacts(db, event);
    if (SUSPECT_FOCUSED.has(event.type)) {
      await db.query(
        `INSERT INTO ${s}.case_suspect_actions (case_id, force, first_action_at) VALUES ($1, $2, $3)
         ON CONFLICT (case_id) DO UPDATE SET first_action_at = LEAST(case_suspect_actions.first_action_at, EXCLUDED.first_action_at)`,
        [data['caseId'], force, at],
      );
    } else if (CHARGING.has(event.type)) {
      await db.query(
        `INSERT INTO ${s}.case_charging (case_id, force, first_decision_at) VALUES ($1, $2, $3)
         ON CONFLICT (case_id) DO UPDATE SET first_decision_at = LEAST(case_charging.first_decision_at, EXCLUDED.first_decision_at)`,
        [data['caseId'], force, at],
      );
    }
    switch (event.type) {
      case LearningEventTypes.ModelVersionAdopted:
        await db.query(
          `INSERT INTO ${s}.model_adoptions (force, version, adopted_at) VALUES ($1, $2, $3)
           ON CONFLICT (force) DO UPDATE SET version = EXCLUDED.version, adopted_at = EXCLUDED.adopted_at WHERE model_adoptions.adopted_at <= EXCLUDED.adopted_at`,
          [data['force'], data['version'], data['adoptedAt']],
        );
        return undefined;
      case SuspectEventTypes.PreChargeBailGranted:
      case SuspectEventTypes.BailConditionsChanged:
        await db.query(
          `INSERT INTO ${s}.bail_decisions (event_id, force, victim_views_sought) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [event.id, force, data['victimViewsSought'] === true],
        );
        return undefined;
      default:
        return LAWFUL_TRIGGERS.has(event.type) ? this.disclosures.onTrigger(db, event) : undefined;
    }
  }

  /**
   * Folds an event into the KPI facts it touches with #kpis' own fold functions, so that the conformance shares
   * that are KPIs (Victims' Code timeliness, ISVA referral) are counted by the KPI definitions (docs/kpis.md).
   * A duty is keyed by victim and trigger event: one trigger event opens a duty for every victim of its case.
   */
  private async foldKpiFacts(db: pg.PoolClient, event: RecordedEvent): Promise<void> {
    const data = event.data as Record<string, string>;
    const fold = async <F extends { readonly force: string }>(
      kind: 'case' | 'victim' | 'duty',
      key: string,
      evolve: (facts: F | null, e: RecordedEvent) => F,
    ): Promise<void> => {
      const { rows } = await db.query<{ facts: F }>(`SELECT facts FROM ${this.schema}.kpi_facts WHERE kind = $1 AND key = $2`, [kind, key]);
      const next = evolve(rows[0]?.facts ?? null, event);
      await db.query(
        `INSERT INTO ${this.schema}.kpi_facts (kind, key, force, facts) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, key) DO UPDATE SET facts = EXCLUDED.facts`,
        [kind, key, next.force, JSON.stringify(next)],
      );
    };
    if (CASE_FACT_EVENTS.has(event.type)) await fold('case', String(data['caseId']), foldCaseFacts);
    if (VICTIM_FACT_EVENTS.has(event.type)) await fold('victim', String(data['victimId']), foldVictimFacts);
    if (DUTY_FACT_EVENTS.has(event.type))
      await fold('duty', `${String(data['victimId'])}/${String(data['triggerEventId'])}`, foldDutyFacts);
  }

  /**
   * Deletes every hash of an erased subject: the subject id (a suspect's; a victim's or officer's holds none
   * here) and every `suspect-<id>` stream whose keys were destroyed (`keysDestroyed`).
   */
  private async forget(db: pg.PoolClient, event: RecordedEvent): Promise<void> {
    const data = event.data as { subjectId?: unknown; keysDestroyed?: unknown };
    const streams = Array.isArray(data.keysDestroyed) ? (data.keysDestroyed as unknown[]) : [];
    const ids = [
      data.subjectId,
      ...streams.map((s) => (typeof s === 'string' && s.startsWith('suspect-') ? s.slice('suspect-'.length) : undefined)),
    ];
    const uuids = ids.filter(
      (id): id is string => typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id),
    );
    if (uuids.length === 0) return;
    await db.query(`DELETE FROM ${this.schema}.suspect_keys WHERE suspect_id = ANY($1::uuid[])`, [uuids]);
    await this.disclosures.forget(db, uuids);
  }

  private async indexSuspect(db: pg.PoolClient, event: RecordedEvent): Promise<NewEvent[][] | undefined> {
    const force = event.metadata.force;
    if (!isForceCode(force)) return undefined;
    const data = event.data as SuspectIdentifiers & { suspectId: string; caseId: string };
    const self: SuspectRef = { force, suspectId: data.suspectId, caseId: data.caseId };
    const keys = identifierKeys(this.options.matchingKey, data);
    if (keys.length === 0) return undefined;
    const s = this.schema;
    const kinds = keys.map((k) => k.kind);
    const hashes = keys.map((k) => k.hash);
    // Suspects of other cases holding an equal key, by kind (read before this suspect's own keys are added).
    const { rows } = await db.query<{ kind: MatchIdentifierKind; force: ForceCode; suspect_id: string; case_id: string }>(
      `SELECT DISTINCT k.kind, k.force, k.suspect_id, k.case_id
       FROM unnest($1::text[], $2::bytea[]) AS q(kind, key_hash)
       JOIN LATERAL (
         SELECT kind, force, suspect_id, case_id FROM ${s}.suspect_keys k
         WHERE k.kind = q.kind AND k.key_hash = q.key_hash AND k.suspect_id <> $3 AND k.case_id <> $4
         ORDER BY suspect_id LIMIT $5
       ) k ON true`,
      [kinds, hashes, self.suspectId, self.caseId, this.options.maxCandidates],
    );
    await db.query(
      `INSERT INTO ${s}.suspect_keys (kind, key_hash, force, suspect_id, case_id)
       SELECT kind, key_hash, $3, $4, $5 FROM unnest($1::text[], $2::bytea[]) AS q(kind, key_hash) ON CONFLICT DO NOTHING`,
      [kinds, hashes, force, self.suspectId, self.caseId],
    );
    const candidates = new Map<string, Candidate>();
    for (const row of rows) {
      const candidate = candidates.get(row.suspect_id) ?? {
        ref: { force: row.force, suspectId: row.suspect_id, caseId: row.case_id },
        kinds: [],
      };
      if (!candidate.kinds.includes(row.kind)) candidate.kinds.push(row.kind);
      candidates.set(row.suspect_id, candidate);
    }
    if (candidates.size === 0) return undefined;
    // A national reference on both sides that differs says "two people", whatever their names say.
    const { rows: references } = await db.query<{ suspect_id: string; kind: MatchIdentifierKind }>(
      `SELECT DISTINCT suspect_id, kind FROM ${s}.suspect_keys WHERE suspect_id = ANY($1::uuid[]) AND kind IN ('pnc-id', 'cro-number')`,
      [[...candidates.keys()]],
    );
    const copies: MatchCopy[] = [];
    for (const candidate of [...candidates.values()].sort((a, b) => a.ref.suspectId.localeCompare(b.ref.suspectId))) {
      const contradicted = (['pnc-id', 'cro-number'] as const).some(
        (kind) =>
          kinds.includes(kind) &&
          !candidate.kinds.includes(kind) &&
          references.some((r) => r.suspect_id === candidate.ref.suspectId && r.kind === kind),
      );
      if (contradicted) {
        this.contradicted += 1;
        continue;
      }
      copies.push(...matchCopies(self, candidate, event));
    }
    // Held until each force's own suspect reaches a lawful trigger (match-disclosure.ts).
    const out = await this.disclosures.recordMatches(db, copies, event);
    return out.length > 0 ? out : undefined;
  }
}

/** One copy per force concerned (one when both suspects are the same force's), each about that force's suspect. */
function matchCopies(self: SuspectRef, candidate: Candidate, cause: RecordedEvent): MatchCopy[] {
  const matchId = deterministicUuid('repeat-suspect-match', ...[self.suspectId, candidate.ref.suspectId].sort());
  const matchedOn = [...candidate.kinds].sort();
  const strength = strengthOf(matchedOn);
  const copies: [SuspectRef, SuspectRef][] = [[self, candidate.ref]];
  if (candidate.ref.force !== self.force) copies.push([candidate.ref, self]);
  return copies.map(([suspect, matchedSuspect]) => ({
    matchId,
    suspect,
    matchedSuspect,
    matchedOn,
    strength,
    matchedAt: cause.metadata.occurredAt,
  }));
}
