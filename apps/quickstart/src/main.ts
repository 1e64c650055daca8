import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditSignerFromPem, exportPublicKeyPem, generateAuditSigner, pemFrom } from '#audit';
import { AuditApiModule } from '#audit-api';
import { CasesApiModule } from '#cases-api';
import { LocalKeyWrapper } from '#event-store';
import { LearningApiModule } from '#learning-api';
import { loadNationalOptions, NationalModule } from '#national';
import { ProcessManagerModule } from '#process-managers';
import { ReadModelsApiModule } from '#read-models-api';
import { SuspectsApiModule } from '#suspects-api';
import { VictimsApiModule } from '#victims-api';
import { PrivacyModule } from '#privacy';
import { createConsole, localIdentityProvider, type ConsoleSettings } from '#console';
import {
  closeOnSignals,
  ConfigError,
  configOf,
  createHttpApp,
  createInfrastructure,
  loadConfig,
  processEnvironmentWith,
  readEnvironment,
  LocalTokenIssuer,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
  type Environment,
} from '#platform';
import { ProjectorModule } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { DEMO_FORCES, seedDemoData } from './demo-data.js';
import { seedDemoHistory } from './demo-history.js';
import type { SeedProgress } from '#console';
import { DevTokensController } from './dev-tokens.controller.js';
import { quickStartMode, type QuickStartMode } from './quick-start-mode.js';

/**
 * The quick start: the four services (cases, suspects, victims, learning), relay, projector, process
 * managers, national views and the sealer (with the access log and checkpoints for auditors) in one process.
 * With nothing configured it runs on an embedded
 * PostgreSQL (data under .local/quickstart) and an in-process bus; DATABASE_URL / KAFKA_BROKERS switch it to
 * the real services with no code change.
 */
