import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { isForceCode, upcast } from '#contracts';
import { PostgresEventStore, withUpcasting } from '#event-store';
import { loadConfig } from '#platform';
import { databaseUrlFor, defaultForcePlacement, ForceProjector, PROJECTOR_READ_MODELS, readForceOnboarding } from '#projections';

/**
 * `npm run projections:rebuild -- --force kent --read-model investigations [--keep-old] [--batch-size 5000]`
 * Rebuilds one read model of one force from the event store's history into a new build beside the live one, then
 * switches to it (ADR 0013). The projector serving the force keeps running: the hand-over waits for its consumer
 * to reach the rebuild's position, then takes the force's projection lock for the switch. Environment as for the
 * projector (DATABASE_URL, NOM_EVENT_STORE_SCHEMA, NOM_PROJECTION_SCHEMA_PREFIX, NOM_PROJECTION_ISOLATION,
 * NOM_PROJECTION_DROP_OLD_BUILD). Prints one line of JSON; exit 0 when switched, 1 when the rebuild failed, 2 on bad input.
 */
function fail(error: string, code = 2): never {
  process.stdout.write(`${JSON.stringify({ switched: false, error })}\n`);
  process.exit(code);
}

const { values } = parseArgs({
  options: {
    force: { type: 'string' },
    'read-model': { type: 'string' },
    'keep-old': { type: 'boolean', default: false },
    'batch-size': { type: 'string', default: '5000' },
    'timeout-seconds': { type: 'string', default: '600' },
  },
});

const config = loadConfig();
if (!config.databaseUrl) fail('DATABASE_URL is required');
const force = values.force;
if (!force || !isForceCode(force)) fail('--force must be a force code (forces.csv)');
const readModel = values['read-model'];
if (!readModel || !PROJECTOR_READ_MODELS.some((m) => m.name === readModel))
  fail(`--read-model must be one of: ${PROJECTOR_READ_MODELS.map((m) => m.name).join(', ')}`);
const batchSize = Number(values['batch-size']);
const timeoutSeconds = Number(values['timeout-seconds']);
if (!Number.isInteger(batchSize) || batchSize < 1) fail('--batch-size must be a positive integer');
if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) fail('--timeout-seconds must be a positive integer');

const raw = await PostgresEventStore.open({ connectionString: config.databaseUrl, schema: config.eventStoreSchema });
const store = withUpcasting(raw, upcast);
let projector: ForceProjector | undefined;
try {
  const placement = (await readForceOnboarding(store, force)) ?? defaultForcePlacement(config, force, config.projectionIsolation);
  projector = await ForceProjector.open({
    databaseUrl: placement.database ? databaseUrlFor(config.databaseUrl, placement.database) : config.databaseUrl,
    force,
    schema: placement.schema,
    store,
    readModels: PROJECTOR_READ_MODELS,
    autoRebuild: false,
    poolSize: 3,
  });
  const started = Date.now();
  const result = await projector.rebuild(readModel, {
    batchSize,
    dropOld: !values['keep-old'] && config.projectionDropOldBuild,
    handOverTimeoutMs: timeoutSeconds * 1000,
    onProgress: (events) => {
      if (events % (batchSize * 50) === 0) process.stderr.write(`${events} events\n`);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({ switched: true, force, schema: placement.schema, ...result, handOverPosition: result.handOverPosition.toString(), seconds, eventsPerSec: Math.round(result.historyEvents / seconds) })}\n`,
  );
} catch (error) {
  process.exitCode = 1;
  process.stdout.write(
    `${JSON.stringify({ switched: false, force, readModel, error: error instanceof Error ? error.message : String(error) })}\n`,
  );
} finally {
  await projector?.close();
  await raw.close();
}
