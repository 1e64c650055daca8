import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { ForceCode } from '#contracts';
import { BACKBONE_CONFIG, CLOCK, EVENT_STORE, problem, type BackboneConfig, type Clock } from '#platform';
import {
  databaseUrlFor,
  defaultForcePlacement,
  nationalSchema,
  readForceOnboarding,
  type ForcePlacement,
  type ViewReader,
} from '#projections';
import { tolerateDisconnects, type EventStore } from '#event-store';

const DATE_OID = 1082;

/**
 * How long a force with no onboarding record keeps the default placement before the log is asked again: an
 * onboarding recorded meanwhile (which may choose a database of its own) is followed within this time. A recorded
 * onboarding never changes (a second one is refused, `force-already-onboarded`), so it is kept for good.
 */
export const DEFAULT_PLACEMENT_TTL_MS = 10_000;

/** Connections per force database: one pool each, opened on the first query (43 forces must not exhaust the server). */
const FORCE_DATABASE_POOL_MAX = 2;

/**
 * Read-only access to the read models' views (`<schema>."<base>"`, pointed at the live build by the projection
 * runtime). Queries name a view of the schema they are given, never a table version: a rebuild switches under
 * them. A view not there yet (the force's read models not built) is a 503, not a 500.
 *
 * Each force's views are read where the projector writes them (ADR 0027): its placement is the one its onboarding
 * recorded in the log (schema or a database of its own, ADR 0013), else the configured default, exactly as the
 * projector chooses it.
 */
@Injectable()
export class ReadModelDatabase implements OnApplicationShutdown {
  private readonly main: pg.Pool;
  private readonly databaseUrl: string;
  private readonly forceDatabases = new Map<string, pg.Pool>();
  private readonly placements = new Map<ForceCode, { placement: ForcePlacement; recheckAt: number | null }>();

  constructor(
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is required to serve the read models');
    this.databaseUrl = config.databaseUrl;
    this.main = this.pool(config.databaseUrl, 4);
  }

  /** The force's views, wherever its read models live. */
  async forceReader(force: ForceCode): Promise<ViewReader> {
    const placement = await this.placement(force);
    const pool = placement.database ? this.forceDatabase(placement.database) : this.main;
    return { view: (base) => `${placement.schema}."${base}"`, query: (sql, params) => this.run(pool, sql, params) };
  }

  /** The national read models' views (always in the main database). */
  nationalReader(): ViewReader {
    const schema = nationalSchema(this.config.projectionSchemaPrefix);
    return { view: (base) => `${schema}."${base}"`, query: (sql, params) => this.run(this.main, sql, params) };
  }

  get suppressionThreshold(): number {
    return this.config.kpiSuppressionThreshold;
  }

  /** Where the force's read models live (see `DEFAULT_PLACEMENT_TTL_MS`). */
  async placement(force: ForceCode): Promise<ForcePlacement> {
    const now = this.clock.now().getTime();
    const known = this.placements.get(force);
    if (known && (known.recheckAt === null || now < known.recheckAt)) return known.placement;
    const onboarded = await readForceOnboarding(this.store, force);
    const placement = onboarded
      ? { isolation: onboarded.isolation, schema: onboarded.schema, database: onboarded.database ?? null }
      : defaultForcePlacement(this.config, force, this.config.projectionIsolation);
    this.placements.set(force, { placement, recheckAt: onboarded ? null : now + DEFAULT_PLACEMENT_TTL_MS });
    return placement;
  }

  private forceDatabase(database: string): pg.Pool {
    let pool = this.forceDatabases.get(database);
    if (!pool) {
      pool = this.pool(databaseUrlFor(this.databaseUrl, database), FORCE_DATABASE_POOL_MAX);
      this.forceDatabases.set(database, pool);
    }
    return pool;
  }

  private pool(connectionString: string, max: number): pg.Pool {
    // A `date` stays the YYYY-MM-DD it is (pg's default makes it a local-midnight Date, a day off in some zones).
    const parse = (oid: number, format?: 'text' | 'binary'): unknown =>
      oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format);
    const pool = new pg.Pool({ connectionString, max, types: { getTypeParser: parse } });
    // An idle connection ended by the server must never crash the process.
    tolerateDisconnects(pool);
    return pool;
  }

  private async run<T>(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await pool.query(sql, params)).rows as T[];
    } catch (error) {
      // 42P01 undefined_table, 3F000 invalid_schema_name, 3D000 invalid_catalog_name (its database not created yet):
      // not built yet.
      const code = (error as { code?: string }).code;
      if (code === '42P01' || code === '3F000' || code === '3D000') {
        throw problem(503, 'read-model-not-ready', 'The read model is not built yet', {
          detail: 'Try again once the projection has caught up.',
        });
      }
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.main, ...this.forceDatabases.values()].map((pool) => pool.end()));
  }
}

export { viewRow } from '#projections';
