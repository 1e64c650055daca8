import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { ForceCode } from '#contracts';
import { BACKBONE_CONFIG, problem, type BackboneConfig } from '#platform';
import { forceSchema, nationalSchema } from '#projections';
import { tolerateDisconnects } from '#event-store';

const DATE_OID = 1082;

/**
 * Read-only access to the read models' views (`<schema>."<base>"`, pointed at the live build by the projection
 * runtime). Queries name a view of the schema they are given, never a table version: a rebuild switches under
 * them. A view not there yet (the force's read models not built) is a 503, not a 500.
 */
@Injectable()
export class ReadModelDatabase implements OnApplicationShutdown {
  private readonly pool: pg.Pool;

  constructor(@Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig) {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is required to serve the read models');
    // A `date` stays the YYYY-MM-DD it is (pg's default makes it a local-midnight Date, a day off in some zones).
    const parse = (oid: number, format?: 'text' | 'binary'): unknown => (oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format));
    const types = { getTypeParser: parse };
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4, types });
    // An idle connection ended by the server must never crash the process.
    tolerateDisconnects(this.pool);
  }

  /** The view `base` of a force's schema, quoted. */
  forceView(force: ForceCode, base: string): string {
    return `${forceSchema(force, this.config.projectionSchemaPrefix)}."${base}"`;
  }

  nationalView(base: string): string {
    return `${nationalSchema(this.config.projectionSchemaPrefix)}."${base}"`;
  }

  get suppressionThreshold(): number {
    return this.config.kpiSuppressionThreshold;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await this.pool.query(sql, params)).rows as T[];
    } catch (error) {
      // 42P01 undefined_table, 3F000 invalid_schema_name: not built yet.
      const code = (error as { code?: string }).code;
      if (code === '42P01' || code === '3F000') throw problem(503, 'read-model-not-ready', 'The read model is not built yet', { detail: 'Try again once the projection has caught up.' });
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

export { viewRow } from '#projections';
