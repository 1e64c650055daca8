import pg from 'pg';
import {
  CaseEventTypes,
  deterministicUuid,
  isForceCode,
  LearningEventTypes,
  PrivacyEventTypes,
  repeatSuspectMatchStreamId,
  SuspectEventTypes,
  type ForceCode,
  type MatchIdentifierKind,
  type NewEvent,
  type RecordedEvent,
  type RepeatSuspectMatchedData,
  type SuspectRef,
} from '#contracts';
import type { AccessLog } from '#audit';
import { idle, isTransientError, migrateSchema, ReaderDeadLetters, tolerateDisconnects, type DeadLetterStore, type EventStore } from '#event-store';
import { CASE_FACT_EVENTS, DUTY_FACT_EVENTS, foldCaseFacts, foldDutyFacts, foldVictimFacts, KPI_EVENT_TYPES, VICTIM_FACT_EVENTS } from '#kpis';
import { identifierKeys, strengthOf, type SuspectIdentifiers } from './identifier-keys.js';
import { LAWFUL_TRIGGERS, MatchDisclosures, type MatchCopy } from './match-disclosure.js';
import { NATIONAL_MIGRATIONS } from './migrations.js';

export interface NationalViewsOptions {
  readonly databaseUrl: string;
  /** The national schema (`nom_national` by default; tests use a unique one). */
  readonly schema: string;
  /** The national matching key (HMAC-SHA-256), from NOM_MATCHING_KEY. */
  readonly matchingKey: Buffer;
  /** Stamped on the match events. */
  readonly modelVersion: string;
  readonly name?: string;
  readonly batchSize?: number;
  readonly idlePollMs?: number;
  /** Candidates considered per identifier kind for one new suspect (a guard against a degenerate key). */
  readonly maxCandidates?: number;
  /** The Section 62 access log: every match disclosure (and refusal) is logged there before it is appended. */
  readonly accessLog: AccessLog;
  /** Match disclosures one officer's triggers may open per UTC day (default 20). */
  readonly disclosuresPerOfficerPerDay?: number;
}

/** Suspect-focused actions (NOM pillar 1) that count as "recorded before a charging decision". */
const SUSPECT_FOCUSED: ReadonlySet<string> = new Set([
  SuspectEventTypes.SuspectArrested,
  SuspectEventTypes.SuspectInterviewed,
  SuspectEventTypes.HistoryChecksCompleted,
  SuspectEventTypes.DisruptionTacticRecorded,
  SuspectEventTypes.CivilOrderAppliedFor,
]);
/** A charge, or any CPS charging decision on the case. */
const CHARGING: ReadonlySet<string> = new Set([SuspectEventTypes.SuspectCharged, CaseEventTypes.ChargingDecisionMade]);

const ACTOR = 'system:national-repeat-suspects';

interface Candidate {
  readonly ref: SuspectRef;
  readonly kinds: MatchIdentifierKind[];
}

/**
 * The national views' one reader of the global log (ADR 0015): the repeat-suspect index and the facts of model
 * conformance. Each batch is one transaction on the national schema, checkpoint included, so facts and counters
 * are exact after any crash; the match events of a batch are appended before that transaction commits, with ids
 * derived from the pair, so a replayed batch appends nothing twice.
 *
 * It reads through the process's store stack (validation, upcasting and any decryption of personal fields), so
 * it sees identifiers in clear, and keeps only their keyed hashes.
 */
export class NationalViews {
  private readonly pool: pg.Pool;
  readonly name: string;
  position = 0n;
  /** Matches found but not emitted because a national reference contradicts them (both have one; they differ). */
  contradicted = 0;
  /** Events it cannot read or fold (undecodable, undecryptable, not upcastable, failing), recorded and passed. */
  readonly deadLetters: ReaderDeadLetters;
  private readonly disclosures: MatchDisclosures;

