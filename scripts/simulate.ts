import { parseArgs } from 'node:util';
import { assertValidEvents, erasedValueFor, FORCE_CODES, isForceCode, personalFieldsOf, upcast, type ForceCode } from '#contracts';
import { LocalKeyWrapper, PostgresEventStore, PostgresSubjectKeyStore, withEncryption, withUpcasting, withValidation } from '#event-store';
import { DecisionRunner, loadConfig } from '#platform';
import { VictimUpdatesProcessManager } from '#process-managers';
import { kpiFactsByForce } from '#projections';
import { planSimulation, runSimulation, SHAPE_TARGETS, simulationShapes } from '#simulator';
import { foldKpiFacts, forceMeasures, quarterOf, quartersOf, type Count, type Median, type Rate } from '#kpis';

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
const runner = new DecisionRunner(store);
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

// One force's scorecard (the official measures by period, docs/kpis.md) for the last two whole quarters simulated.
const events = [];
for await (const event of store.readAll({ batchSize: 2000 })) events.push(event);
const facts = foldKpiFacts(events);
const quarters = quartersOf({
  from: quarterOf(values.start.slice(0, 10)).from,
  to: quarterOf(clock.toISOString().slice(0, 10)).to,
  label: '',
})!;
const whole = quarters.filter((q) => q.from >= values.start.slice(0, 10) && q.to < clock.toISOString().slice(0, 10)).slice(-2);
const byForce = kpiFactsByForce(facts);
const largest = [...byForce].sort(([, a], [, b]) => b.cases.length - a.cases.length)[0];
if (largest !== undefined) {
  const [force, own] = largest;
  const n = (c: Count): number | string => ('value' in c ? c.value : c.suppressed);
  const r = (x: Rate): string =>
    'rate' in x ? `${x.numerator}/${x.denominator}${x.rate === null ? '' : ` (${(100 * x.rate).toFixed(1)}%)`}` : x.suppressed;
  const m = (x: Median): string => ('days' in x ? `${x.days ?? '-'} (n ${x.n})` : x.suppressed);
  for (const q of whole) {
    const s = forceMeasures(own, q, 'adult-rape');
    process.stderr.write(
      `scorecard ${force} ${q.label} adult rape: recorded ${n(s.offencesRecorded)}; outcomes ${n(s.outcomesAssigned.total)}; ` +
        `charge rate ${r(s.chargeRate)}; 14 ${r(s.evidentialDifficulties['14'])}, 15 ${r(s.evidentialDifficulties['15'])}, ` +
        `16 ${r(s.evidentialDifficulties['16'])}; days recording to charge ${m(s.medianDays.recordingToCharge)}; ` +
        `report to first contact ${m(s.medianDays.reportToFirstContact)}, to arrest ${m(s.medianDays.reportToArrest)}; ` +
        `open at quarter end ${n(s.openCaseload.total)} (over 12 months ${n(s.openCaseload.over12Months)}); ` +
        `released on bail ${r(s.releases.bail)}, under investigation ${r(s.releases.underInvestigation)}; withdrawals ${n(s.withdrawals.total)}\n`,
    );
  }
}
// The shapes DOMAIN.md gives, over the history's last 12 months (docs/simulator.md): a history of several years is
// needed for them to settle (charges take a median of 426 days), e.g. --days 2190 --investigations 16000.
const lastDay = new Date(plan.period.end).toISOString().slice(0, 10);
const yearBefore = new Date(Date.parse(plan.period.end) - 364 * 86_400_000).toISOString().slice(0, 10);
const shapes = simulationShapes(byForce, { from: yearBefore, to: lastDay, label: `${yearBefore} to ${lastDay}` });
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);
process.stderr.write(
  `shapes ${shapes.period} adult rape, all forces simulated: recorded ${shapes.recorded}, outcomes ${shapes.outcomes}; ` +
    `median days recording to charge ${shapes.medianDaysRecordingToCharge ?? '-'} (target ${SHAPE_TARGETS.medianDaysRecordingToCharge.target}); ` +
    `outcomes 14/16 ${pct(shapes.victimDoesNotSupportShare)} (target 55%); charge rate ${pct(shapes.nationalChargeRate)}, ` +
    `by force ${pct(shapes.chargeRateSpread?.lowest)} to ${pct(shapes.chargeRateSpread?.highest)}` +
    `${shapes.chargeRateByForce['avon-somerset'] === undefined ? '' : `, avon-somerset ${pct(shapes.chargeRateByForce['avon-somerset'])} (target 17.4%)`}\n`,
);
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
