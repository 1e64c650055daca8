import pg from 'pg';
import request from 'supertest';
import { forceTopic } from '#contracts';
import { NATIONAL_READ_MODELS, PROJECTOR_READ_MODELS } from '#projections';
import { waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/**
 * Force projections over HTTP (issue 4): a force is projected once the national team onboards it (its events
 * caught up from its topic's beginning), in its own schema or its own database; lag per force and nationally;
 * a rebuild while the read model serves; dead letters listed and retried.
 */
/** The scraper's token (NOM_METRICS_TOKEN): /metrics answers nobody else. */
const METRICS_TOKEN = 'e2e-scraper-token-0123456789abcdef0123';

describe('force projections: onboarding, lag, rebuild and dead letters over HTTP', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let national: string;
  const bearer = async (force: Parameters<RunningBackbone['token']>[0], roles: Parameters<RunningBackbone['token']>[1]): Promise<string> =>
    `Bearer ${await backbone.token(force, roles)}`;
  let createdDatabase: string | undefined;

  beforeAll(async () => {
    backbone = await startBackbone(['avon-somerset'], undefined, { NOM_METRICS_TOKEN: METRICS_TOKEN, NOM_METRICS_REFRESH_MS: '200' });
    http = request(backbone.app.getHttpServer());
    national = await bearer('national', ['national-team']);
  });

  afterAll(async () => {
    await backbone.close();
    if (createdDatabase) {
      const client = new pg.Client({ connectionString: backbone.config.databaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${createdDatabase} WITH (FORCE)`);
      await client.end();
    }
  });

  const recordCrime = async (force: 'kent' | 'essex', reference: string): Promise<string> => {
    const res = await http
      .post(`/forces/${force}/cases`)
      .set('Authorization', await bearer(force, ['officer']))
      .send({ crimeReference: reference, offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    return res.body.caseId as string;
  };

  const schemaExists = async (schema: string, databaseUrl = backbone.config.databaseUrl!): Promise<boolean> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;
    } finally {
      await client.end();
    }
  };

  it("projects a force only once the national team onboards it, from its topic's beginning; onboarding again changes nothing", async () => {
    const kentOfficer = await bearer('kent', ['officer']);
    const caseId = await recordCrime('kent', 'KE/26/000101');
    const schema = `${backbone.config.projectionSchemaPrefix}kent`;
    // Not projected: no read model of kent's to answer from (503 problem+json, as /investigations answers).
    const before = await http.get(`/forces/kent/case-summaries/${caseId}`).set('Authorization', kentOfficer).expect(503);
    expect(before.body.type).toBe('urn:uk:police:nom:problem:read-model-not-ready');
    expect(await schemaExists(schema)).toBe(false);

    // Only the national team may onboard; a force's administrator may not.
    await http
      .post('/national/forces/kent/onboarding')
      .set('Authorization', await bearer('kent', ['administrator']))
      .send({})
      .expect(403);
    await http.post('/national/forces/atlantis/onboarding').set('Authorization', national).send({}).expect(404);
    await http.post('/national/forces/kent/onboarding').set('Authorization', national).send({ isolation: 'cloud' }).expect(400);
    const onboarded = await http
      .post('/national/forces/kent/onboarding')
      .set('Authorization', national)
      .send({ isolation: 'schema' })
      .expect(201);
    expect(onboarded.body).toMatchObject({ force: 'kent', isolation: 'schema', schema, database: null, onboardedBy: 'NA-1001' });

    const row = await waitFor('the case recorded before onboarding to be projected', async () => {
      const res = await http.get(`/forces/kent/case-summaries/${caseId}`).set('Authorization', kentOfficer);
      return res.status === 200 ? (res.body as Record<string, unknown>) : undefined;
    });
    expect(row).toMatchObject({ caseId, status: 'recorded', crimeReference: 'KE/26/000101' });
    expect(await schemaExists(schema)).toBe(true);
    // A case recorded after onboarding is projected too, and avon-somerset's projection holds neither.
    const later = await recordCrime('kent', 'KE/26/000102');
    await waitFor(
      'the later case',
      async () => (await http.get(`/forces/kent/case-summaries/${later}`).set('Authorization', kentOfficer)).status === 200,
    );
    const avon = await http
      .get('/forces/avon-somerset/case-summaries')
      .set('Authorization', await bearer('avon-somerset', ['officer']))
      .expect(200);
    expect(avon.body).toEqual([]);

    const again = await http
      .post('/national/forces/kent/onboarding')
      .set('Authorization', national)
      .send({ isolation: 'schema' })
      .expect(200);
    expect(again.body).toEqual(onboarded.body);
    const moved = await http
      .post('/national/forces/kent/onboarding')
      .set('Authorization', national)
      .send({ isolation: 'database' })
      .expect(409);
    expect(moved.body.type).toBe('urn:uk:police:nom:problem:state/force-already-onboarded');
    const forces = await http.get('/national/forces').set('Authorization', national).expect(200);
    expect((forces.body as { force: string }[]).map((f) => f.force)).toEqual(['avon-somerset', 'kent']);
  });

  it('onboards a force into a database of its own', async () => {
    const caseId = await recordCrime('essex', 'EX/26/000001');
    const res = await http
      .post('/national/forces/essex/onboarding')
      .set('Authorization', national)
      .send({ isolation: 'database' })
      .expect(201);
    createdDatabase = res.body.database as string;
    expect(res.body).toMatchObject({
      force: 'essex',
      isolation: 'database',
      database: `${backbone.config.projectionSchemaPrefix}essex`,
      schema: `${backbone.config.projectionSchemaPrefix}essex`,
    });
    const url = new URL(backbone.config.databaseUrl!);
    url.pathname = `/${createdDatabase}`;
    // The read models' API reads each force's views where its onboarding placed them (ADR 0027): essex's own
    // database, created by the projector once it takes the onboarding (a 503 until then).
    const essexOfficer = await bearer('essex', ['officer']);
    const served = await waitFor(
      'the essex case served from its own database',
      async () => {
        const answer = await http.get(`/forces/essex/investigations/${caseId}`).set('Authorization', essexOfficer);
        return answer.status === 200 ? (answer.body as { caseId: string }) : undefined;
      },
      { intervalMs: 200 },
    );
    expect(served).toMatchObject({ caseId });
    const alias = await http.get(`/forces/essex/case-summaries/${caseId}`).set('Authorization', essexOfficer).expect(200);
    expect(alias.body).toMatchObject({ caseId });
    // Only there: the row is in essex's database, and nothing of essex's is in the main one.
    const own = new pg.Client({ connectionString: url.toString() });
    await own.connect();
    try {
      expect((await own.query(`SELECT 1 FROM ${res.body.schema as string}.investigations WHERE case_id = $1`, [caseId])).rowCount).toBe(1);
    } finally {
      await own.end();
    }
    // Another force's officer gets the bare 404 of every force route (the force scope comes before the placement).
    await http
      .get(`/forces/essex/investigations/${caseId}`)
      .set('Authorization', await bearer('kent', ['officer']))
      .expect(404);
    expect(await schemaExists(res.body.schema as string, url.toString())).toBe(true);
    expect(await schemaExists(res.body.schema as string)).toBe(false);
  });

  it('reports lag per force to its integration team, for every force to the national team, and as Prometheus text', async () => {
    const integration = await bearer('kent', ['force-integration']);
    const lag = await waitFor('kent caught up', async () => {
      const res = await http.get('/forces/kent/projections/lag').set('Authorization', integration).expect(200);
      const body = res.body as { force: string; readModels: { eventsBehind: number }[] };
      return body.readModels.every((m) => m.eventsBehind === 0) ? body : undefined;
    });
    // Every read model the projector keeps (the force read models), each with its own progress.
    expect(lag.force).toBe('kent');
    expect(lag.readModels.map((m) => (m as unknown as { readModel: string }).readModel).sort()).toEqual(
      PROJECTOR_READ_MODELS.map((m) => m.name).sort(),
    );
    for (const model of lag.readModels) {
      const version = PROJECTOR_READ_MODELS.find((m) => m.name === (model as unknown as { readModel: string }).readModel)!.version;
      expect(model).toEqual(
        expect.objectContaining({ version, status: 'live', stale: false, eventsBehind: 0, secondsBehind: 0, appliedEvents: 2 }),
      );
    }
    await http
      .get('/forces/kent/projections/lag')
      .set('Authorization', await bearer('kent', ['officer']))
      .expect(403);
    await http
      .get('/forces/kent/projections/lag')
      .set('Authorization', await bearer('wiltshire', ['force-integration']))
      .expect(404);
    // Every force's, then the national read models' (one tail of the whole log), caught up with the log's head.
    const all = await waitFor('the national read models caught up', async () => {
      const res = await http.get('/national/projections/lag').set('Authorization', national).expect(200);
      const body = res.body as {
        force: string;
        readModels: { readModel: string; eventsBehind: number; headPosition: string; appliedPosition: string }[];
      }[];
      const nat = body.find((f) => f.force === 'national');
      return nat?.readModels.every((m) => m.eventsBehind === 0 && m.appliedPosition === m.headPosition) ? body : undefined;
    });
    expect(all.map((f) => f.force)).toEqual(['avon-somerset', 'essex', 'kent', 'national']);
    expect(all.at(-1)!.readModels.map((m) => m.readModel)).toEqual(NATIONAL_READ_MODELS.map((m) => m.name));
    // The scraper's token only: no token, a wrong one, or a user's token with every role is refused.
    await http.get('/metrics').expect(401);
    await http.get('/metrics').set('Authorization', 'Bearer not-the-scraper-token').expect(401);
    await http.get('/metrics').set('Authorization', national).expect(401);
    // Served from the last refresh (every NOM_METRICS_REFRESH_MS): polled until it shows kent caught up.
    const metrics = await waitFor('kent caught up in /metrics', async () => {
      const res = await http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      return res.text.includes('nom_projection_events_behind{force="kent",read_model="investigations",version="1",status="live"} 0')
        ? res
        : undefined;
    });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toContain('nom_projection_dead_letters{force="kent"} 0');
    expect(metrics.text).toContain('nom_projection_events_behind{force="national",read_model="national_kpis",version="7",status="live"} 0');
  });

  it("rebuilds a read model on an administrator's command while it keeps serving, then serves the new build", async () => {
    const kentOfficer = await bearer('kent', ['officer']);
    const admin = await bearer('kent', ['administrator']);
    await http
      .post('/forces/kent/projections/investigations/rebuild')
      .set('Authorization', await bearer('kent', ['force-integration']))
      .expect(403);
    await http.post('/forces/kent/projections/no_such_model/rebuild').set('Authorization', admin).expect(404);
    await http
      .post('/forces/kent/projections/investigations/rebuild')
      .set('Authorization', admin)
      .expect(202, { readModel: 'investigations', status: 'building' });
    const integration = await bearer('kent', ['force-integration']);
    await waitFor('build 2 to be live', async () => {
      const res = await http.get('/forces/kent/projections/lag').set('Authorization', integration);
      const models = (res.body as { readModels: { readModel: string; version: number; status: string }[] }).readModels.filter(
        (m) => m.readModel === 'investigations',
      );
      return models.length === 1 && models[0]!.version === 2 && models[0]!.status === 'live';
    });
    const list = await http.get('/forces/kent/case-summaries').set('Authorization', kentOfficer).expect(200);
    expect((list.body as { crimeReference: string }[]).map((c) => c.crimeReference).sort()).toEqual(['KE/26/000101', 'KE/26/000102']);
  });

  it('lists a poison record as a dead letter and answers its retry with 409 while it still fails', async () => {
    const integration = await bearer('kent', ['force-integration']);
    await backbone.infrastructure.bus.publish([
      {
        topic: forceTopic('kent', backbone.config.topicPrefix),
        records: [{ key: 'case-x', value: Buffer.from('{not json'), headers: { ce_specversion: '1.0' } }],
      },
    ]);
    const dead = await waitFor('the dead letter', async () => {
      const res = await http.get('/forces/kent/projections/dead-letters').set('Authorization', integration).expect(200);
      return (res.body as { id: string; reason: string }[]).length === 1 ? (res.body as { id: string; reason: string }[]) : undefined;
    });
    expect(dead[0]!.reason).toMatch(/not JSON|missing header/);
    const retry = await http
      .post(`/forces/kent/projections/dead-letters/${dead[0]!.id}/retry`)
      .set('Authorization', integration)
      .expect(409);
    expect(retry.body).toMatchObject({ type: 'urn:uk:police:nom:problem:state/dead-letter-still-failing' });
    await http.post('/forces/kent/projections/dead-letters/999999/retry').set('Authorization', integration).expect(404);
    await http.post('/forces/kent/projections/dead-letters/not-a-number/retry').set('Authorization', integration).expect(404);
    await waitFor('the dead letter in /metrics', async () =>
      (await http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text.includes(
        'nom_projection_dead_letters{force="kent"} 1',
      ),
    );
  });
});
