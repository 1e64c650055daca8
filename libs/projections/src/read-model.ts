import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';

/**
 * Names one build of a read model's tables. A read model's tables live in its force's schema and carry the
 * build's version (`<schema>."<base>_v<version>"`), so a new version can be built beside the live one and
 * switched to atomically (the runtime then points a view `<schema>."<base>"` at the new build).
 */
export interface ReadModelTables {
  /** The schema-qualified, quoted name of table `base` in this build, e.g. `force_kent."investigations_v2"`. */
  table(base: string): string;
  /** The force schema (quoted identifier). */
  readonly schema: string;
  /** This build's version (the `N` of `<base>_vN`). Set by the runtime (optional: older code builds these without it). */
  readonly version?: number;
  /**
   * An index name unique to this build, unquoted and unqualified as CREATE INDEX wants it, e.g.
   * `index('investigations', 'status')` gives `"investigations_v2_status_idx"` (index names are per schema).
   */
  index?(base: string, name: string): string;
  /**
   * Set by the runtime while a rebuild writes this build from the store's history (ADR 0044): the build is written
   * by its rebuild alone, one transaction per batch with its progress. The table helpers (`applyKeyedFold`,
   * `insertRows`) then write the rows they did not find by COPY; the rows are the same as the live path's.
   */
  readonly bulk?: boolean;
}

/**
 * A force read model, applied by the checkpointed projection runtime (the same code for live events from Kafka
 * and for rebuilds from the event store's history).
 *
 * Rules a read model keeps:
 * * It holds no catalogue personal field (`personalFields` of any event): ids, codes, statuses and dates only,
 *   so an erasure (crypto-shredding) can never leave a copy behind in a read model.
 * * `apply` is called with events in log order per stream, each event once (the runtime de-duplicates on
 *   (stream id, revision) and filters by `eventTypes`), inside the runtime's transaction: it reads the rows the
 *   batch touches, folds in memory and writes with set-based statements (multi-row INSERT ... ON CONFLICT),
 *   never one statement per event, so a rebuild runs near the database's raw speed.
 * * It is deterministic: the same events give the same rows (a rebuilt version equals the live one).
 */
export interface ReadModel {
  /** Stable name, `[a-z][a-z0-9_]*`, e.g. `investigations`. */
  readonly name: string;
  /** Bumped when the tables or the fold change: the new version is rebuilt beside the old and switched to. */
  readonly version: number;
  /** Event types it reads (current and superseded versions still on the topics); others never reach `apply`. */
  readonly eventTypes: ReadonlySet<string>;
  /** The base names of its tables, for views, content hashes and clean-up. */
  readonly tables: readonly string[];
  /**
   * DDL that creates this version's tables and indexes; idempotent (`IF NOT EXISTS`). A rebuild runs the plain
   * `CREATE INDEX` statements (not UNIQUE ones) once it has read the history, before the build goes live.
   */
  createTables(t: ReadModelTables): readonly string[];
  /** Applies a batch of events inside the runtime's transaction. */
  apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void>;
}
