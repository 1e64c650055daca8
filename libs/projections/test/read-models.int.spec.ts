import pg from 'pg';
import type { RecordedEvent } from '#contracts';
import { FORCE_READ_MODELS, ForceProjector } from '#projections';
import { requiredEnv, uniqueName } from '#testing';
import { history } from './read-model-history.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/** Every row of every table (through the views), ordered, for comparing two builds. */
async function contents(projector: ForceProjector): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const model of FORCE_READ_MODELS) {
    for (const base of model.tables)
      out[base] = await projector.manager.query(`SELECT to_jsonb(x)::text AS row FROM ${projector.schema}."${base}" x ORDER BY 1`);
  }
  return out;
}

/** The force projection runtime's apply path (one transaction per batch, each (stream, revision) once), with queries. */
interface Runtime {
  readonly schema: string;
  apply(events: readonly RecordedEvent[]): Promise<number>;
  query<T>(sql: string): Promise<T[]>;
}

describe('force read models applied in batches by the projection runtime', () => {
  const schemas: string[] = [];
  const projectors: ForceProjector[] = [];
  const open = async (): Promise<Runtime> => {
    const schema = uniqueName('rm');
    schemas.push(schema);
    // No store: a new force's builds go live at once and take batches through `apply`, as from its topic.
    const projector = await ForceProjector.open({
      databaseUrl,
      force: 'avon-somerset',
      schema,
      readModels: FORCE_READ_MODELS,
      poolSize: 2,
    });
    projectors.push(projector);
    return { schema, apply: (events) => projector.apply(events), query: <T>(sql: string) => projector.manager.query<T[]>(sql) };
  };
  const contentsOf = (runtime: Runtime) => contents(projectors.find((p) => p.schema === runtime.schema)!);

  afterAll(async () => {
    for (const p of projectors) await p.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const s of schemas) await client.query(`DROP SCHEMA ${s} CASCADE`);
    await client.end();
  });

  it('give the same rows whatever the batches and the interleaving of streams, and a redelivered batch changes nothing', async () => {
    const events = history();
    const whole = await open();
    await whole.apply(events);

    // One event per batch, streams interleaved in reverse (each stream's own order kept), then everything again.
    const streams = new Map<string, RecordedEvent[]>();
    for (const e of events) (streams.get(e.streamId) ?? streams.set(e.streamId, []).get(e.streamId)!).push(e);
    const queues = [...streams.values()].reverse();
    const piecemeal = await open();
    while (queues.some((q) => q.length > 0)) for (const q of queues) if (q.length > 0) await piecemeal.apply([q.shift()!]);
    expect(await piecemeal.apply(events)).toBe(0);

    const a = await contentsOf(whole);
    expect(a['investigations']).toHaveLength(3);
    expect(a['investigation_timeline']!.length).toBe(
      events.filter((e) => 'caseId' in (e.data as object) && !e.type.includes('.learning.')).length,
    );
    expect(await contentsOf(piecemeal)).toEqual(a);
  });

  it('keep statuses, dates and codes per investigation, suspect, victim, duty and officer', async () => {
    const runtime = await open();
    const events = history();
    await runtime.apply(events);
    const s = runtime.schema;
    const statuses = await runtime.query<{ status: string; outcome_code: number | null; reopened_count: number }>(
      `SELECT status, outcome_code, reopened_count FROM ${s}."investigations" ORDER BY status, outcome_code`,
    );
    expect(statuses).toEqual([
      { status: 'closed', outcome_code: 1, reopened_count: 0 },
      { status: 'closed', outcome_code: 16, reopened_count: 0 },
      { status: 'under-investigation', outcome_code: null, reopened_count: 1 },
    ]);
    expect(await runtime.query(`SELECT status, arrested_at IS NOT NULL AS arrested FROM ${s}."suspects"`)).toEqual([
      { status: 'charged', arrested: true },
    ]);
    expect(await runtime.query(`SELECT withdrawn, withdrawal_stage FROM ${s}."victim_engagement" WHERE withdrawn`)).toEqual([
      { withdrawn: true, withdrawal_stage: 'awaiting-charging-decision' },
    ]);
    expect(await runtime.query(`SELECT status, missed FROM ${s}."victim_update_duties" ORDER BY status, missed`)).toEqual([
      { status: 'met', missed: false },
      { status: 'open', missed: false },
      { status: 'open', missed: true },
    ]);
    expect(
      await runtime.query(`SELECT officer_id, count(*) FILTER (WHERE open)::int AS open FROM ${s}."case_assignments" GROUP BY officer_id`),
    ).toEqual([{ officer_id: 'AS-4471', open: 1 }]);
    expect(await runtime.query(`SELECT accreditations FROM ${s}."officer_learning"`)).toEqual([
      { accreditations: { ssaidp: { status: 'achieved', at: '2026-01-01T00:00:00.000Z' } } },
    ]);
  });
});
