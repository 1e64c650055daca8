import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PostgresAccessLog } from '#audit';
import { assertValidEvents, FORCE_CODES, isForceCode, type ForceCode, type RecordedEvent } from '#contracts';
import { PostgresEventStore, withValidation } from '#event-store';
import { measureMatching, NationalViews } from '#national';
import { DecisionRunner, loadConfig } from '#platform';
import { planSimulation, runSimulation } from '#simulator';

/**
 * `npm run measure:matching -- --investigations 2000 --seed 7`
 * Precision and recall of the national repeat-suspect index against the simulator's ground truth: a simulated
 * history (with the documented identifier variation) in a fresh schema at DATABASE_URL, read by a fresh index
 * under a random matching key; both schemas are dropped at the end. Prints one JSON line, then a summary.
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '7' },
    investigations: { type: 'string', default: '2000' },
    days: { type: 'string', default: '730' },
    forces: { type: 'string', default: 'avon-somerset,wiltshire,durham,metropolitan,west-midlands,south-wales,kent,essex' },
    'repeat-share': { type: 'string', default: '0.2' },
  },
});
const forces = values.forces === 'all' ? [...FORCE_CODES] : values.forces.split(',');
const unknown = forces.filter((f) => !isForceCode(f));
if (unknown.length > 0) throw new Error(`unknown force codes: ${unknown.join(', ')}`);
const config = loadConfig();
if (!config.databaseUrl) throw new Error('DATABASE_URL is required: the measure runs a simulation into a fresh schema there');
const databaseUrl = config.databaseUrl;

const run = `measure_${Date.now().toString(36)}`;
const started = Date.now();
const raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: `${run}_es` });
const store = withValidation(raw, assertValidEvents);
let views: NationalViews | undefined;
const accessLog = await PostgresAccessLog.open(databaseUrl, `${run}_audit`, 2);
try {
  const plan = planSimulation({
    seed: Number(values.seed),
    forces: forces as ForceCode[],
    investigations: Number(values.investigations),
    days: Number(values.days),
    start: '2025-01-01T00:00:00Z',
    repeatSuspectShare: Number(values['repeat-share']),
    identifierVariation: true,
  });
  await runSimulation(plan, {
    runner: new DecisionRunner(store),
    onProgress: (done, total) => process.stderr.write(`measure: simulated ${done}/${total} steps\r`),
  });
  process.stderr.write('\n');
  views = await NationalViews.open(store, {
    databaseUrl,
    schema: `${run}_nat`,
    matchingKey: randomBytes(32),
    accessLog,
  });
  const indexing = Date.now();
  await views.catchUp();
  const indexSeconds = (Date.now() - indexing) / 1000;
  const events: RecordedEvent[] = [];
  for await (const event of raw.readAll()) events.push(event);
  const personOf = new Map([...plan.suspects].map(([suspectId, person]) => [suspectId, person.personId]));
  const result = measureMatching(personOf, await views.indexedMatches());
  console.log(
    JSON.stringify({
      measure: 'repeat-suspect-matching',
      seed: Number(values.seed),
      investigations: Number(values.investigations),
      forces: forces.length,
      suspects: personOf.size,
      contradicted: views.contradicted,
      eventsIndexed: events.length,
      indexSeconds,
      seconds: (Date.now() - started) / 1000,
      ...result,
    }),
  );
  const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
  for (const strength of ['definite', 'probable', 'possible'] as const) {
    const s = result.atLeast[strength];
    console.error(
      `at least ${strength.padEnd(8)}: precision ${pct(s.precision)}  recall ${pct(s.recall)}  (${s.truePositives} of ${s.emittedPairs} emitted pairs true; ${s.truePairs} true pairs)`,
    );
  }
} finally {
  await views?.close();
  await accessLog.close();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (const schema of [`${run}_es`, `${run}_nat`, `${run}_audit`]) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  await raw.close();
}
