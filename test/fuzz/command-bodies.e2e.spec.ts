import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import request from 'supertest';
import { generateAuditSigner } from '#audit';
import type { Role } from '#platform';
import { fuzzParameters, replayHint, requiredEnv } from '#testing';
import { everyApi, startBackbone, type RunningBackbone } from '../support/backbone.js';
import { bodySchemaOf, fullBody, fuzzBody, sweepBodies, type Components, type FuzzBody } from '../support/fuzz-bodies.js';
import { apiOf, fill, type Route } from '../support/routes.js';

/**
 * The fuzzing tier (issue 11, item 4) over every command the backbone publishes: each route of the OpenAPI document
 * that takes a request body (a route added later is fuzzed without touching this test) gets bodies drawn from its
 * schema and mutated field by field, any JSON value, raw text that is not JSON, deep nesting and oversized bodies,
 * as a caller holding every force role (or the national team) on resources of its own force, so the fuzzer gets
 * past authorisation and validation to the domain's rules. Properties, for every request:
 *  - the answer is 2xx or 4xx (413 past the body limit), never 5xx;
 *  - every 4xx is problem+json with its status; a 400 invalid-request or a 422 names each field at fault (a JSON
 *    pointer and a reason), and a body with one field of a type its schema does not allow is refused naming it;
 *  - a refused command stores nothing: no event, stream or data key (the Section 62 access log and the idempotency
 *    store may record the attempt: an attempt is evidence, docs/security.md);
 *  - no prototype of this process is polluted;
 * and after the run the server answers /health. Seeded: FUZZ_SEED, FUZZ_RUNS, FUZZ_PATH (libs/testing/src/fuzz.ts);
 * FUZZ_ROUTE="POST /forces/{force}/cases" fuzzes one route only.
 */

/** Random inputs per route, after its sweep: ~60 routes x (sweep + this) stay within a minute and a half on a loaded 2-core machine. */
const RUNS_PER_ROUTE = 20;
const FORCE = 'avon-somerset';
const OFFICER = 'AS-4471';
const FORCE_ROLES: Role[] = ['officer', 'supervisor', 'force-integration', 'national-auditor', 'researcher', 'administrator'];

interface Answer {
  readonly status: number;
  readonly type: string | undefined;
  readonly body: unknown;
  readonly text: string;
}

