import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import pg from 'pg';
import { AuditApiModule, type AuditApiOptions } from '#audit-api';
import { CasesApiModule } from '#cases-api';
import type { ForceCode, National } from '#contracts';
import { LocalKeyWrapper } from '#event-store';
import { LearningApiModule } from '#learning-api';
import {
  createHttpApp,
  createInfrastructure,
  loadConfig,
  LocalTokenIssuer,
  type BackboneConfig,
  type Clock,
  type HttpAppLogging,
  type Infrastructure,
  type Role,
} from '#platform';
import { ProjectorModule } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { PrivacyModule } from '#privacy';
import { ReadModelsApiModule } from '#read-models-api';
import { SuspectsApiModule } from '#suspects-api';
import { requiredEnv, testKafkaEnv, uniqueName } from '#testing';
import { VictimsApiModule } from '#victims-api';
import { e2eKafkaPrincipals } from './kafka-principals.js';

/** Every HTTP API of the backbone, with the relay, the projector, the audit service and `extra` (the security tests' app). */
export function everyApi(audit: AuditApiOptions, ...extra: (Type | DynamicModule)[]): (Type | DynamicModule)[] {
  return [
    CasesApiModule,
    SuspectsApiModule,
    VictimsApiModule,
    LearningApiModule,
    PrivacyModule,
    RelayModule,
    ProjectorModule,
    ReadModelsApiModule,
    AuditApiModule.forRoot(audit),
    ...extra,
  ];
}

export interface RunningBackbone {
  readonly app: INestApplication;
  readonly config: BackboneConfig;
  readonly infrastructure: Infrastructure;
  readonly issuer: LocalTokenIssuer;
  token(force: ForceCode | National, roles: Role[], officerId?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The backbone (by default the cases API, relay, projector and read models' API, as the projector app serves it;
 * tests add the modules they exercise) in this process on the real PostgreSQL and Kafka, isolated by a unique event
 * store schema, projection schema prefix and topic prefix.
 */
export async function startBackbone(
  forces: ForceCode[],
  modules: (Type | DynamicModule)[] = [CasesApiModule, RelayModule, ProjectorModule, ReadModelsApiModule],
  env: Record<string, string> = {},
  {
    clock,
    logging,
    beforeInit,
  }: { readonly clock?: Clock; readonly logging?: HttpAppLogging; readonly beforeInit?: (app: INestApplication) => void } = {},
): Promise<RunningBackbone> {
  const name = uniqueName('e2e');
  const kafkaEnv = { ...testKafkaEnv(), ...env };
  const config = loadConfig({
    DATABASE_URL: requiredEnv('DATABASE_URL'),
    ...testKafkaEnv(),
    KAFKA_PARTITIONS: '3',
    NOM_EVENT_STORE_SCHEMA: `${name}_es`,
    NOM_AUDIT_SCHEMA: `${name}_audit`,
    NOM_PROJECTION_SCHEMA_PREFIX: `${name.slice(0, 24)}_`,
    NOM_TOPIC_PREFIX: name,
    NOM_FORCES: forces.join(','),
    PORT: '0',
    // One caller drives hundreds of calls in some suites (the cross-force matrix); the limit has its own test.
    NOM_RATE_LIMIT: '1000000',
    NOM_KEK: LocalKeyWrapper.generateKek(),
    // The level of the run (`npm test`: warn), as a process reads it from its environment.
    ...(process.env['NOM_LOG_LEVEL'] ? { NOM_LOG_LEVEL: process.env['NOM_LOG_LEVEL'] } : {}),
    ...env,
  });
  const issuer = await LocalTokenIssuer.create(config.auth.issuer, config.auth.audience);
  // The test's own issuer, trusted for every force, unless the test configures identity providers itself (env).
  const verifier = config.auth.issuers.length > 0 ? {} : { verifier: issuer.verifier() };
  // The relay and the projector as their own principals, as deployed: never the admin (ADR 0010, issue 12 item 7).
  const principals = await e2eKafkaPrincipals(name, kafkaEnv);
  const kafkaPrincipals = principals ? { kafkaPrincipals: { relay: principals.relay, projector: principals.projector } } : {};
  const infrastructure = await createInfrastructure(config, { ...verifier, ...(clock ? { clock } : {}), ...kafkaPrincipals });
  const app = await createHttpApp('e2e', infrastructure, modules, {}, logging);
  beforeInit?.(app); // e.g. an Express router mounted beside the API (the console), before Nest's not-found handler
  await app.init();
  return {
    app,
    config,
    infrastructure,
    issuer,
    token: (force, roles, officerId = `${force.slice(0, 2).toUpperCase()}-1001`) => issuer.issue({ force, roles, officerId }),
    async close() {
      await app.close();
      await infrastructure.close();
      await principals?.removeAcls().catch(() => undefined); // a test's own broker may be gone already
      const client = new pg.Client({ connectionString: config.databaseUrl });
      await client.connect();
      const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [
        `${name.slice(0, 24)}%`,
      ]);
      for (const { nspname } of rows) await client.query(`DROP SCHEMA ${nspname} CASCADE`);
      await client.end();
    },
  };
}

/**
 * Every committed event of the backbone's store, counted in the table itself: `readAll` stops at the cluster-wide
 * read horizon (ADR 0003), so events of a set-up still behind it would be counted later as written by the test.
 */
export async function storedEventCount(backbone: RunningBackbone): Promise<number> {
  const client = new pg.Client({ connectionString: requiredEnv('DATABASE_URL') });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${backbone.config.eventStoreSchema}.events`);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}
