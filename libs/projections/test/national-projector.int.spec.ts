import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { upcast, type ForceCode, type NewEvent } from '#contracts';
import { PostgresEventStore, withUpcasting, type DeadLetterStore, type EventStore } from '#event-store';
import { requiredEnv, testMetadata, uniqueName } from '#testing';
import { NATIONAL_READ_MODELS, NationalProjector } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const at = (day: number) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString();

/** A case of `force`: recorded, and for every other one charged and closed. */
function caseEvents(force: ForceCode, caseId: string, i: number): NewEvent[] {
  const out: NewEvent[] = [
    {
      id: randomUUID(),
      type: 'uk.police.nom.cases.crime-recorded.v2',
      data: {
        caseId,
        crimeReference: 'X/26/000001',
        offence: 'sexual-assault',
        offenceCode: '20A',
        n100Reference: null,
        reportedAt: at(i),
        recordedAt: at(i),
      },
      metadata: testMetadata(force),
    },
  ];
  if (i % 2 === 0)
    out.push({
      id: randomUUID(),
      type: 'uk.police.nom.cases.outcome-recorded.v1',
      data: { caseId, outcomeCode: 1, recordedAt: at(i + 30) },
      metadata: testMetadata(force),
    });
  return out;
}

async function appendCases(store: EventStore, forces: readonly ForceCode[], perForce: number): Promise<void> {
  for (let i = 0; i < perForce; i++) {
    for (const force of forces) {
      const caseId = randomUUID();
      await store.append(`case-${caseId}`, caseEvents(force, caseId, i), 'no-stream');
    }
  }
}

/** Every row of every national table (through the views), ordered. */
async function contents(projector: NationalProjector): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const model of NATIONAL_READ_MODELS) {
    for (const base of model.tables) {
      const rows: { row: string }[] = await projector.manager.query(
        `SELECT to_jsonb(x)::text AS row FROM ${projector.schema}."${base}" x ORDER BY 1`,
      );
      out[base] = rows.map((r) => r.row);
    }
  }
  return out;
}

describe('the national projector', () => {
  let raw: PostgresEventStore;
  let store: EventStore & DeadLetterStore;
  const schemas: string[] = [];
  const open = async (schema: string, batchSize: number): Promise<NationalProjector> => {
    if (!schemas.includes(schema)) schemas.push(schema);
    return NationalProjector.open({ databaseUrl, store, schema, batchSize });
  };

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es_nat') });
    store = withUpcasting(raw, upcast);
  });

  afterAll(async () => {
    await raw.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const s of [raw.schema, ...schemas]) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await client.end();
  });

  it("builds the national KPI facts of every force's events, and resumes from its checkpoint after a restart without counting twice", async () => {
    const forces: ForceCode[] = ['kent', 'durham', 'wiltshire'];
    await appendCases(store, forces, 20);
    const schema = uniqueName('nat');
    // Small batches: the checkpoint moves many times; the tail runs in the background.
    const first = await open(schema, 7);
    first.start();
    await first.catchUp({ timeoutMs: 60_000 });
    const before = await contents(first);
    expect(before['kpi_cases']).toHaveLength(60);
    const byForce: { force: string; n: number }[] = await first.manager.query(
      `SELECT force, count(*)::int AS n FROM ${schema}."kpi_cases" GROUP BY force ORDER BY force`,
    );
    expect(byForce).toEqual(forces.map((force) => ({ force, n: 20 })).sort((a, b) => a.force.localeCompare(b.force)));
    const [live] = (await first.builds()).filter((b) => b.status === 'live');
    expect(live!.appliedEvents).toBe(90);
    expect(live!.appliedPosition).toBe(await store.headPosition());
    await first.close();

    // More history while it is down; a restart resumes after its checkpoint.
    await appendCases(store, ['kent', 'cumbria'], 5);
    const second = await open(schema, 7);
    await second.catchUp({ timeoutMs: 60_000 });
    const [after] = (await second.builds()).filter((b) => b.status === 'live');
    expect(after!.version).toBe(live!.version);
    expect(after!.appliedEvents).toBe(90 + 16);
    const resumed = await contents(second);
    expect(resumed['kpi_cases']).toHaveLength(70);
    const lag = await second.lag();
    expect(lag).toEqual([expect.objectContaining({ readModel: 'national_kpis', status: 'live', eventsBehind: 0, secondsBehind: 0 })]);
    // A second step over the same log changes nothing (the checkpoint is the batch's).
    expect(await second.step()).toBe(0);
    await second.close();

    // A fresh application of the whole log, in one batch, gives the same rows.
    const fresh = await open(uniqueName('nat_fresh'), 10_000);
    await fresh.catchUp({ timeoutMs: 60_000 });
    expect(await contents(fresh)).toEqual(resumed);
    await fresh.close();
  });

  it('rebuilds a read model whose code version changed beside the live build, and switches once caught up', async () => {
    const schema = uniqueName('nat_v');
    const v1 = await open(schema, 50);
    await v1.catchUp({ timeoutMs: 60_000 });
    const rows = await contents(v1);
    await v1.close();
    const bumped = NATIONAL_READ_MODELS.map((m) => ({ ...m, version: m.version + 1 }));
    schemas.push(schema);
    const v2 = await NationalProjector.open({ databaseUrl, store, schema, batchSize: 50, readModels: bumped });
    await v2.catchUp({ timeoutMs: 60_000 });
    // catch-up drives the building build too; it switches in the batch that reaches the live build's position.
    const builds = await v2.builds();
    expect(builds.map((b) => ({ version: b.version, status: b.status, codeVersion: b.codeVersion }))).toEqual([
      { version: bumped[0]!.version, status: 'live', codeVersion: bumped[0]!.version },
    ]);
    expect(await contents(v2)).toEqual(rows);
    await v2.close();
  });
});