const started = Date.now();
let env: Environment;
let mode: QuickStartMode;
try {
  env = readEnvironment();
  mode = quickStartMode(env, configOf(env).auth.issuers.length > 0);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`the quick start refuses to start: ${error.message}`);
  process.exit(1);
}
for (const warning of mode.warnings) console.warn(warning);
let embedded: EmbeddedDatabase | undefined;
if (mode.embedded) {
  const port = env.NOM_EMBEDDED_PG_PORT;
  console.log(`starting embedded PostgreSQL on port ${port} (data in ${env.NOM_DATA_DIR}/pg)`);
  embedded = await startEmbeddedPostgres({ dataDir: `${env.NOM_DATA_DIR}/pg`, port, log: (l) => console.error(l) });
}
// The key-encryption key of personal data (ADR 0011): NOM_KEK when set, else (embedded database only) one generated on
// the first run and kept beside the data (losing it makes every personal field unreadable, as if every subject were erased).
const dataDir = env.NOM_DATA_DIR;
let kek = env.NOM_KEK;
if (!kek && mode.demo) {
  const kekFile = `${dataDir}/kek`;
  if (!existsSync(kekFile)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(kekFile, `${LocalKeyWrapper.generateKek()}\n`, { mode: 0o600 });
    console.log(`generated the key-encryption key of personal data in ${kekFile} (set NOM_KEK to use your own)`);
  }
  kek = readFileSync(kekFile, 'utf8').trim();
}
const config = loadConfig(processEnvironmentWith({ NOM_KEK: kek, ...(embedded ? { DATABASE_URL: embedded.url } : {}) }), {
  forces: DEMO_FORCES,
});
// The national matching key: NOM_MATCHING_KEY, or one made for this quick start's data (kept beside it, so that
// hashes stay comparable across restarts).
let matchingKey = env.NOM_MATCHING_KEY;
if (!matchingKey && mode.demo) {
  mkdirSync(dataDir, { recursive: true });
  try {
    matchingKey = readFileSync(`${dataDir}/matching-key`, 'utf8').trim();
  } catch {
    matchingKey = randomBytes(32).toString('base64');
    writeFileSync(`${dataDir}/matching-key`, matchingKey, { mode: 0o600 });
  }
}
const nationalOptions = loadNationalOptions(processEnvironmentWith({ NOM_MATCHING_KEY: matchingKey }));
const localIssuer = mode.devTokens ? await LocalTokenIssuer.create(config.auth.issuer, config.auth.audience) : undefined;
const infrastructure = await createInfrastructure(config, localIssuer ? { verifier: localIssuer.verifier() } : {});
// The sealer's key: NOM_AUDIT_SIGNING_KEY, else one made on first start and kept with the data (the same key on
// every restart, so that earlier checkpoints still verify). Only on the embedded database (quickStartMode).
const keyFile = `${dataDir}/audit-signing-key.pem`;
if (!config.auditSigningKey && mode.demo && !existsSync(keyFile)) {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(keyFile, generateAuditSigner().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
}
const signer = auditSignerFromPem(config.auditSigningKey ? pemFrom(config.auditSigningKey) : readFileSync(keyFile, 'utf8'));
if (!config.auditSigningKey) writeFileSync(`${dataDir}/audit-public-key.pem`, exportPublicKeyPem(signer));
const app = await createHttpApp(
  'NOM backbone (quick start)',
  infrastructure,
  [
    CasesApiModule,
    SuspectsApiModule,
    VictimsApiModule,
    LearningApiModule,
    PrivacyModule,
    RelayModule,
    ProjectorModule,
    ReadModelsApiModule,
    ProcessManagerModule,
    NationalModule.forRoot(nationalOptions),
    AuditApiModule.forRoot({ publicKey: signer.publicKey, sealing: { signer, intervalMs: config.sealIntervalMs } }),
  ],
  localIssuer ? { controllers: [DevTokensController], providers: [{ provide: LocalTokenIssuer, useValue: localIssuer }] } : {},
  // Human-readable lines for a person at a terminal; every other service logs JSON (ADR 0029).
  { pretty: true },
);
closeOnSignals(app, infrastructure, async () => embedded?.stop());
// The console (ADR 0040) beside the API it reads, signing people in with the local issuer's OIDC endpoints when it is
// mounted (loopback only), else with the configured provider (NOM_CONSOLE_OIDC_*).
let origin = `http://${mode.host ?? 'localhost'}:${config.port}`;
const consoleSettings = (): ConsoleSettings | undefined =>
  localIssuer
    ? { publicUrl: `${origin}/console`, apiUrl: origin, identityProvider: { issuer: `${origin}/dev/oidc`, clientId: 'nom-console' } }
    : env.NOM_CONSOLE_OIDC_ISSUER && env.NOM_CONSOLE_OIDC_CLIENT_ID && env.NOM_CONSOLE_PUBLIC_URL
      ? {
          publicUrl: env.NOM_CONSOLE_PUBLIC_URL,
          apiUrl: env.NOM_CONSOLE_API_URL ?? origin,
          identityProvider: {
            issuer: env.NOM_CONSOLE_OIDC_ISSUER,
            clientId: env.NOM_CONSOLE_OIDC_CLIENT_ID,
            ...(env.NOM_CONSOLE_OIDC_CLIENT_SECRET ? { clientSecret: env.NOM_CONSOLE_OIDC_CLIENT_SECRET } : {}),
          },
        }
      : undefined;
const consoleOn = consoleSettings() !== undefined;
if (localIssuer) {
  app.use(
    '/dev/oidc',
    localIdentityProvider({
      issuer: () => localIssuer,
      url: () => `${origin}/dev/oidc`,
      client: { id: 'nom-console', redirectUri: () => `${origin}/console/callback` },
      now: () => Date.now(),
    }),
  );
}
let historyProgress: () => SeedProgress | undefined = () => undefined;
if (consoleOn)
  app.use(
    '/console',
    createConsole({ settings: () => consoleSettings()!, now: () => infrastructure.clock.now(), progress: () => historyProgress() }),
  );
// With the local issuer mounted, nothing off this machine may reach it: loopback only.
await (mode.host === undefined ? app.listen(config.port) : app.listen(config.port, mode.host));
const seeded = mode.demo ? await seedDemoData(app, infrastructure.clock.now()) : 0;
// Eight quarters of simulated history, filled in behind the running API and console (not awaited).
const history = mode.demo
  ? seedDemoHistory({
      infrastructure,
      config,
      forces: DEMO_FORCES,
      dataDir,
      now: infrastructure.clock.now(),
      log: (line) => console.log(line),
    })
  : undefined;
if (history) historyProgress = history.progress;

const address = (app.getHttpServer() as Server).address() as AddressInfo;
const base = `http://${mode.host ?? 'localhost'}:${address.port}`;
origin = base;
const sample = localIssuer
  ? await localIssuer.issue({ force: 'avon-somerset', officerId: 'AS-4471', roles: ['officer', 'supervisor'] })
  : '<your token>';
console.log(`
NOM backbone quick start is up in ${((Date.now() - started) / 1000).toFixed(1)} s
  event store : ${embedded ? 'embedded PostgreSQL' : 'PostgreSQL at DATABASE_URL'}
  bus         : ${config.kafkaBrokers ? `Kafka at ${config.kafkaBrokers.join(',')}` : 'in-process (set KAFKA_BROKERS for Kafka)'}
  forces      : ${config.forces.join(', ')} (${mode.demo ? `${seeded} demo cases seeded now` : 'no demo data: not the embedded database'})
  history     : ${history?.progress() ? `eight quarters of simulated history filling in behind (progress below and in the console)` : mode.demo ? 'eight quarters of simulated history already seeded' : 'none'}
  listening on ${base} (${mode.host === undefined ? 'every interface' : 'loopback only'})

  console     : ${consoleOn ? `${base}/console/` : 'off (no local issuer: set NOM_CONSOLE_OIDC_ISSUER, NOM_CONSOLE_OIDC_CLIENT_ID, NOM_CONSOLE_PUBLIC_URL)'}
  health      : ${base}/health
  API docs    : ${base}/docs   (OpenAPI JSON: ${base}/docs-json)
  cases       : ${base}/forces/avon-somerset/investigations   (one case: .../investigations/{caseId})
  national    : ${base}/national/conformance   (roles national-team, national-auditor)
  read models : ${base}/forces/avon-somerset/suspects, .../victim-engagement, .../kpis; national KPIs at ${base}/national/kpis
  audit       : ${base}/national/audit/checkpoints?log=access-log (sealed every ${config.sealIntervalMs} ms, key ${signer.keyId}${config.auditSigningKey ? '' : `, public key in ${dataDir}/audit-public-key.pem`})
${localIssuer ? `  get a token : curl -s -X POST ${base}/dev/tokens -H 'content-type: application/json' -d '{"force":"avon-somerset","officerId":"AS-4471","roles":["officer","supervisor"]}'\n` : ''}
  try it      : curl -s -H "Authorization: Bearer ${sample}" ${base}/forces/avon-somerset/investigations
`);
