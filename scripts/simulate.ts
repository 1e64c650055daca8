import { parseArgs } from 'node:util';
import { assertValidEvents, erasedValueFor, FORCE_CODES, isForceCode, personalFieldsOf, upcast, type ForceCode } from '#contracts';
import { LocalKeyWrapper, PostgresEventStore, PostgresSubjectKeyStore, withEncryption, withUpcasting, withValidation } from '#event-store';
import { DecisionRunner, loadConfig } from '#platform';
import { VictimUpdatesProcessManager } from '#process-managers';
import { planSimulation, runSimulation } from '#simulator';

/**
 * `npm run simulate -- --seed 7 --investigations 500 --forces avon-somerset,wiltshire --days 365`
 * Appends a realistic, deterministic history to the event store at DATABASE_URL (the relay and projectors
 * pick it up like any other events). Re-running with the same arguments appends nothing new.
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    investigations: { type: 'string', default: '200' },
    days: { type: 'string', default: '365' },
    start: { type: 'string', default: '2025-04-01T00:00:00Z' },
    forces: { type: 'string', default: 'all' },
  },
});
const forces = values.forces === 'all' ? FORCE_CODES : values.forces.split(',');
const unknown = forces.filter((f) => !isForceCode(f));
if (unknown.length > 0) throw new Error(`unknown force codes: ${unknown.join(', ')}`);
const config = loadConfig();
if (!config.databaseUrl) throw new Error('DATABASE_URL is required: the simulation appends to that event store');
if (!config.kek)
  throw new Error('NOM_KEK is required: personal fields are stored encrypted (ADR 0011); use the KEK of the apps reading this store');

const started = Date.now();
const raw = await PostgresEventStore.open({ connectionString: config.databaseUrl, schema: config.eventStoreSchema });
const keys = await PostgresSubjectKeyStore.open({
  connectionString: config.databaseUrl,
  schema: config.eventStoreSchema,
  wrapper: LocalKeyWrapper.fromBase64(config.kek),
});
// The same stack as the apps (createInfrastructure): validated in clear, personal fields encrypted per subject.
const store = withUpcasting(withValidation(withEncryption(raw, keys, { personalFieldsOf, erasedValueFor }), assertValidEvents), upcast);
const runner = new DecisionRunner(store, config);
let clock = new Date(values.start);
const processManager = await VictimUpdatesProcessManager.open(store, runner, {
  databaseUrl: config.databaseUrl,
  schema: config.eventStoreSchema,
  clock: () => clock,
});
const plan = planSimulation({
  seed: Number(values.seed),
  forces: forces as ForceCode[],
  investigations: Number(values.investigations),
  days: Number(values.days),
  start: values.start,
});
const result = await runSimulation(plan, {
  runner,
  processManager,
  setClock: (at) => (clock = at),
  onProgress: (done, total) => process.stderr.write(`simulate: ${done}/${total} steps\n`),
});
await processManager.close();
await keys.close();
await raw.close();
console.log(
  JSON.stringify({
    ...result,
    investigations: Number(values.investigations),
    forces: forces.length,
    seconds: (Date.now() - started) / 1000,
  }),
);
