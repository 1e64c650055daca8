import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  assertValidEvents,
  CaseEventTypes,
  FORCE_CODES,
  isForceCode,
  LearningEventTypes,
  NationalEventTypes,
  PrivacyEventTypes,
  SupersededCaseEventTypes,
  SuspectEventTypes,
  VictimEventTypes,
  type RecordedEvent,
  type RepeatSuspectMatchedData,
} from '#contracts';
import { PostgresAccessLog } from '#audit';
import { PostgresEventStore, withValidation, type CheckpointStore, type DeadLetterStore, type EventStore } from '#event-store';
import { DecisionRunner } from '#platform';
import { VictimUpdatesProcessManager } from '#process-managers';
import { planSimulation, runSimulation, type SimulationPlan } from '#simulator';
import { requiredEnv, uniqueName } from '#testing';
import {
  conformanceReport,
  measureMatching,
  NationalViews,
  ruleCounts,
  suppressConformance,
  type Counts,
  type Measure,
  type RuleCounts,
} from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const forces = ['avon-somerset', 'wiltshire', 'durham', 'metropolitan'] as const;
const THRESHOLD = 10;

/**
 * The national views over a simulated history of four forces, with realistic inconsistencies in the suspects'
 * recorded identifiers: matching measured against the simulator's ground truth, conformance against an
 * independent count over the raw log.
 */
