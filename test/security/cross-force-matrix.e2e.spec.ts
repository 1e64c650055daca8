import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { generateAuditSigner } from '#audit';
import { NationalModule } from '#national';
import type { Role } from '#platform';
import { requiredEnv, uniqueName } from '#testing';
import { everyApi, startBackbone, storedEventCount, type RunningBackbone } from '../support/backbone.js';
import { exampleBody } from '../support/example-body.js';
import { apiOf, fill, isPublicRoute, routesOf, type Method, type Route } from '../support/routes.js';

/**
 * The cross-force matrix (issue 5, "Identity and authorisation"): every route the app publishes in its OpenAPI
 * document, called by a caller of wiltshire in each force role,
 *  (a) on avon-somerset's path (force = avon-somerset, ids of avon-somerset resources), and
 *  (b) on its own force's path with avon-somerset's ids,
 * must answer 403 or 404, never reveal an avon-somerset id, and, for (b), answer exactly as for ids that exist
 * nowhere, so not even existence leaks. Nothing may be written. The routes come from /docs-json, so a route
 * added later is covered without touching this test.
 */

/** Every role a caller of a force may hold (national-team is held only with force 'national'). */
const FORCE_ROLES: readonly Role[] = ['officer', 'supervisor', 'force-integration', 'national-auditor', 'researcher', 'administrator'];

/** Path parameters naming a resource of a force: filled with avon-somerset's, or with ids that exist nowhere. */
/**
 * Resources whose ids are global (a case, suspect or victim id names one stream, owned by one force). Officer
 * records are kept per force (`officer-<force>-<officerId>`): `/forces/wiltshire/officers/AS-4471` can only ever
 * address Wiltshire's own record of that officer id, so variant (b) has nothing of another force's to reach there.
 */
const GLOBAL_RESOURCE_PARAMS: readonly string[] = ['caseId', 'suspectId', 'victimId', 'keyId'];
/** `keyId`: a data key's id, the stream id (`victim-<uuid>`), as the subject-keys route takes it (ADR 0011). */
type ResourceParam = 'caseId' | 'suspectId' | 'victimId' | 'officerId' | 'keyId';

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
  readonly etag: string | undefined;
  readonly location: string | undefined;
}

interface Failure {
  readonly variant: 'a: avon-somerset path' | 'b: own force, avon-somerset ids';
  readonly role: Role;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: string;
  readonly why: string[];
}

