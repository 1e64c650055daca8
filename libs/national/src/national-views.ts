import pg from 'pg';
import {
  isForceCode,
  repeatSuspectMatchStreamId,
  type ForceCode,
  type MatchIdentifierKind,
  type NewEvent,
  type RecordedEvent,
  type RepeatSuspectMatchedData,
} from '#contracts';
import type { AccessLog } from '#audit';
import {
  idle,
  isTransientError,
  migrateSchema,
  ModelsInForce,
  ReaderDeadLetters,
  tolerateDisconnects,
  type DeadLetterStore,
  type EventStore,
} from '#event-store';
import { MatchDisclosures, type MatchCopy } from './match-disclosure.js';
import { NATIONAL_ACTOR, NationalFold } from './national-fold.js';
import { NATIONAL_MIGRATIONS } from './migrations.js';

export interface NationalViewsOptions {
  readonly databaseUrl: string;
  /** The national schema (`nom_national` by default; tests use a unique one). */
  readonly schema: string;
  /** The national matching key (HMAC-SHA-256), from NOM_MATCHING_KEY. */
  readonly matchingKey: Buffer;
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
  /** Events it cannot read or fold (undecodable, undecryptable, not upcastable, failing), recorded and passed. */
  readonly deadLetters: ReaderDeadLetters;
  private readonly disclosures: MatchDisclosures;
  private readonly fold: NationalFold;

  private constructor(
    private readonly store: EventStore & DeadLetterStore,
    private readonly options: NationalViewsOptions,
  ) {
    this.name = options.name ?? 'national-views';
    this.deadLetters = new ReaderDeadLetters(store, this.name);
    const models = new ModelsInForce(store);
    this.disclosures = new MatchDisclosures({
      schema: options.schema,
      accessLog: options.accessLog,
      perOfficerPerDay: options.disclosuresPerOfficerPerDay ?? 20,
      modelAt: (force, at) => models.versionAt(force, at),
      actor: NATIONAL_ACTOR,
    });
    this.fold = new NationalFold({
      schema: options.schema,
      matchingKey: options.matchingKey,
      maxCandidates: options.maxCandidates ?? 100,
      disclosures: this.disclosures,
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
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${this.options.schema}.national_checkpoint WHERE name = $1`,
      [this.name],
    );
    return BigInt(rows[0]?.position ?? 0);
  }

  get schema(): string {
    return this.options.schema;
  }

  /** Matches found but not emitted because a national reference contradicts them (both have one; they differ). */
  get contradicted(): number {
    return this.fold.contradicted;
  }

  /** Match disclosures refused because an officer's daily limit was reached (since this process started). */
  get withheldByLimit(): number {
    return this.disclosures.withheldByLimit;
  }

  /** Every match the index holds, one row per force's copy, disclosed or not (for the matching measure). */
  async indexedMatches(): Promise<MatchCopy[]> {
    const { rows } = await this.pool.query<{
      match_id: string;
      force: ForceCode;
      suspect_id: string;
      case_id: string;
      matched_force: ForceCode;
      matched_suspect_id: string;
      matched_case_id: string;
      matched_on: MatchIdentifierKind[];
      strength: MatchCopy['strength'];
      matched_at: string;
    }>(`SELECT * FROM ${this.schema}.suspect_matches ORDER BY match_id, force`);
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
        return await this.fold.handle(db, event);
      } catch (error) {
        throw isTransientError(error) ? error : new EventFoldError(error);
      }
    }
    await db.query('SAVEPOINT national_event');
    try {
      const emitted = await this.fold.handle(db, event);
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
