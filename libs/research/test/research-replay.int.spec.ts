import pg from 'pg';
import { CaseEventTypes as T, SupersededCaseEventTypes, type RecordedEvent } from '#contracts';
import { PostgresEventStore } from '#event-store';
import { requiredEnv, uniqueName, waitFor } from '#testing';
import { simulateHistory } from './support/simulated-history.js';
import { caseStatusReadModel, REPLAYABLE_READ_MODELS, replayReadModel, stableHead } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const schema = uniqueName('replay_es');
const researchSchema = uniqueName('research_replay');
let raw: PostgresEventStore;
let pool: pg.Pool;
const events: RecordedEvent[] = [];

/** The figures, computed independently of the projection code: status and outcome per case from the events alone. */
function independentFigures(asOf: string): {
  byStatus: Record<string, number>;
  byOutcome: Record<string, number>;
  byForce: Record<string, number>;
} {
  const status = new Map<string, { force: string; status: string; outcome: number | null }>();
  for (const e of events) {
    if (Date.parse(e.metadata.occurredAt) >= Date.parse(asOf)) continue;
    const d = e.data as { caseId?: string; outcomeCode?: number };
    if (!d.caseId || !e.type.startsWith('uk.police.nom.cases.')) continue;
    const current = status.get(d.caseId) ?? { force: e.metadata.force, status: 'recorded', outcome: null };
    const next = { ...current };
    if (e.type === T.ReportReceived) next.status = 'reported';
    else if (e.type === T.CrimeRecorded || e.type === SupersededCaseEventTypes.CrimeRecordedV1) next.status = 'recorded';
    else if (e.type === T.RecordingCancelled) next.status = 'cancelled';
    else if (e.type === T.InvestigationOpened) next.status = 'under-investigation';
    else if (e.type === T.OutcomeRecorded) Object.assign(next, { status: 'closed', outcome: d.outcomeCode ?? null });
    else if (e.type === T.CaseReopened) Object.assign(next, { status: 'under-investigation', outcome: null });
    status.set(d.caseId, next);
  }
  const count = (key: (v: { force: string; status: string; outcome: number | null }) => string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const v of status.values()) out[key(v)] = (out[key(v)] ?? 0) + 1;
    return out;
  };
  return { byStatus: count((v) => v.status), byOutcome: count((v) => String(v.outcome)), byForce: count((v) => `${v.force}:${v.status}`) };
}

async function replayedFigures(): Promise<ReturnType<typeof independentFigures>> {
  const { rows } = await pool.query<{ force: string; status: string; outcome_code: number | null }>(
    `SELECT force, status, outcome_code FROM ${researchSchema}.case_status`,
  );
  const count = (key: (r: (typeof rows)[number]) => string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return out;
  };
  return {
    byStatus: count((r) => r.status),
    byOutcome: count((r) => String(r.outcome_code)),
    byForce: count((r) => `${r.force}:${r.status}`),
  };
}

beforeAll(async () => {
  raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
  pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  await simulateHistory(
    raw,
    { databaseUrl, schema },
    { seed: 5, forces: ['kent', 'essex'], investigations: 40, days: 360, start: '2025-01-01T00:00:00Z' },
  );
  const head = await raw.headPosition();
  await waitFor('the read horizon to pass the head', async () => (await stableHead(pool, schema)) === head, { timeoutMs: 60_000 });
  for await (const e of raw.readAll()) events.push(e);
});

afterAll(async () => {
  await pool?.end();
  await raw?.close();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`DROP SCHEMA IF EXISTS ${researchSchema} CASCADE`);
  await client.end();
});

describe('nom research replay', () => {
  it.each(['2025-05-01', '2025-09-15', '2026-12-31'])(
    'rebuilds the case read model as of %s with the live projection code: the same figures as the events up to that date',
    async (asOf) => {
      const expected = independentFigures(asOf);
      const result = await replayReadModel({
        databaseUrl,
        eventStoreSchema: schema,
        readModel: caseStatusReadModel,
        asOf,
        timeBasis: 'occurred',
        researchSchema,
      });
      expect(result.events).toBe(
        events.filter((e) => caseStatusReadModel.eventTypes.has(e.type) && e.metadata.occurredAt < new Date(asOf).toISOString()).length,
      );
      const figures = await replayedFigures();
      expect(figures).toEqual(expected);
      expect(Object.values(expected.byStatus).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
      const { rows } = await pool.query<{ as_of: Date; events: string }>(
        `SELECT as_of, events FROM ${researchSchema}.replays ORDER BY replayed_at DESC LIMIT 1`,
      );
      expect(rows[0]).toEqual({ as_of: new Date(asOf), events: String(result.events) });
    },
  );

  it('rebuilds the national KPI facts as of a date: outcomes per force equal the independent computation', async () => {
    const asOf = '2025-09-15';
    const kpis = REPLAYABLE_READ_MODELS.get('national_kpis')!;
    const schemaKpi = `${researchSchema}_kpi`;
    try {
      const result = await replayReadModel({
        databaseUrl,
        eventStoreSchema: schema,
        readModel: kpis,
        asOf,
        timeBasis: 'occurred',
        researchSchema: schemaKpi,
      });
      expect(result.events).toBeGreaterThan(0);
      const { rows } = await pool.query<{ force: string; outcome_code: number }>(
        `SELECT force, outcome_code FROM ${schemaKpi}.kpi_cases WHERE outcome_code IS NOT NULL`,
      );
      const replayed: Record<string, number> = {};
      for (const r of rows) replayed[`${r.force}:${r.outcome_code}`] = (replayed[`${r.force}:${r.outcome_code}`] ?? 0) + 1;
      const expected: Record<string, number> = {};
      const outcome = new Map<string, { force: string; code: number | null }>();
      for (const e of events) {
        if (Date.parse(e.metadata.occurredAt) >= Date.parse(asOf)) continue;
        const d = e.data as { caseId: string; outcomeCode?: number };
        if (e.type === T.OutcomeRecorded) outcome.set(d.caseId, { force: e.metadata.force, code: d.outcomeCode ?? null });
        if (e.type === T.CaseReopened) outcome.set(d.caseId, { force: e.metadata.force, code: null });
      }
      for (const { force, code } of outcome.values())
        if (code !== null) expected[`${force}:${code}`] = (expected[`${force}:${code}`] ?? 0) + 1;
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(replayed).toEqual(expected);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${schemaKpi} CASCADE`);
    }
  });

  it('gives different figures at different dates (the date matters), and never writes into a live schema', async () => {
    expect(independentFigures('2025-05-01')).not.toEqual(independentFigures('2026-12-31'));
    await expect(
      replayReadModel({
        databaseUrl,
        eventStoreSchema: schema,
        readModel: caseStatusReadModel,
        asOf: '2025-05-01',
        timeBasis: 'occurred',
        researchSchema: 'force_kent',
      }),
    ).rejects.toThrow(/live schema/);
    await expect(
      replayReadModel({
        databaseUrl,
        eventStoreSchema: schema,
        readModel: caseStatusReadModel,
        asOf: '2025-05-01',
        timeBasis: 'occurred',
        researchSchema: schema,
      }),
    ).rejects.toThrow(/live schema/);
  });
});