  private constructor(
    private readonly store: EventStore & DeadLetterStore,
    private readonly options: NationalViewsOptions,
  ) {
    this.name = options.name ?? 'national-views';
    this.deadLetters = new ReaderDeadLetters(store, this.name);
    this.disclosures = new MatchDisclosures({
      schema: options.schema,
      accessLog: options.accessLog,
      perOfficerPerDay: options.disclosuresPerOfficerPerDay ?? 20,
      modelVersion: options.modelVersion,
      actor: ACTOR,
    });
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 3 });
    tolerateDisconnects(this.pool);
  }

  static async open(store: EventStore & DeadLetterStore, options: NationalViewsOptions): Promise<NationalViews> {
    await migrateSchema(options.databaseUrl, options.schema, NATIONAL_MIGRATIONS, 'national_migrations');
    const views = new NationalViews(store, options);
    views.position = await views.loadPosition();
    return views;
  }

  private async loadPosition(): Promise<bigint> {
    const { rows } = await this.pool.query<{ position: string }>(`SELECT position FROM ${this.options.schema}.national_checkpoint WHERE name = $1`, [this.name]);
    return BigInt(rows[0]?.position ?? 0);
  }

  get schema(): string {
    return this.options.schema;
  }

  /** Match disclosures refused because an officer's daily limit was reached (since this process started). */
  get withheldByLimit(): number {
    return this.disclosures.withheldByLimit;
  }

  /** Every match the index holds, one row per force's copy, disclosed or not (for the matching measure). */
  async indexedMatches(): Promise<MatchCopy[]> {
    const { rows } = await this.pool.query<{ match_id: string; force: ForceCode; suspect_id: string; case_id: string; matched_force: ForceCode; matched_suspect_id: string; matched_case_id: string; matched_on: MatchIdentifierKind[]; strength: MatchCopy['strength']; matched_at: string }>(
      `SELECT * FROM ${this.schema}.suspect_matches ORDER BY match_id, force`,
    );
    return rows.map((r) => ({
      matchId: r.match_id,
      suspect: { force: r.force, suspectId: r.suspect_id, caseId: r.case_id },
      matchedSuspect: { force: r.matched_force, suspectId: r.matched_suspect_id, caseId: r.matched_case_id },
      matchedOn: r.matched_on,
      strength: r.strength,
      matchedAt: r.matched_at,
    }));
  }

  /** For queries (the conformance view). */
  get db(): pg.Pool {
    return this.pool;
  }

  /** Processes one batch of the log; returns how many events it read (0: nothing committed past the checkpoint yet). */
  async processOnce(): Promise<number> {
    const batch: RecordedEvent[] = [];
    const size = this.options.batchSize ?? 500;
    this.deadLetters.startBatch();
    const isolatedBefore = this.deadLetters.recorded;
    const read = { fromPosition: this.position, batchSize: size, maxCount: size, onUndecodable: this.deadLetters.onUndecodable };
    for await (const event of this.store.readAll(read)) batch.push(event);
    const reached = this.deadLetters.reached(batch.at(-1)?.position);
    if (reached === undefined) return 0;
    try {
      await this.processBatch(batch, reached, false);
    } catch (error) {
      if (!(error instanceof EventFoldError)) throw error;
      // A fault of one event's data: the batch again, each event behind a savepoint, failures dead-lettered.
      await this.processBatch(batch, reached, true);
    }
    this.position = reached;
    return batch.length + this.deadLetters.recorded - isolatedBefore;
  }

  /** One batch in one transaction, checkpoint (`reached`) included. */
  private async processBatch(batch: readonly RecordedEvent[], reached: bigint, isolate: boolean): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const matches: NewEvent[][] = [];
      const stamps = new Map<string, number>();
      for (const event of batch) {
        const emitted = await this.handleOne(client, event, isolate);
        if (emitted === false) continue;
        if (isForceCode(event.metadata.force)) {
          const key = `${event.metadata.force}\u0000${event.metadata.modelVersion}`;
          stamps.set(key, (stamps.get(key) ?? 0) + 1);
        }
        if (emitted) matches.push(...emitted);
      }
      for (const [key, count] of stamps) {
        const [force, version] = key.split('\u0000') as [string, string];
        await client.query(
          `INSERT INTO ${this.schema}.model_stamps (force, model_version, events) VALUES ($1, $2, $3)
           ON CONFLICT (force, model_version) DO UPDATE SET events = model_stamps.events + EXCLUDED.events`,
          [force, version, count],
        );
      }
      // Appended before the commit: a crash in between replays the batch, and the same ids store nothing twice.
      for (const events of matches) await this.store.append(streamOf(events[0]!), events, 'any');
      await client.query(
        `INSERT INTO ${this.schema}.national_checkpoint (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position`,
        [this.name, reached.toString()],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Folds one event. Not isolating, a fault of its data throws EventFoldError (the batch is redone isolating);
   * isolating, the event is folded behind a savepoint and a failure is recorded as a dead letter (false).
   * A transient fault always propagates (the loop retries the batch).
   */
  private async handleOne(db: pg.PoolClient, event: RecordedEvent, isolate: boolean): Promise<NewEvent[][] | undefined | false> {
    if (!isolate) {
      try {
        return await this.handle(db, event);
      } catch (error) {
        throw isTransientError(error) ? error : new EventFoldError(error);
      }
    }
    await db.query('SAVEPOINT national_event');
    try {
      const emitted = await this.handle(db, event);
      await db.query('RELEASE SAVEPOINT national_event');
      return emitted;
    } catch (error) {
      if (isTransientError(error)) throw error;
      await db.query('ROLLBACK TO SAVEPOINT national_event');
      await this.deadLetters.isolate(event, 'apply', error);
      return false;
    }
  }

  /** Processes until every event committed when it was called (and the matches it appends) is handled. */
  async catchUp(): Promise<void> {
    let head = await this.store.headPosition();
    while (this.position < head) {
      if ((await this.processOnce()) === 0) await idle(5, undefined);
      if (this.position >= head) head = await this.store.headPosition();
    }
  }

  /**
   * Runs until the signal aborts, from its checkpoint (read again on every start, so that its supervisor can
   * start it again after a fault: ADR 0021); `healthy` after each batch that worked.
   */
  async run(signal: AbortSignal, healthy: () => void = () => undefined): Promise<void> {
    this.position = await this.loadPosition();
    while (!signal.aborted) {
      const count = await this.processOnce();
      healthy();
      if (count === 0) await idle(this.options.idlePollMs ?? 100, signal);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async handle(db: pg.PoolClient, event: RecordedEvent): Promise<NewEvent[][] | undefined> {
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
        await db.query(`INSERT INTO ${s}.bail_decisions (event_id, force, victim_views_sought) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
          event.id,
          force,
          data['victimViewsSought'] === true,
        ]);
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
    const fold = async <F extends { readonly force: string }>(kind: 'case' | 'victim' | 'duty', key: string, evolve: (facts: F | null, e: RecordedEvent) => F): Promise<void> => {
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
    if (DUTY_FACT_EVENTS.has(event.type)) await fold('duty', `${String(data['victimId'])}/${String(data['triggerEventId'])}`, foldDutyFacts);
  }

  /**
   * Deletes every hash of an erased subject: the subject id (a suspect's; a victim's or officer's holds none
   * here) and every `suspect-<id>` stream whose keys were destroyed (`keysDestroyed`).
   */
  private async forget(db: pg.PoolClient, event: RecordedEvent): Promise<void> {
    const data = event.data as { subjectId?: unknown; keysDestroyed?: unknown };
    const streams = Array.isArray(data.keysDestroyed) ? (data.keysDestroyed as unknown[]) : [];
    const ids = [data.subjectId, ...streams.map((s) => (typeof s === 'string' && s.startsWith('suspect-') ? s.slice('suspect-'.length) : undefined))];
    const uuids = ids.filter((id): id is string => typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
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
      [kinds, hashes, self.suspectId, self.caseId, this.options.maxCandidates ?? 100],
    );
    await db.query(
      `INSERT INTO ${s}.suspect_keys (kind, key_hash, force, suspect_id, case_id)
       SELECT kind, key_hash, $3, $4, $5 FROM unnest($1::text[], $2::bytea[]) AS q(kind, key_hash) ON CONFLICT DO NOTHING`,
      [kinds, hashes, force, self.suspectId, self.caseId],
    );
    const candidates = new Map<string, Candidate>();
    for (const row of rows) {
      const candidate = candidates.get(row.suspect_id) ?? { ref: { force: row.force, suspectId: row.suspect_id, caseId: row.case_id }, kinds: [] };
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
        (kind) => kinds.includes(kind) && !candidate.kinds.includes(kind) && references.some((r) => r.suspect_id === candidate.ref.suspectId && r.kind === kind),
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

/** A batch's fold failed on one event's data (not the infrastructure's). */
class EventFoldError extends Error {
  override readonly name = 'EventFoldError';
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

function streamOf(event: NewEvent): string {
  const data = event.data as RepeatSuspectMatchedData;
  return repeatSuspectMatchStreamId(data.suspect.force, data.matchId);
}

/** One copy per force concerned (one when both suspects are the same force's), each about that force's suspect. */
function matchCopies(self: SuspectRef, candidate: Candidate, cause: RecordedEvent): MatchCopy[] {
  const matchId = deterministicUuid('repeat-suspect-match', ...[self.suspectId, candidate.ref.suspectId].sort());
  const matchedOn = [...candidate.kinds].sort();
  const strength = strengthOf(matchedOn);
  const copies: [SuspectRef, SuspectRef][] = [[self, candidate.ref]];
  if (candidate.ref.force !== self.force) copies.push([candidate.ref, self]);
  return copies.map(([suspect, matchedSuspect]) => ({ matchId, suspect, matchedSuspect, matchedOn, strength, matchedAt: cause.metadata.occurredAt }));
}