describe('the cross-force matrix: every route x every role, from another force, answers 403/404 and reveals nothing', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  /** avon-somerset's resources, by path parameter name. */
  const avon: Record<ResourceParam, string> = { caseId: '', suspectId: '', victimId: '', officerId: 'AS-4471', keyId: '' };
  /** The same names filled with ids that exist in no force (same shape, so validation treats both alike). */
  const nowhere: Record<ResourceParam, string> = {
    caseId: randomUUID(),
    suspectId: randomUUID(),
    victimId: randomUUID(),
    officerId: 'ZZ-9090',
    keyId: `suspect-${randomUUID()}`,
  };
  /** Path parameters that are not resources of a force: plausible values, the same in every call. */
  const others: Record<string, string> = {
    programme: 'ssaidp',
    lineId: randomUUID(),
    reviewId: randomUUID(),
    extractionId: randomUUID(),
    requestId: randomUUID(),
    adviceRequestId: randomUUID(),
    actionId: randomUUID(),
    orderId: randomUUID(),
    version: '2026.1',
    deadLetterId: '1',
    readModel: 'investigations',
    forceCode: 'kent',
  };
  let routes: Route[] = [];
  const nationalSchema = uniqueName('matrix_nat');

  beforeAll(async () => {
    backbone = await startBackbone(
      ['avon-somerset', 'wiltshire'],
      everyApi(
        { publicKey: generateAuditSigner().publicKey },
        NationalModule.forRoot({ matchingKey: randomBytes(32), schema: nationalSchema }),
      ),
    );
    http = request(backbone.app.getHttpServer());
    const officer = `Bearer ${await backbone.token('avon-somerset', ['officer'], 'AS-4471')}`;
    const supervisor = `Bearer ${await backbone.token('avon-somerset', ['supervisor'], 'AS-2210')}`;

    // avon-somerset's resources: an officer's development record, a case with a plan and a linked suspect, a victim.
    await http
      .post(`/forces/avon-somerset/officers/${avon.officerId}/accreditations`)
      .set('Authorization', supervisor)
      .send({ programme: others['programme'] })
      .expect(200);
    const crime = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', officer)
      .send({ crimeReference: 'AS/26/007001', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    avon.caseId = crime.body.caseId as string;
    const casePath = `/forces/avon-somerset/cases/${avon.caseId}`;
    await http.post(`${casePath}/investigation`).set('Authorization', officer).expect(200);
    await http
      .put(`${casePath}/plan`)
      .set('Authorization', officer)
      .send({ linesOfEnquiry: [{ lineId: others['lineId'], category: 'suspect-history' }] })
      .expect(200);
    const suspect = await http
      .post('/forces/avon-somerset/suspects')
      .set('Authorization', officer)
      .send({ caseId: avon.caseId, name: 'Daniel Marsh', dateOfBirth: '1988-04-17' })
      .expect(201);
    avon.suspectId = suspect.body.suspectId as string;
    // The suspect's stream has personal data, so it has a data key: the subject-keys route has something to hide.
    avon.keyId = `suspect-${avon.suspectId}`;
    await http.post(`${casePath}/suspects`).set('Authorization', officer).send({ suspectId: avon.suspectId }).expect(200);
    const victim = await http
      .post(`${casePath}/victims`)
      .set('Authorization', officer)
      .send({ offence: 'rape-of-female-16-plus', channel: 'in-person' })
      .expect(201);
    avon.victimId = victim.body.victimId as string;

    // The routes, from the app's own OpenAPI document.
    routes = await routesOf(backbone.app);
  });

  afterAll(async () => {
    await backbone?.close();
    const client = new pg.Client({ connectionString: requiredEnv('DATABASE_URL') });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${nationalSchema} CASCADE`);
    await client.end();
  });

  const countEvents = (): Promise<number> => storedEventCount(backbone);

  const call = async (method: Method, path: string, token: string): Promise<Answer> => {
    let req = http[method](path).set('Authorization', `Bearer ${token}`);
    // A minimal, valid-looking JSON body: if validation answered before the scope check, the matrix says so.
    if (method === 'post' || method === 'put' || method === 'patch') req = req.send({});
    const res = await req;
    return { status: res.status, body: res.body as unknown, text: res.text, etag: res.headers['etag'], location: res.headers['location'] };
  };

  /** Everything wrong with an answer to a cross-force call (empty when it is as it must be). */
  const judge = (answer: Answer): string[] => {
    const why: string[] = [];
    if (answer.status !== 403 && answer.status !== 404) why.push(`status ${answer.status}, expected 403 or 404`);
    for (const [name, id] of Object.entries(avon)) {
      if (answer.text.includes(id)) why.push(`the body reveals avon-somerset's ${name} ${id}`);
      if (answer.location?.includes(id)) why.push(`the Location header reveals avon-somerset's ${name} ${id}`);
    }
    // Express's own weak ETag (a hash of the body) says nothing the body does not; a revision ETag would.
    if (answer.etag !== undefined && !answer.etag.startsWith('W/')) why.push(`a revision ETag (${answer.etag}) was returned`);
    return why;
  };

  /** Routes a force's caller reaches under /forces/{force}; the rest (national, public) are tested apart. */
  const forceRoutes = (): Route[] => routes.filter((r) => r.template.startsWith('/forces/{force}/'));

  it('publishes force-scoped routes covering cases, suspects, victims, officers and the operating model, each filled from avon-somerset', () => {
    const templates = forceRoutes().map((r) => r.template);
    expect(templates).toEqual(
      expect.arrayContaining([
        '/forces/{force}/cases/{caseId}',
        '/forces/{force}/suspects/{suspectId}',
        '/forces/{force}/victims/{victimId}',
        '/forces/{force}/officers/{officerId}',
        '/forces/{force}/operating-model',
        '/forces/{force}/access-log',
      ]),
    );
    // Every route is either public, national or force-scoped: nothing escapes the matrix unnoticed.
    const unclassified = routes.filter(
      (r) => !r.template.startsWith('/forces/{force}/') && !r.template.startsWith('/national/') && !isPublicRoute(r.template),
    );
    expect(unclassified).toEqual([]);
    // Every path parameter has a value.
    const unknown = forceRoutes().flatMap((r) =>
      r.params.filter((p) => p !== 'force' && !(p in avon) && !(p in others)).map((p) => `${r.template}: {${p}}`),
    );
    expect(unknown).toEqual([]);
  });

  it("answers every route x every role of wiltshire with 403/404 on avon-somerset's resources, identical to ids that exist nowhere, and writes nothing", async () => {
    const tokens = new Map<Role, string>();
    for (const role of FORCE_ROLES) tokens.set(role, await backbone.token('wiltshire', [role], 'WI-3001'));
    const matrix = forceRoutes();
    // (b) only concerns routes naming a resource: a route under /forces/wiltshire with no id (e.g. POST .../cases,
    // GET .../case-summaries) is the caller's own force's, not another's, so it has nothing to hide from them.
    const withIds = matrix.filter((r) => r.params.some((p) => GLOBAL_RESOURCE_PARAMS.includes(p)));
    const before = await countEvents();
    const failures: Failure[] = [];
    let calls = 0;

    for (const route of matrix) {
      for (const role of FORCE_ROLES) {
        const token = tokens.get(role)!;
        // (a) avon-somerset's path.
        const pathA = fill(route.template, { ...others, ...avon, force: 'avon-somerset' });
        const a = await call(route.method, pathA, token);
        calls++;
        const whyA = judge(a);
        if (whyA.length > 0)
          failures.push({
            variant: 'a: avon-somerset path',
            role,
            method: route.method.toUpperCase(),
            path: pathA,
            status: a.status,
            body: a.text,
            why: whyA,
          });
        if (!withIds.includes(route)) continue;

        // (b) the caller's own force, avon-somerset's ids; compared with ids that exist nowhere.
        const pathB = fill(route.template, { ...others, ...avon, force: 'wiltshire' });
        const b = await call(route.method, pathB, token);
        const none = await call(route.method, fill(route.template, { ...others, ...nowhere, force: 'wiltshire' }), token);
        calls++;
        const whyB = judge(b);
        if (b.status !== none.status || JSON.stringify(b.body) !== JSON.stringify(none.body)) {
          whyB.push(`differs from an id that exists nowhere (${none.status} ${none.text})`);
        }
        if (whyB.length > 0)
          failures.push({
            variant: 'b: own force, avon-somerset ids',
            role,
            method: route.method.toUpperCase(),
            path: pathB,
            status: b.status,
            body: b.text,
            why: whyB,
          });
      }
    }

    const after = await countEvents();
    console.log(
      `cross-force matrix: ${matrix.length} force-scoped routes x ${FORCE_ROLES.length} roles x 2 variants ` +
        `(${matrix.length * FORCE_ROLES.length} calls in (a); ${withIds.length * FORCE_ROLES.length} in (b), where ${matrix.length - withIds.length} routes name no case, suspect or victim) = ${calls} calls` +
        (failures.length > 0
          ? `; ${failures.length} failed:\n${failures.map((f) => `  [${f.variant}] ${f.role} ${f.method} ${f.path} -> ${f.status} ${f.body}\n    ${f.why.join('; ')}`).join('\n')}`
          : '; all passed'),
    );
    // One assertion, so that a failure shows both what was answered and what was written.
    expect({ failures, eventsWritten: after - before }).toEqual({ failures: [], eventsWritten: 0 });
  });

  // Diagnostic for the matrix's (b) 400s: past validation (a valid body, as in the journey tests), a command on
  // avon-somerset's resource from wiltshire's own path must meet the resource's force check: 404, as for an id that
  // exists nowhere, and nothing stored.
  it("past validation, a wiltshire command on avon-somerset's case, suspect or victim is 404, as for an id that exists nowhere", async () => {
    const token = await backbone.token('wiltshire', ['officer', 'supervisor'], 'WI-3001');
    const probes: [Method, string, Record<string, unknown>][] = [
      ['post', '/forces/wiltshire/cases/{caseId}/crime', { crimeReference: 'WI/26/000001', offence: 'rape-of-female-16-plus' }],
      ['put', '/forces/wiltshire/cases/{caseId}/investigator', { officerId: 'WI-3001' }],
      ['post', '/forces/wiltshire/cases/{caseId}/suspects', { suspectId: randomUUID() }],
      ['post', '/forces/wiltshire/cases/{caseId}/outcome', { outcomeCode: 1 }],
      ['post', '/forces/wiltshire/cases/{caseId}/victims', { offence: 'rape-of-female-16-plus', channel: 'in-person' }],
      [
        'post',
        '/forces/wiltshire/suspects/{suspectId}/arrest',
        {
          arrestedAt: new Date(Date.now() - 3_600_000).toISOString(),
          custodyClockStartedAt: new Date(Date.now() - 3_000_000).toISOString(),
        },
      ],
      ['post', '/forces/wiltshire/victims/{victimId}/isva-referral', { isvaService: 'Wiltshire ISVA' }],
    ];
    const before = await countEvents();
    const failures: string[] = [];
    for (const [method, template, body] of probes) {
      const send = async (ids: Record<string, string>): Promise<{ status: number; text: string }> => {
        const res = await http[method](fill(template, ids)).set('Authorization', `Bearer ${token}`).send(body);
        return { status: res.status, text: res.text };
      };
      const b = await send(avon);
      const none = await send(nowhere);
      const leaks = Object.values(avon).filter((id) => b.text.includes(id));
      if (b.status !== 404 || b.text !== none.text || leaks.length > 0)
        failures.push(`${method.toUpperCase()} ${template} -> ${b.status} ${b.text} (nowhere: ${none.status} ${none.text})`);
    }
    expect({ failures, eventsWritten: (await countEvents()) - before }).toEqual({ failures: [], eventsWritten: 0 });
  });

  // Ids in bodies are checked like ids in paths (issue 12, item 6): every route whose request body names a case, suspect,
  // victim or data subject, called on wiltshire's own path (its own case, suspect and victim, so that the path passes)
  // with avon-somerset's id in the body, answers 404, reveals nothing and writes nothing; where the body names an
  // existing resource (not a new one's client-chosen id), exactly as for an id that exists nowhere.
  it("answers 404 to every body naming avon-somerset's case, suspect, victim or subject, as for an id that exists nowhere, and writes nothing", async () => {
    const token = await backbone.token('wiltshire', [...FORCE_ROLES], 'WI-3001');
    const bearer = `Bearer ${token}`;
    const crime = await http
      .post('/forces/wiltshire/cases')
      .set('Authorization', bearer)
      .send({ crimeReference: 'WI/26/007001', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const own: Record<string, string> = { caseId: crime.body.caseId as string, officerId: 'WI-3002' };
    await http.post(`/forces/wiltshire/cases/${own['caseId']}/investigation`).set('Authorization', bearer).expect(200);
    const suspect = await http
      .post('/forces/wiltshire/suspects')
      .set('Authorization', bearer)
      .send({ caseId: own['caseId'], name: 'Owen Price' })
      .expect(201);
    own['suspectId'] = suspect.body.suspectId as string;
    own['keyId'] = `suspect-${own['suspectId']}`;
    const victim = await http
      .post(`/forces/wiltshire/cases/${own['caseId']}/victims`)
      .set('Authorization', bearer)
      .send({ offence: 'rape-of-female-16-plus', channel: 'in-person' })
      .expect(201);
    own['victimId'] = victim.body.victimId as string;

    const { routes: all, schemas } = await apiOf(backbone.app);
    /** The body's properties naming a resource of a force, and the id of avon-somerset's (or nowhere's) to put there. */
    const idFor = (field: string, body: Record<string, unknown>, ids: Record<ResourceParam, string>): string | undefined => {
      if (field === 'subjectId')
        return body['subjectType'] === 'victim' ? ids.victimId : body['subjectType'] === 'suspect' ? ids.suspectId : undefined;
      return field === 'caseId' || field === 'suspectId' || field === 'victimId' ? ids[field] : undefined;
    };
    const propertiesOf = (operation: unknown): string[] => {
      const ref = (operation as { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }).requestBody?.content?.[
        'application/json'
      ]?.schema?.$ref;
      const schema = ref ? (schemas[ref.replace('#/components/schemas/', '')] as { properties?: Record<string, unknown> }) : undefined;
      return Object.keys(schema?.properties ?? {});
    };
    const bodyRoutes = all
      .filter((r) => r.template.startsWith('/forces/{force}/') && r.method !== 'get')
      .flatMap((route) =>
        propertiesOf(route.operation)
          .filter((p) => ['caseId', 'suspectId', 'victimId', 'subjectId'].includes(p))
          .map((field) => ({ route, field })),
      );
    // The routes this covers today; a route added later with such a field is covered without touching this test.
    expect(bodyRoutes.map(({ route, field }) => `${route.method.toUpperCase()} ${route.template} ${field}`)).toEqual(
      expect.arrayContaining([
        'POST /forces/{force}/cases/{caseId}/suspects suspectId',
        'POST /forces/{force}/suspects caseId',
        'POST /forces/{force}/officers/{officerId}/case-reviews caseId',
        'POST /forces/{force}/officers/{officerId}/lessons-learned caseId',
        'POST /forces/{force}/erasures subjectId',
      ]),
    );

    const failures: string[] = [];
    let written = 0;
    for (const { route, field } of bodyRoutes) {
      for (const subjectType of field === 'subjectId' ? ['victim', 'suspect'] : [undefined]) {
        const example = { ...(exampleBody(route.operation, schemas) as Record<string, unknown>), ...(subjectType ? { subjectType } : {}) };
        const path = fill(route.template, { ...others, ...own, force: 'wiltshire' });
        const send = async (id: string | undefined): Promise<{ status: number; text: string }> => {
          const res = await http[route.method](path)
            .set('Authorization', bearer)
            .send({ ...example, [field]: id });
          return { status: res.status, text: res.text };
        };
        const before = await countEvents();
        const theirs = await send(idFor(field, example, avon));
        written += (await countEvents()) - before;
        const none = await send(idFor(field, example, nowhere));
        const leaks = Object.values(avon).filter((id) => theirs.text.includes(id));
        const where = `${route.method.toUpperCase()} ${path} {${field}${subjectType ? ` (${subjectType})` : ''}}`;
        if (theirs.status !== 404 || leaks.length > 0) failures.push(`${where} -> ${theirs.status} ${theirs.text}`);
        else if (none.status === 404 && none.text !== theirs.text)
          failures.push(`${where} -> ${theirs.text}, differs from an id that exists nowhere: ${none.text}`);
      }
    }
    expect({ failures, eventsWritten: written }).toEqual({ failures: [], eventsWritten: 0 });
  });

  it('refuses every national write to a caller of a force, whatever its role (403), and writes nothing', async () => {
    const writes = routes.filter((r) => r.template.startsWith('/national/') && r.method !== 'get');
    expect(writes.length).toBeGreaterThan(0);
    const before = await countEvents();
    const failures: string[] = [];
    for (const route of writes) {
      for (const force of ['wiltshire', 'avon-somerset'] as const) {
        for (const role of FORCE_ROLES) {
          const path = fill(route.template, others);
          const answer = await call(route.method, path, await backbone.token(force, [role], 'XX-1001'));
          if (answer.status !== 403)
            failures.push(`${force} ${role} ${route.method.toUpperCase()} ${path} -> ${answer.status} ${answer.text}`);
        }
      }
    }
    expect({ failures, eventsWritten: (await countEvents()) - before }).toEqual({ failures: [], eventsWritten: 0 });
  });
});
