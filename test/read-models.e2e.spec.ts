import pg from 'pg';
import request from 'supertest';
import type { ForceCode } from '#contracts';
import { DecisionRunner } from '#platform';
import { ProjectorModule, ProjectorService } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { VictimUpdatesProcessManager } from '#process-managers';
import { forceSchema, kpiFactsByForce, nationalSchema } from '#projections';
import { nationalKpis, type CaseFacts, type DutyFacts, type OccurrenceFacts, type VictimFacts } from '#kpis';
import { ReadModelsApiModule, viewRow } from '#read-models-api';
import { planSimulation, runSimulation, type SimulationPlan } from '#simulator';
import { waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from './support/backbone.js';
import { kpisFromLog } from './support/kpis-from-log.js';
import { measuresFromSql } from './support/measures-from-sql.js';

/**
 * Issue 4, "Done when": several forces' read models built from their own topics while the simulator runs, each
 * holding exactly its own force's data (ids compared with the simulator's plan), its queries over HTTP never
 * returning another force's rows; and the national KPIs equal to an independent computation from the raw log.
 */
const FORCES: ForceCode[] = ['avon-somerset', 'wiltshire', 'durham'];
const OPTIONS = { seed: 4, forces: FORCES, investigations: 150, days: 400, start: '2025-01-01T00:00:00Z' };

type Ids = Record<'cases' | 'suspects' | 'victims' | 'officers', Set<string>>;

/** The ground truth, per force, from the plan: which cases, suspects, victims and investigators are whose. */
function plannedIds(plan: SimulationPlan): Map<ForceCode, Ids> {
  const out = new Map<ForceCode, Ids>(
    FORCES.map((f) => [f, { cases: new Set(), suspects: new Set(), victims: new Set(), officers: new Set() }]),
  );
  for (const step of plan.steps) {
    const ids = out.get(step.force)!;
    const command = step.command as { kind: string; caseId?: string; suspectId?: string; victimId?: string; officerId?: string };
    if (command.kind === 'record-crime') ids.cases.add(command.caseId!);
    if (command.kind === 'identify-suspect') ids.suspects.add(command.suspectId!);
    if (command.kind === 'make-first-contact') ids.victims.add(command.victimId!);
    if (command.kind === 'assign-investigator') ids.officers.add(command.officerId!);
  }
  return out;
}

describe('force read models and national KPIs over a simulated history', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let plan: SimulationPlan;
  let projectors: ProjectorService;
  let expectedCounts: Map<string, number>;

  /** A force's schema (its projection runtime's), or the national one, with queries through its views. */
  const readModels = (name: ForceCode | 'national') => {
    const runtime = name === 'national' ? projectors.national() : projectors.projectorOf(name);
    return { schema: runtime.schema, query: <T>(sql: string) => runtime.manager.query<T[]>(sql) };
  };

  beforeAll(async () => {
    // The real projector: each force's runtime from its own topic (ADR 0013), the national projector from the log.
    backbone = await startBackbone(FORCES, [RelayModule, ProjectorModule, ReadModelsApiModule]);
    http = request(backbone.app.getHttpServer());
    const { config, infrastructure } = backbone;
    projectors = backbone.app.get(ProjectorService);

    // The simulation runs while the read models consume.
    let clock = new Date(OPTIONS.start);
    const runner = new DecisionRunner(infrastructure.store);
    const processManager = await VictimUpdatesProcessManager.open(infrastructure.store, runner, {
      databaseUrl: config.databaseUrl!,
      schema: config.eventStoreSchema,
      clock: () => clock,
    });
    plan = planSimulation(OPTIONS);
    const result = await runSimulation(plan, { runner, processManager, setClock: (at) => (clock = at) });
    await processManager.close();
    if (result.refused > 0) throw new Error(`the simulation was refused steps: ${JSON.stringify(result.refusals)}`);

    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ force: string; n: number }>(
      `SELECT force, count(*)::int AS n FROM ${config.eventStoreSchema}.events GROUP BY force`,
    );
    await client.end();
    expectedCounts = new Map(rows.map((r) => [r.force, r.n]));
    expectedCounts.set(
      'national',
      rows.reduce((sum, r) => sum + r.n, 0),
    );
    for (const force of FORCES) {
      const projector = projectors.projectorOf(force);
      await waitFor(
        `${force}'s read models to apply all ${expectedCounts.get(force)} events`,
        async () => (await projector.processedCount()) === expectedCounts.get(force),
        { timeoutMs: 120_000, intervalMs: 200 },
      );
    }
    // The national projector takes the whole log (the platform's own events too), each event once.
    const national = projectors.national();
    await national.catchUp({ timeoutMs: 120_000 });
    const total = expectedCounts.get('national');
    await waitFor(
      `the national read models to take all ${total} events`,
      async () => (await national.builds()).every((b) => b.status !== 'live' || b.appliedEvents === total),
      { timeoutMs: 120_000, intervalMs: 200 },
    );
  }, 600_000);

  afterAll(async () => {
    await backbone?.close();
  });

  const token = (force: ForceCode | 'national', roles: Parameters<RunningBackbone['token']>[1]) =>
    backbone.token(force, roles).then((t) => `Bearer ${t}`);

  /** Every row of a paged list, following nextOffset. */
  async function all(path: string, auth: string, query = ''): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let offset: number | null = 0; offset !== null;) {
      const res = await http.get(`${path}?limit=100&offset=${offset}${query}`).set('Authorization', auth).expect(200);
      const body = res.body as { items: Record<string, unknown>[]; nextOffset: number | null };
      items.push(...body.items);
      offset = body.nextOffset;
    }
    return items;
  }

  it("holds in each force's schema exactly that force's cases, suspects, victims and investigators", async () => {
    // The schemas the read-models API serves are the runtimes' own.
    for (const force of FORCES) expect(readModels(force).schema).toBe(forceSchema(force, backbone.config.projectionSchemaPrefix));
    expect(readModels('national').schema).toBe(nationalSchema(backbone.config.projectionSchemaPrefix));
    const planned = plannedIds(plan);
    for (const force of FORCES) {
      const runtime = readModels(force);
      const s = runtime.schema;
      const ids = async (sql: string) => new Set((await runtime.query<{ id: string }>(sql)).map((r) => r.id));
      const expected = planned.get(force)!;
      expect(expected.cases.size).toBeGreaterThan(20);
      expect(await ids(`SELECT case_id AS id FROM ${s}."investigations"`)).toEqual(expected.cases);
      expect(await ids(`SELECT DISTINCT case_id AS id FROM ${s}."investigation_timeline"`)).toEqual(expected.cases);
      expect(await ids(`SELECT suspect_id AS id FROM ${s}."suspects"`)).toEqual(expected.suspects);
      expect(await ids(`SELECT victim_id AS id FROM ${s}."victim_engagement"`)).toEqual(expected.victims);
      // A case recorded near the simulation's end may have no investigator yet: no officer to hold.
      expect(await ids(`SELECT DISTINCT officer_id AS id FROM ${s}."case_assignments" WHERE officer_id IS NOT NULL`)).toEqual(
        expected.officers,
      );
      expect(await ids(`SELECT case_id AS id FROM ${s}."kpi_cases"`)).toEqual(expected.cases);
      expect(await ids(`SELECT DISTINCT force AS id FROM ${s}."kpi_cases"`)).toEqual(new Set([force]));
    }
  });

  it("answers each force's queries with its own rows only, and another force's with 404", async () => {
    const planned = plannedIds(plan);
    for (const force of FORCES) {
      const auth = await token(force, ['officer', 'supervisor']);
      const mine = planned.get(force)!;
      const cases = await all(`/forces/${force}/investigations`, auth);
      expect(new Set(cases.map((c) => c['caseId']))).toEqual(mine.cases);
      expect(cases).toHaveLength(mine.cases.size);
      const suspects = await all(`/forces/${force}/suspects`, auth);
      expect(new Set(suspects.map((x) => x['suspectId']))).toEqual(mine.suspects);
      const victims = await all(`/forces/${force}/victim-engagement`, auth);
      expect(new Set(victims.map((x) => x['victimId']))).toEqual(mine.victims);
      const officers = await all(`/forces/${force}/caseload`, auth);
      expect(new Set(officers.map((x) => x['officerId']))).toEqual(mine.officers);
      const kpis = await http.get(`/forces/${force}/kpis`).set('Authorization', auth).expect(200);
      expect(kpis.body).toMatchObject({ cases: { recorded: { value: mine.cases.size } } });

      for (const other of FORCES.filter((f) => f !== force)) {
        const theirs = [...planned.get(other)!.cases][0]!;
        for (const path of ['investigations', 'suspects', 'victim-engagement', 'caseload', 'kpis', `investigations/${theirs}`]) {
          await http.get(`/forces/${other}/${path}`).set('Authorization', auth).expect(404);
        }
        // Another force's case on the caller's own path: the same 404 as a case that exists nowhere.
        await http.get(`/forces/${force}/investigations/${theirs}`).set('Authorization', auth).expect(404);
        const filtered = await http.get(`/forces/${force}/victim-engagement?caseId=${theirs}`).set('Authorization', auth).expect(200);
        expect(filtered.body.items).toEqual([]);
      }
    }
  });

  it('shows an investigation with its timeline of event types, times and actors, and filters the lists', async () => {
    const auth = await token('wiltshire', ['officer']);
    const closed = await all('/forces/wiltshire/investigations', auth, '&status=closed&outcomeCode=16');
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((c) => c['status'] === 'closed' && c['outcomeCode'] === 16)).toBe(true);
    const detail = await http
      .get(`/forces/wiltshire/investigations/${closed[0]!['caseId'] as string}`)
      .set('Authorization', auth)
      .expect(200);
    const timeline = detail.body.timeline as { eventType: string; occurredAt: string; actor: string }[];
    expect(timeline[0]).toEqual({
      eventType: 'uk.police.nom.cases.crime-recorded.v2',
      occurredAt: expect.any(String),
      actor: expect.stringMatching(/^WI-/),
    });
    expect(timeline.map((t) => t.eventType)).toContain('uk.police.nom.victims.support-withdrawn.v1');
    // The case's own last event is its outcome (the victim is told of it afterwards: an update duty met).
    expect(timeline.filter((t) => t.eventType.startsWith('uk.police.nom.cases.')).at(-1)!.eventType).toBe(
      'uk.police.nom.cases.outcome-recorded.v1',
    );
    const missed = await all('/forces/wiltshire/victim-engagement', auth, '&duties=missed');
    expect(missed.length).toBeGreaterThan(0);
    expect(missed.every((v) => (v['missedDeadlines'] as number) > 0)).toBe(true);
    const rui = await all('/forces/wiltshire/suspects', auth, '&status=released-under-investigation');
    expect(rui.every((s) => s['status'] === 'released-under-investigation')).toBe(true);
  });

  it('refuses malformed or unknown filters with a 422 naming each', async () => {
    const auth = await token('durham', ['officer']);
    const res = await http
      .get('/forces/durham/investigations?status=lost&reportedFrom=yesterday&colour=red&limit=0')
      .set('Authorization', auth)
      .expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual([
      '/colour',
      '/limit',
      '/reportedFrom',
      '/status',
    ]);
  });

  it("computes each force's own KPIs as an independent computation from the raw event log does", async () => {
    const independent = (await kpisFromLog(backbone.config.databaseUrl!, backbone.config.eventStoreSchema, null)) as {
      forces: Record<string, unknown>;
    };
    for (const force of FORCES) {
      const res = await http
        .get(`/forces/${force}/kpis`)
        .set('Authorization', await token(force, ['supervisor']))
        .expect(200);
      expect(res.body).toEqual(independent.forces[force]);
    }
  });

  it('computes the national KPIs, suppressed, equal to an independent computation from the raw event log', async () => {
    const res = await http
      .get('/national/kpis')
      .set('Authorization', await token('national', ['national-team']))
      .expect(200);
    const independent = await kpisFromLog(
      backbone.config.databaseUrl!,
      backbone.config.eventStoreSchema,
      backbone.config.kpiSuppressionThreshold,
    );
    expect(res.body).toEqual(independent);
    const body = res.body as { national: { chargeRate: unknown; outcomeMix: Record<string, unknown> }; forces: Record<string, unknown> };
    expect(Object.keys(body.forces).sort()).toEqual([...FORCES].sort());
    // Small counts are really suppressed, and the rest shown.
    const text = JSON.stringify(res.body);
    const primary = text.split('"suppressed":"primary"').length - 1;
    const secondary = text.split('"suppressed":"secondary"').length - 1;
    console.log(
      `national KPIs over ${expectedCounts.get('national')} events: ${primary} values suppressed (primary), ${secondary} (secondary)`,
    );
    expect(primary).toBeGreaterThan(0);
    // Shown: the nation's recorded cases (every quarter of this history has enough).
    expect(JSON.stringify(body.national)).toContain('"value"');
    // A cohort must be whole calendar quarters, so that two cohorts cannot be differenced into a hidden count.
    const ragged = await http
      .get('/national/kpis?recordedFrom=2025-01-02T00:00:00Z&recordedTo=2025-04-01T00:00:00Z')
      .set('Authorization', await token('national', ['national-team']))
      .expect(422);
    expect(ragged.body.errors[0]).toMatchObject({ field: '/recordedFrom', reason: expect.stringContaining('whole calendar quarters') });
    for (const role of ['researcher', 'national-auditor'] as const)
      await http
        .get('/national/kpis')
        .set('Authorization', await token('wiltshire', [role]))
        .expect(200);
    await http
      .get('/national/kpis')
      .set('Authorization', await token('wiltshire', ['officer', 'supervisor', 'administrator']))
      .expect(403);
    // England and Wales as a whole, for every force's users: the same national row, suppressed the same, no force's row.
    const { threshold, national } = independent as { threshold: number; national: unknown };
    for (const force of FORCES) {
      const own = await http
        .get('/national/kpis/england-and-wales')
        .set('Authorization', await token(force, ['officer']))
        .expect(200);
      expect(own.body).toEqual({ threshold, national });
    }
  });

  it('answers measures by period as SQL over the event table does, for each force and England and Wales (issue 13)', async () => {
    type C = { value: number } | { suppressed: string };
    type R = { numerator: number; denominator: number } | { suppressed: string };
    type M = {
      offencesRecorded: C;
      outcomesAssigned: { total: C; byCode: Record<string, R> };
      chargeRate: R;
      referralsForChargingDecision: C;
      cpsCharges: C;
      releases: { total: C; bail: R; underInvestigation: R };
    };
    const num = (c: C): number | undefined => ('value' in c ? c.value : undefined);
    const top = (r: R): number | undefined => ('numerator' in r ? r.numerator : undefined);
    const asSql = (m: M) => ({
      recorded: num(m.offencesRecorded),
      assigned: num(m.outcomesAssigned.total),
      charged: top(m.chargeRate),
      outcome16: top(m.outcomesAssigned.byCode['16']!),
      referrals: num(m.referralsForChargingDecision),
      cpsCharges: num(m.cpsCharges),
      bail: top(m.releases.bail),
      rui: top(m.releases.underInvestigation),
    });
    const scorecards: string[] = [];
    let compared = 0;
    for (const [period, from, to] of [
      ['2025-Q2', '2025-04-01', '2025-06-30'],
      ['2025-Q3', '2025-07-01', '2025-09-30'],
    ] as const) {
      const sql = await measuresFromSql(backbone.config.databaseUrl!, backbone.config.eventStoreSchema, from, to);
      for (const force of FORCES) {
        const res = await http
          .get(`/forces/${force}/measures?period=${period}`)
          .set('Authorization', await token(force, ['supervisor']))
          .expect(200);
        expect({ force, period, ...asSql(res.body as M) }).toEqual({ force, period, ...sql.get(force) });
        if (force === FORCES[0]) scorecards.push(`${period} ${JSON.stringify(asSql(res.body as M))}`);
      }
      const national = await http
        .get(`/national/measures?period=${period}`)
        .set('Authorization', await token('national', ['national-team']))
        .expect(200);
      const body = national.body as { quarters: string[]; national: M; forces: Record<string, M> };
      expect(body.quarters).toEqual([period]);
      const total = (k: keyof ReturnType<typeof asSql>): number => [...sql.values()].reduce((sum, m) => sum + m[k], 0);
      // Every shown national or force count is the SQL one; the national number of offences recorded is shown.
      for (const [scope, m] of [['national', body.national], ...Object.entries(body.forces)] as const) {
        for (const [k, v] of Object.entries(asSql(m))) {
          if (v === undefined) continue;
          expect({ scope, k, v }).toEqual({ scope, k, v: scope === 'national' ? total(k as never) : sql.get(scope)![k as never] });
          compared += 1;
        }
      }
      expect(num(body.national.offencesRecorded)).toBe(total('recorded'));
    }
    expect(compared).toBeGreaterThan(5);
    console.log(`${FORCES[0]}'s measures, two quarters of a simulated history:\n${scorecards.join('\n')}`);
    // Not whole quarters: refused nationally with the reason, answered for the force's own figures.
    const refused = await http
      .get('/national/measures?from=2025-04-01&to=2025-05-31')
      .set('Authorization', await token('national', ['national-team']))
      .expect(422);
    expect((refused.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['/period']);
    await http
      .get(`/forces/${FORCES[0]}/measures?from=2025-04-01&to=2025-05-31&offences=adult-rape`)
      .set('Authorization', await token(FORCES[0]!, ['officer']))
      .expect(200);
  });

  it('suppresses the same cells as the independent computation at other thresholds too, secondary suppression included', async () => {
    const national = readModels('national');
    const rows = async <T>(base: string): Promise<T[]> =>
      (await national.query<Record<string, unknown>>(`SELECT * FROM ${national.schema}."${base}"`)).map((r) => viewRow<T>(r));
    const facts = kpiFactsByForce({
      cases: await rows<CaseFacts>('kpi_cases'),
      victims: await rows<VictimFacts>('kpi_victims'),
      duties: await rows<DutyFacts>('kpi_duties'),
      occurrences: await rows<OccurrenceFacts>('kpi_occurrences'),
    });
    let secondary = 0;
    for (const threshold of [5, 15, 20, 30]) {
      const system = nationalKpis(facts, threshold);
      expect(JSON.parse(JSON.stringify(system))).toEqual(
        await kpisFromLog(backbone.config.databaseUrl!, backbone.config.eventStoreSchema, threshold),
      );
      secondary += JSON.stringify(system).split('"suppressed":"secondary"').length - 1;
    }
    console.log(`thresholds 5, 15, 20, 30: ${secondary} values suppressed as secondary in all`);
    expect(secondary).toBeGreaterThan(0);
  });
});