function isJsonObject(sent: FuzzBody): boolean {
  if (sent.contentType !== 'application/json') return false;
  try {
    const value: unknown = JSON.parse(sent.text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Everything wrong with an answer (empty when it is as the properties say). */
function judge(answer: Answer, sent: FuzzBody): string[] {
  const why: string[] = [];
  const { status } = answer;
  if (status >= 500) return [`status ${status}`];
  if (status < 200 || (status >= 300 && status < 400)) return [`status ${status}, expected 2xx or 4xx`];
  if (status < 400) {
    if (sent.wrongTypeAt) why.push(`accepted a value of a type its schema does not allow at ${sent.wrongTypeAt}`);
    return why;
  }
  if (sent.wrongTypeAt && status !== 400 && status !== 422)
    why.push(`${status} for a value its schema does not allow at ${sent.wrongTypeAt}, expected 400 or 422 naming it`);
  if (!answer.type?.startsWith('application/problem+json')) why.push(`content type ${answer.type}, expected application/problem+json`);
  const problem = answer.body as { type?: unknown; title?: unknown; status?: unknown; errors?: unknown };
  if (typeof problem.type !== 'string' || typeof problem.title !== 'string' || problem.status !== status)
    why.push('not a problem with its type, title and status');
  const namesFields = status === 422 || problem.type === 'urn:uk:police:nom:problem:invalid-request';
  if (namesFields) {
    const errors = Array.isArray(problem.errors) ? (problem.errors as { field?: unknown; reason?: unknown }[]) : [];
    const malformed = errors.filter((e) => typeof e.field !== 'string' || typeof e.reason !== 'string' || e.reason === '');
    // A body that is not a JSON object, or not JSON at all, is at fault as a whole: no field to name, but a reason.
    if (errors.length === 0 && !isJsonObject(sent)) {
      if (typeof (problem as { detail?: unknown }).detail !== 'string') why.push('a refusal of the body that says not why');
      return why;
    }
    if (errors.length === 0 || malformed.length > 0) why.push('a refusal of the request that names no field and reason');
    const at = sent.wrongTypeAt;
    if (at) {
      const fields = errors.map((e) => String(e.field));
      if (!fields.some((f) => f === at || at.startsWith(`${f}/`) || f.startsWith(`${at}/`)))
        why.push(`names ${fields.join(', ')}, not ${at}, the field of the wrong type`);
    }
  }
  return why;
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('fuzzing every command body (fast-check, real PostgreSQL)', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let db: pg.Client;
  let routes: Route[] = [];
  let components: Components = {};
  let forceToken = '';
  let nationalToken = '';
  let officers = 0;

  beforeAll(async () => {
    // The per-caller rate limit (600 a minute by default) would answer the fuzzer 429: this app's limit is lifted.
    backbone = await startBackbone([FORCE, 'wiltshire'], everyApi({ publicKey: generateAuditSigner().publicKey }), {
      NOM_RATE_LIMIT: '1000000',
    });
    http = request(backbone.app.getHttpServer());
    forceToken = `Bearer ${await backbone.token(FORCE, FORCE_ROLES, OFFICER)}`;
    nationalToken = `Bearer ${await backbone.token('national', ['national-team'], 'NT-0001')}`;
    const api = await apiOf(backbone.app);
    components = api.schemas;
    const only = process.env['FUZZ_ROUTE'];
    routes = api.routes.filter((r) => bodySchemaOf(r.operation) && (!only || `${r.method.toUpperCase()} ${r.template}` === only));
    db = new pg.Client({ connectionString: requiredEnv('DATABASE_URL') });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await backbone?.close();
  });

  /** What a command may store, counted in the tables themselves. */
  const stored = async (): Promise<string> => {
    const s = backbone.config.eventStoreSchema;
    const { rows } = await db.query<{ n: string }>(
      `SELECT concat_ws(' ', (SELECT count(*) FROM ${s}.events), (SELECT count(*) FROM ${s}.streams),
                             (SELECT count(*) FROM ${s}.subject_keys)) AS n`,
    );
    return rows[0]!.n;
  };

  /** Fresh resources of the caller's force for one route's run (a run may cancel a case or erase a victim). */
  const resources = async (): Promise<Record<string, string>> => {
    const send = async (method: 'post' | 'put', path: string, body?: object): Promise<Record<string, unknown>> => {
      const res = await http[method](`/forces/${FORCE}${path}`).set('Authorization', forceToken).send(body);
      if (res.status >= 300) throw new Error(`set-up ${method.toUpperCase()} ${path}: ${res.status} ${res.text}`);
      return res.body as Record<string, unknown>;
    };
    const ids = {
      lineId: randomUUID(),
      extractionId: randomUUID(),
      requestId: randomUUID(),
      orderId: randomUUID(),
      reviewId: randomUUID(),
      adviceRequestId: randomUUID(),
      actionId: randomUUID(),
    };
    const crime = await send('post', '/cases', {
      crimeReference: 'AS/26/007001',
      offence: 'rape-of-female-16-plus',
      reportedAt: '2026-11-02T21:14:00Z',
    });
    const caseId = crime['caseId'] as string;
    await send('post', `/cases/${caseId}/investigation`);
    await send('put', `/cases/${caseId}/plan`, { linesOfEnquiry: [{ lineId: ids.lineId, category: 'suspect-history' }] });
    await send('post', `/cases/${caseId}/device-extractions`, {
      extractionId: ids.extractionId,
      deviceOwner: 'victim',
      scope: { from: '2026-10-30', to: '2026-11-02', dataCategories: ['messages'] },
      notice: {
        whatIsSought: 'Messages with the suspect',
        why: 'Contact on the night',
        retention: 'While the case is investigated and prosecuted',
        deletion: 'Deleted when no longer needed',
        mayRefuse: true,
        refusalDoesNotEndInvestigation: true,
      },
    });
    await send('post', `/cases/${caseId}/third-party-requests`, {
      requestId: ids.requestId,
      holder: 'education',
      necessity: { reasonableLineOfEnquiry: true, necessaryAndProportionate: true, reason: 'First disclosure at school' },
      victimToldAt: '2026-11-02T22:00:00Z',
    });
    const suspect = await send('post', '/suspects', { caseId, name: 'Daniel Marsh', dateOfBirth: '1988-04-17' });
    const suspectId = suspect['suspectId'] as string;
    await send('post', `/cases/${caseId}/suspects`, { suspectId });
    await send('post', `/suspects/${suspectId}/civil-orders`, {
      orderId: ids.orderId,
      order: 'sexual-risk-order',
      court: "Bristol Magistrates' Court",
    });
    const victim = await send('post', `/cases/${caseId}/victims`, { offence: 'rape-of-female-16-plus', channel: 'in-person' });
    const officerId = `AS-${5000 + ++officers}`;
    await send('post', `/officers/${officerId}/accreditations`, { programme: 'ssaidp' });
    return {
      force: FORCE,
      caseId,
      suspectId,
      victimId: victim['victimId'] as string,
      officerId,
      programme: 'ssaidp',
      version: '2026.1',
      forceCode: 'kent',
      ...ids,
    };
  };

  /**
   * Fields of a body that may name another aggregate. A body naming there an id that is no resource of the caller's
   * force is answered 404 before validation, as an id in the path is (ids in bodies, ADR 0020): such a 404 is right
   * even when another field is invalid. Full bodies name the route's own resources there, so the sweep reaches
   * validation.
   */
  const REFERENCE_FIELDS = ['caseId', 'suspectId', 'victimId', 'subjectId'] as const;
  const namesUnknownResource = (text: string, known: ReadonlySet<string>): boolean => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return false;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const fields = value as Record<string, unknown>;
    return REFERENCE_FIELDS.some((f) => typeof fields[f] === 'string' && UUID_TEXT.test(fields[f]) && !known.has(fields[f]));
  };
  const withOwnResources = (body: unknown, params: Record<string, string>): unknown => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
    const fields = { ...(body as Record<string, unknown>) };
    for (const f of REFERENCE_FIELDS) if (typeof fields[f] === 'string' && params[f] !== undefined) fields[f] = params[f];
    return fields;
  };

  const send = async (route: Route, path: string, body: FuzzBody): Promise<Answer> => {
    let req = http[route.method](path).set('Authorization', route.template.startsWith('/national/') ? nationalToken : forceToken);
    for (const [name, value] of Object.entries(body.headers)) req = req.set(name, value);
    if (body.contentType) req = req.set('Content-Type', body.contentType);
    const res = await req.send(body.text);
    return { status: res.status, type: res.headers['content-type'], body: res.body as unknown, text: res.text };
  };

  it('publishes the commands it fuzzes: every route with a request body, each path parameter filled', async () => {
    expect(routes.length).toBeGreaterThan(process.env['FUZZ_ROUTE'] ? 0 : 50);
    const params = await resources();
    expect(routes.flatMap((r) => r.params.filter((p) => !(p in params)).map((p) => `${r.template}: {${p}}`))).toEqual([]);
  });

  it('answers any body with 2xx or 4xx problem+json naming the field at fault, stores nothing it refuses, stays healthy', async () => {
    const prototypes = [Object.prototype, Array.prototype, Function.prototype];
    const ownKeys = (): string[] => prototypes.flatMap((p) => Reflect.ownKeys(p).map(String));
    const before = ownKeys();
    const failures: string[] = [];
    let requests = 0;
    /** Answers by status: how far the fuzzer got (400: validation, 404/409/422: the domain's rules, 2xx: accepted). */
    const statuses = new Map<number, number>();

    for (const route of routes) {
      const params = await resources();
      const known = new Set(Object.values(params));
      const path = fill(route.template, params);
      const name = `${route.method.toUpperCase()} ${route.template}`;
      let last = '';
      const holds = async (body: FuzzBody): Promise<boolean> => {
        const storedBefore = await stored();
        const answer = await send(route, path, body);
        requests++;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const unknownReference = answer.status === 404 && namesUnknownResource(body.text, known);
        const why = judge(answer, body).filter((w) => !(unknownReference && w.startsWith('404 for a value')));
        if (answer.status >= 400) {
          const storedAfter = await stored();
          if (storedAfter !== storedBefore)
            why.push(`refused, yet stored something (events streams keys: ${storedBefore} -> ${storedAfter})`);
        }
        const polluted = ownKeys().filter((k) => !before.includes(k));
        if (polluted.length > 0) why.push(`polluted a prototype with ${polluted.join(', ')}`);
        last = `${name} (${body.how}) -> ${answer.status} ${answer.text.slice(0, 500)}: ${why.join('; ')}`;
        return why.length === 0;
      };
      const property = fc.asyncProperty(fuzzBody(bodySchemaOf(route.operation)!, components), holds);
      // The sweep first: every field of a full valid body in turn given each SWEEP_VALUE, the rest valid.
      for (const body of sweepBodies(withOwnResources(fullBody(bodySchemaOf(route.operation)!, components), params))) {
        if (!(await holds(body))) failures.push(last);
      }
      const details = await fc.check(property, fuzzParameters(RUNS_PER_ROUTE, { shrink: false }));
      if (details.failed) failures.push(`${last}\n    ${replayHint(details)} FUZZ_ROUTE="${name}"`);
    }

    const health = await http.get('/health');
    const byStatus = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ');
    console.log(
      `fuzzing: ${routes.length} commands, ${requests} requests (${byStatus})` +
        (failures.length > 0 ? `; ${failures.length} failed:\n${failures.join('\n')}` : '; all held'),
    );
    expect({ failures, health: health.status }).toEqual({ failures: [], health: 200 });
    // A bound against a hang, not a timing assertion: FUZZ_RUNS=100 takes some five minutes on a loaded machine.
  }, 900_000);
});