describe('the national views on simulated history', () => {
  let raw: PostgresEventStore;
  let store: EventStore & CheckpointStore & DeadLetterStore;
  let plan: SimulationPlan;
  let views: NationalViews;
  let events: RecordedEvent[];
  let accessLog: PostgresAccessLog;
  const schemas: string[] = [];
  const matchingKey = randomBytes(32);

  const open = (schema = uniqueName('nat')): Promise<NationalViews> => {
    schemas.push(schema);
    return NationalViews.open(store, {
      databaseUrl,
      schema,
      matchingKey,
      batchSize: 300,
      accessLog,
      disclosuresPerOfficerPerDay: 1000,
    });
  };
  const readLog = async (): Promise<RecordedEvent[]> => {
    const all: RecordedEvent[] = [];
    for await (const event of raw.readAll()) all.push(event);
    return all;
  };

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('nat_es') });
    store = withValidation(raw, assertValidEvents);
    schemas.push(uniqueName('nat_audit'));
    accessLog = await PostgresAccessLog.open(databaseUrl, schemas[0], 2);
    const runner = new DecisionRunner(store);
    let clock = new Date('2025-01-01T00:00:00Z');
    const processManager = await VictimUpdatesProcessManager.open(store, runner, { databaseUrl, schema: raw.schema, clock: () => clock });
    plan = planSimulation({
      seed: 2026,
      forces: [...forces],
      investigations: 400,
      days: 540,
      start: '2025-01-01T00:00:00Z',
      repeatSuspectShare: 0.2,
      identifierVariation: true,
    });
    const result = await runSimulation(plan, { runner, processManager, setClock: (at) => (clock = at) });
    await processManager.close();
    if (result.refused > 0) throw new Error(`the simulation was refused: ${JSON.stringify(result.refusals)}`);
    // Two forces adopt a model version (learning's event); the others run the baseline version (ADR 0043).
    for (const [force, version] of [
      ['wiltshire', '2026.1'],
      ['durham', '2027.1'],
    ] as const) {
      await store.append(
        `operating-model-${force}`,
        [
          {
            id: randomUUID(),
            type: LearningEventTypes.ModelVersionAdopted,
            data: { force, version, adoptedAt: '2025-02-01T09:00:00.000Z' },
            metadata: {
              force,
              occurredAt: '2025-02-01T09:00:00.000Z',
              correlationId: randomUUID(),
              causationId: randomUUID(),
              actor: 'XX-0001',
              modelVersion: '2026.1',
              classification: 'OFFICIAL',
            },
          },
        ],
        'no-stream',
      );
    }
    views = await open();
    await views.catchUp();
    events = await readLog();
  }, 600_000);

  afterAll(async () => {
    await views?.close();
    await accessLog?.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const schema of [...schemas, raw.schema]) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    await raw.close();
  });

  it('finds repeat suspects across cases and forces with measured precision and recall', async () => {
    const personOf = new Map([...plan.suspects].map(([suspectId, person]) => [suspectId, person.personId]));
    const result = measureMatching(personOf, await views.indexedMatches());
    const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
    console.log(
      `repeat-suspect matching (seed 2026, ${personOf.size} suspects, ${result.truePairs} true pairs, identifier variation on):\n` +
        (['definite', 'probable', 'possible'] as const)
          .map(
            (s) =>
              `  at least ${s.padEnd(8)}: precision ${pct(result.atLeast[s].precision)} recall ${pct(result.atLeast[s].recall)} (${result.atLeast[s].truePositives}/${result.atLeast[s].emittedPairs} emitted pairs true)`,
          )
          .join('\n') +
        `\n  contradicted by a differing national reference, not emitted: ${views.contradicted}`,
    );
    expect(result.truePairs).toBeGreaterThan(40);
    // Thresholds (ADR 0015): a national reference is unique to a person, so definite matches must be exact; the
    // full name and date of birth collide only for namesakes born the same day; recall is bounded by the
    // variation (a pair with no PNC ID and CRO number in common and a typo in a name cannot be found).
    expect(result.atLeast.definite.precision).toBe(1);
    expect(result.atLeast.probable.precision).toBeGreaterThanOrEqual(0.95);
    expect(result.precision).toBeGreaterThanOrEqual(0.9);
    expect(result.recall).toBeGreaterThanOrEqual(0.85);
  });

  it('sends each match to the forces concerned whose suspect reached a trigger, each on a stream of its own force, with no personal data', () => {
    const matches = events.filter((e) => e.type === NationalEventTypes.RepeatSuspectMatched);
    expect(matches.length).toBeGreaterThan(0);
    const byMatch = new Map<string, RecordedEvent[]>();
    for (const m of matches)
      byMatch.set((m.data as RepeatSuspectMatchedData).matchId, [...(byMatch.get((m.data as RepeatSuspectMatchedData).matchId) ?? []), m]);
    const triggered = new Set(
      events
        .filter((e) =>
          [SuspectEventTypes.SuspectArrested, SuspectEventTypes.SuspectInterviewed, SuspectEventTypes.SuspectCharged].includes(
            e.type as never,
          ),
        )
        .map((e) => String((e.data as { suspectId: string }).suspectId)),
    );
    let crossForce = 0;
    for (const copies of byMatch.values()) {
      const data = copies.map((c) => c.data as RepeatSuspectMatchedData);
      const concerned = new Set([data[0]!.suspect.force, data[0]!.matchedSuspect.force]);
      if (concerned.size === 2) crossForce++;
      // A force is told only once its own suspect was arrested, interviewed or charged (match-disclosure.ts).
      for (const copy of copies) expect(concerned.has(copy.metadata.force as never)).toBe(true);
      expect(new Set(copies.map((c) => c.metadata.force)).size).toBe(copies.length);
      for (const copy of copies) {
        const d = copy.data as RepeatSuspectMatchedData;
        expect(triggered.has(d.suspect.suspectId)).toBe(true);
      }
      for (const copy of copies) {
        const d = copy.data as RepeatSuspectMatchedData;
        expect(copy.metadata.force).toBe(d.suspect.force);
        expect(copy.streamId).toBe(`repeat-suspect-match-${d.suspect.force}-${d.matchId}`);
        expect(d.suspect.caseId).not.toBe(d.matchedSuspect.caseId);
      }
    }
    expect(crossForce).toBeGreaterThan(0);
    // Nothing identifying: no name, birthday or national reference of any suspect appears in a match event.
    const text = JSON.stringify(matches.map((m) => m.data));
    for (const person of plan.suspects.values()) {
      for (const value of [person.pncId, person.dateOfBirth, person.name.split(' ')[1]!]) expect(text).not.toContain(value);
    }
  });

  it('is idempotent: the same log read again into a fresh index appends nothing new', async () => {
    const before = await store.headPosition();
    const again = await open();
    try {
      await again.catchUp();
      expect(await store.headPosition()).toBe(before);
    } finally {
      await again.close();
    }
  });

  it('reports model conformance per force equal to an independent count over the raw log, small counts suppressed', async () => {
    const report = await conformanceReport(views.db, views.schema, THRESHOLD, views.position);
    // Independent computation, from the raw log only.
    const add = (map: Map<string, Partial<RuleCounts>>, force: string, rule: keyof RuleCounts, met: boolean): void => {
      const counts = map.get(force) ?? {};
      const c: Counts = counts[rule] ?? { met: 0, total: 0 };
      counts[rule] = { met: c.met + (met ? 1 : 0), total: c.total + 1 };
      map.set(force, counts);
    };
    // The two rules that are KPIs, by docs/kpis.md: only recorded, uncancelled crimes count; a victim counts once
    // first contacted; a duty (per victim and trigger event) is met on time if met on time and never missed, and
    // missed if its deadline was missed or it was met late, whatever the order.
    const recorded = new Set<string>();
    const cancelled = new Set<string>();
    const duties = new Map<string, { force: string; caseId?: string; onTime?: boolean; missed?: boolean }>();
    const charged = new Map<string, { force: string; at: number }>();
    const acted = new Map<string, number>();
    const victims = new Map<string, { force: string; caseId: string; contacted?: boolean; isva?: boolean }>();
    const stamped = new Map<string, number>();
    const expected = new Map<string, Partial<RuleCounts>>();
    for (const e of events) {
      const d = e.data as Record<string, unknown>;
      const f = e.metadata.force;
      const at = Date.parse(e.metadata.occurredAt);
      if (isForceCode(f)) stamped.set(`${f}|${e.metadata.modelVersion}`, (stamped.get(`${f}|${e.metadata.modelVersion}`) ?? 0) + 1);
      const duty = `${String(d['victimId'])}|${String(d['triggerEventId'])}`;
      if (e.type === CaseEventTypes.CrimeRecorded || e.type === SupersededCaseEventTypes.CrimeRecordedV1) recorded.add(String(d['caseId']));
      if (e.type === CaseEventTypes.RecordingCancelled) cancelled.add(String(d['caseId']));
      if (e.type === VictimEventTypes.UpdateDutyOpened) duties.set(duty, { ...duties.get(duty), force: f, caseId: String(d['caseId']) });
      if (e.type === VictimEventTypes.UpdateDutyMet) {
        const onTime = d['onTime'] === true;
        duties.set(duty, {
          ...duties.get(duty),
          force: f,
          caseId: String(d['caseId']),
          onTime: (duties.get(duty)?.onTime ?? false) || onTime,
          missed: (duties.get(duty)?.missed ?? false) || !onTime,
        });
      }
      if (e.type === VictimEventTypes.UpdateDeadlineMissed)
        duties.set(duty, { ...duties.get(duty), force: f, caseId: String(d['caseId']), missed: true });
      const charging = [SuspectEventTypes.SuspectCharged, CaseEventTypes.ChargingDecisionMade, CaseEventTypes.SuspectChargingDecisionMade];
      if ((charging as string[]).includes(e.type)) {
        const c = String(d['caseId']);
        charged.set(c, { force: f, at: Math.min(at, charged.get(c)?.at ?? Infinity) });
      }
      if (
        [
          SuspectEventTypes.SuspectArrested,
          SuspectEventTypes.SuspectInterviewed,
          SuspectEventTypes.HistoryChecksCompleted,
          SuspectEventTypes.DisruptionTacticRecorded,
          SuspectEventTypes.CivilOrderAppliedFor,
        ].includes(e.type as never)
      ) {
        acted.set(String(d['caseId']), Math.min(at, acted.get(String(d['caseId'])) ?? Infinity));
      }
      if (e.type === VictimEventTypes.FirstContactMade)
        victims.set(String(d['victimId']), {
          ...victims.get(String(d['victimId'])),
          force: f,
          caseId: String(d['caseId']),
          contacted: true,
        });
      if (e.type === VictimEventTypes.ReferredToIsva)
        victims.set(String(d['victimId']), { ...victims.get(String(d['victimId'])), force: f, caseId: String(d['caseId']), isva: true });
      if (e.type === SuspectEventTypes.PreChargeBailGranted || e.type === SuspectEventTypes.BailConditionsChanged)
        add(expected, f, 'bailWithVictimViewsSought', d['victimViewsSought'] === true);
    }
    const counts = (caseId: string | undefined): boolean => caseId !== undefined && recorded.has(caseId) && !cancelled.has(caseId);
    for (const duty of duties.values()) {
      if (counts(duty.caseId) && (duty.missed === true || duty.onTime === true))
        add(expected, duty.force, 'victimUpdatesOnTime', duty.missed !== true);
    }
    for (const [caseId, c] of charged) add(expected, c.force, 'chargesAfterSuspectFocusedAction', (acted.get(caseId) ?? Infinity) < c.at);
    for (const v of victims.values())
      if (v.contacted === true && counts(v.caseId)) add(expected, v.force, 'victimsReferredToIsva', v.isva === true);

    const national: Partial<RuleCounts> = {};
    for (const counts of expected.values()) {
      for (const [rule, c] of Object.entries(counts) as [keyof RuleCounts, Counts][]) {
        national[rule] = { met: (national[rule]?.met ?? 0) + c.met, total: (national[rule]?.total ?? 0) + c.total };
      }
    }
    // The counts themselves (before suppression), then the published report (suppression has its unit test).
    const suppressed = suppressConformance(expected, national, THRESHOLD);
    expect(await ruleCounts(views.db, views.schema)).toEqual(expected);
    expect([...expected.values()].some((c) => (c.chargesAfterSuspectFocusedAction?.total ?? 0) > 0)).toBe(true);
    expect(report.forces.map((f) => f.force)).toEqual(FORCE_CODES.filter((f) => (forces as readonly string[]).includes(f)));
    for (const entry of report.forces) {
      expect({ force: entry.force, rules: entry.rules }).toEqual({ force: entry.force, rules: suppressed.forces.get(entry.force) });
      expect(entry.modelVersion.stamped).toEqual(
        [...stamped].filter(([k]) => k.startsWith(`${entry.force}|`)).map(([k, n]) => ({ version: k.split('|')[1], events: n })),
      );
    }
    expect(report.national).toEqual(suppressed.national);
    expect(report.forces.find((f) => f.force === 'durham')?.modelVersion.adopted).toEqual({
      version: '2027.1',
      adoptedAt: '2025-02-01T09:00:00.000Z',
    });
    expect(report.forces.find((f) => f.force === 'avon-somerset')?.modelVersion.adopted).toBeNull();
    // The simulated history exercises both published and suppressed shares.
    const all: Measure[] = report.forces.flatMap((f) => Object.values(f.rules) as Measure[]);
    expect(all.some((m) => 'suppressed' in m)).toBe(true);
    expect(all.some((m) => 'share' in m)).toBe(true);
    console.log(`model conformance (threshold ${THRESHOLD}): ${JSON.stringify(report.national)}`);
  });

  it("forgets an erased suspect's hashes (privacy's subject-erased event)", async () => {
    const [suspectId] = [...plan.suspects.keys()];
    const count = async (): Promise<number> =>
      Number(
        (await views.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${views.schema}.suspect_keys WHERE suspect_id = $1`, [suspectId]))
          .rows[0]!.n,
      );
    expect(await count()).toBeGreaterThan(0);
    // The erasure event is being added to the catalogue by the privacy work: appended here past validation.
    await raw.append(
      `privacy-${randomUUID()}`,
      [
        {
          id: randomUUID(),
          type: PrivacyEventTypes.SubjectErased,
          data: {
            erasureId: randomUUID(),
            subjectType: 'suspect',
            subjectId: suspectId,
            caseId: randomUUID(),
            keysDestroyed: [`suspect-${suspectId}`],
            reason: 'dpa-s47-erasure',
            reference: null,
            erasedBy: 'WI-0001',
            erasedAt: new Date().toISOString(),
          },
          metadata: {
            force: 'wiltshire',
            occurredAt: new Date().toISOString(),
            correlationId: randomUUID(),
            causationId: randomUUID(),
            actor: 'system:test',
            modelVersion: '2026.1',
            classification: 'OFFICIAL',
          },
        },
      ],
      'no-stream',
    );
    await views.catchUp();
    expect(await count()).toBe(0);
  });
});
