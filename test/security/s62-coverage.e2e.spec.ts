import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { ACCESS_PURPOSES, accessEntryFromRow, generateAuditSigner, type AccessEntry, type AccessLogRow } from '#audit';
import { NationalModule } from '#national';
import type { Role } from '#platform';
import { uniqueName, waitFor } from '#testing';
import { everyApi, startBackbone, type RunningBackbone } from '../support/backbone.js';
import { exampleBody } from '../support/example-body.js';
import { apiOf, expressRoute, fill, isPublicRoute, type Route } from '../support/routes.js';

/**
 * Section 62 coverage (issue 5): personal data is seeded through the APIs; then EVERY route of the app's OpenAPI
 * document is called by an authorised caller (the first role the route does not refuse) with valid path
 * parameters. Which answers carry personal data is decided here, independently of the platform: the body holds a
 * seeded personal value or a subject id. Each such call, and every command, must have produced exactly one
 * access-log entry naming the right actor, action, purpose, route and subjects, read straight from PostgreSQL.
 */

const FORCE = 'avon-somerset';
const FORCE_ROLES: readonly Role[] = ['officer', 'supervisor', 'force-integration', 'national-auditor', 'researcher', 'administrator'];
const ROLE_PURPOSE: Record<Role, string> = {
  officer: 'investigation',
  supervisor: 'supervision',
  'force-integration': 'integration',
  'national-auditor': 'audit',
  researcher: 'research',
  administrator: 'administration',
  'national-team': 'operating-model',
};
/** Routes that name their purpose (the rest take the caller's role's). */
const ROUTE_PURPOSES: readonly (readonly [RegExp, string])[] = [
  [/\/victims/, 'victim-care'],
  [/\/officers\//, 'workforce-development'],
  [/\/access-log$/, 'audit'],
  [/\/erasures$/, 'data-protection'],
  [/\/subject-keys\//, 'integration'],
];
const routePurpose = (template: string): string | undefined => ROUTE_PURPOSES.find(([pattern]) => pattern.test(template))?.[1];

interface Call {
  readonly route: Route;
  readonly role: Role;
  readonly officerId: string;
  readonly path: string;
  readonly status: number;
  readonly text: string;
  readonly declaredPurpose?: string;
}

describe('Section 62: every route that returns personal data, and every command, is in the access log', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let admin: pg.Pool;
  const ids = { caseId: '', suspectId: '', victimId: '', officerId: 'AS-4471' };
  const personal = {
    suspectName: 'Daniel Marsh',
    dateOfBirth: '1988-04-17',
    pnc: '12/345678A',
    victimContactName: 'Jo Bloggs',
    victimPhone: '+44 7700 900123',
  };
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
  const seedCalls: [string, string][] = [];
  const nationalSchema = uniqueName('s62_nat');

  const entriesBy = async (officerId: string): Promise<AccessEntry[]> => {
    const { rows } = await admin.query<AccessLogRow>(
      `SELECT * FROM ${backbone.config.auditSchema}.access_log WHERE actor_officer_id = $1 ORDER BY position`,
      [officerId],
    );
    return rows.map(accessEntryFromRow);
  };

  beforeAll(async () => {
    backbone = await startBackbone(
      [FORCE, 'wiltshire'],
      everyApi(
        { publicKey: generateAuditSigner().publicKey },
        NationalModule.forRoot({ matchingKey: randomBytes(32), schema: nationalSchema }),
      ),
    );
    http = request(backbone.app.getHttpServer());
    admin = new pg.Pool({ connectionString: backbone.config.databaseUrl, max: 2 });
    const officer = `Bearer ${await backbone.token(FORCE, ['officer'], 'AS-4471')}`;
    const supervisor = `Bearer ${await backbone.token(FORCE, ['supervisor'], 'AS-2210')}`;
    const seed = async (
      method: 'post' | 'put',
      template: string,
      token: string,
      body: object | undefined,
      status: number,
    ): Promise<request.Response> => {
      seedCalls.push([method.toUpperCase(), expressRoute(template)]);
      const req = http[method](fill(template, { force: FORCE, ...ids, ...others })).set('Authorization', token);
      const res = await (body ? req.send(body) : req);
      if (res.status !== status) throw new Error(`seed ${method} ${template}: ${res.status} ${res.text}`);
      return res;
    };

    await seed('post', '/forces/{force}/officers/{officerId}/accreditations', supervisor, { programme: others['programme'] }, 200);
    const crime = await seed(
      'post',
      '/forces/{force}/cases',
      officer,
      { crimeReference: 'AS/26/007001', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' },
      201,
    );
    ids.caseId = crime.body.caseId as string;
    await seed('post', '/forces/{force}/cases/{caseId}/investigation', officer, undefined, 200);
    await seed(
      'put',
      '/forces/{force}/cases/{caseId}/plan',
      officer,
      { linesOfEnquiry: [{ lineId: others['lineId'], category: 'suspect-history' }] },
      200,
    );
    const suspect = await seed(
      'post',
      '/forces/{force}/suspects',
      officer,
      { caseId: ids.caseId, name: personal.suspectName, dateOfBirth: personal.dateOfBirth, pncId: personal.pnc },
      201,
    );
    ids.suspectId = suspect.body.suspectId as string;
    await seed('post', '/forces/{force}/cases/{caseId}/suspects', officer, { suspectId: ids.suspectId }, 200);
    const victim = await seed(
      'post',
      '/forces/{force}/cases/{caseId}/victims',
      officer,
      { offence: 'rape-of-female-16-plus', channel: 'in-person' },
      201,
    );
    ids.victimId = victim.body.victimId as string;
    await seed(
      'put',
      '/forces/{force}/victims/{victimId}/contact-preferences',
      officer,
      {
        channels: ['phone'],
        times: ['weekday-morning'],
        leaveMessages: false,
        safeContact: { name: personal.victimContactName, phone: personal.victimPhone },
      },
      200,
    );
    // The read model must hold the case before its routes are called.
    // (The relay reads below the cluster-wide read horizon: another session's long transaction can delay it.)
    await waitFor(
      'the case summary to be projected',
      async () => (await http.get(`/forces/${FORCE}/case-summaries/${ids.caseId}`).set('Authorization', officer)).status === 200,
      {
        timeoutMs: 100_000,
      },
    );
  });

  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${nationalSchema} CASCADE`);
    await admin?.end();
    await backbone?.close();
  });

  it('logs the seeding commands themselves: collections, alterations and the combination of a suspect with a case', async () => {
    const entries = [...(await entriesBy('AS-4471')), ...(await entriesBy('AS-2210'))];
    const missing = seedCalls.filter(([method, route]) => !entries.some((e) => e.method === method && e.route === route && e.status < 300));
    expect(missing).toEqual([]);
    const action = (method: string, route: string): string | undefined =>
      entries.find((e) => e.method === method && e.route === route)?.action;
    expect(action('POST', '/forces/:force/cases')).toBe('collect');
    expect(action('POST', '/forces/:force/suspects')).toBe('collect');
    expect(action('POST', '/forces/:force/cases/:caseId/victims')).toBe('collect');
    expect(action('POST', '/forces/:force/cases/:caseId/suspects')).toBe('combine');
    expect(action('PUT', '/forces/:force/victims/:victimId/contact-preferences')).toBe('alter');
    expect(entries.find((e) => e.route === '/forces/:force/suspects')?.subjects).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ force: FORCE, type: 'suspect', id: ids.suspectId }),
        expect.objectContaining({ type: 'case', id: ids.caseId }),
      ]),
    );
  });

  it('covers 100% of the routes that return personal data, with the right actor, action, purpose, route and subjects', async () => {
    const api = await apiOf(backbone.app);
    const routes = api.routes.filter((r) => !isPublicRoute(r.template));
    const personalValues = [...Object.values(personal), ...Object.values(ids)];
    const subjectIds = Object.values(ids);
    const calls: Call[] = [];
    let n = 0;
    for (const route of routes) {
      const roles: Role[] = route.template.startsWith('/national/') ? ['national-team', ...FORCE_ROLES] : [...FORCE_ROLES];
      for (const role of roles) {
        const officerId = `AS-C${++n}`;
        const force = role === 'national-team' ? 'national' : FORCE;
        const path = fill(route.template, { force: FORCE, ...ids, ...others, keyId: `victim-${ids.victimId}` });
        // Every other call declares a purpose; the rest take the route's or the role's.
        const declaredPurpose = n % 2 === 0 ? 'data-protection' : undefined;
        let req = http[route.method](path).set('Authorization', `Bearer ${await backbone.token(force, [role], officerId)}`);
        if (declaredPurpose) req = req.set('X-NOM-Purpose', declaredPurpose);
        // Commands get a body built from their schema: past validation where it says enough, so that they answer.
        if (route.method !== 'get') req = req.send(exampleBody(route.operation, api.schemas) as object);
        const res = await req;
        if (res.status === 403 && res.body?.type !== 'urn:uk:police:nom:problem:own-access') continue; // not this role's route
        calls.push({ route, role, officerId, path, status: res.status, text: res.text, ...(declaredPurpose ? { declaredPurpose } : {}) });
        break;
      }
    }
    const unreachable = routes.filter((r) => !calls.some((c) => c.route === r)).map((r) => `${r.method.toUpperCase()} ${r.template}`);
    expect(unreachable).toEqual([]);

    const failures: string[] = [];
    const withPersonalData = calls.filter((c) => personalValues.some((value) => c.text.includes(value)));
    for (const call of calls) {
      const label = `${call.route.method.toUpperCase()} ${call.route.template} as ${call.role} -> ${call.status}`;
      const entries = await entriesBy(call.officerId);
      if (entries.length !== 1) {
        failures.push(`${label}: ${entries.length} entries`);
        continue;
      }
      const entry = entries[0]!;
      const why: string[] = [];
      const isCommand = call.route.method !== 'get';
      if (entry.route !== expressRoute(call.route.template) || entry.method !== call.route.method.toUpperCase())
        why.push(`route ${entry.method} ${entry.route}`);
      if (entry.actor?.officerId !== call.officerId || JSON.stringify(entry.actor.roles) !== JSON.stringify([call.role]))
        why.push(`actor ${JSON.stringify(entry.actor)}`);
      if (entry.actor?.force !== (call.role === 'national-team' ? 'national' : FORCE)) why.push(`actor force ${entry.actor?.force}`);
      if (entry.status !== call.status) why.push(`status ${entry.status}`);
      // A read consults, or discloses (a data key handed to integration); a command collects, alters, combines or erases.
      if (!(isCommand ? ['collect', 'alter', 'combine', 'erase'] : ['consult', 'disclose']).includes(entry.action))
        why.push(`action ${entry.action}`);
      const purpose = call.declaredPurpose ?? routePurpose(call.route.template) ?? ROLE_PURPOSE[call.role];
      if (entry.purpose !== purpose || !(ACCESS_PURPOSES as readonly string[]).includes(entry.purpose))
        why.push(`purpose ${entry.purpose}, expected ${purpose}`);
      // Every subject the answer or the path names is recorded as a subject of the entry.
      const named = subjectIds.filter((id) => call.path.includes(encodeURIComponent(id)) || (call.status < 400 && call.text.includes(id)));
      const recorded = new Set(entry.subjects.map((s) => s.id));
      const unrecorded = named.filter((id) => !recorded.has(id));
      if (unrecorded.length > 0) why.push(`subjects ${unrecorded.join(', ')} not recorded (has ${[...recorded].join(', ')})`);
      const misplaced = entry.subjects.filter((s) => subjectIds.includes(s.id) && s.force !== FORCE);
      if (misplaced.length > 0) why.push(`subject force ${JSON.stringify(misplaced)}`);
      if (call.status < 300 && call.text.length > 2 && entry.recordCount < 1) why.push('recordCount 0 for an answer with data');
      if (why.length > 0) failures.push(`${label}: ${why.join('; ')}`);
    }
    const logged = withPersonalData.filter(
      (c) => !failures.some((f) => f.startsWith(`${c.route.method.toUpperCase()} ${c.route.template} `)),
    );
    const commands = calls.filter((c) => c.route.method !== 'get');
    console.log(
      `s62 coverage: ${calls.length} routes called; routes returning personal data: ${withPersonalData.length}, logged correctly: ${logged.length} ` +
        `(${((100 * logged.length) / Math.max(1, withPersonalData.length)).toFixed(0)}%); commands: ${commands.length}, logged as collect/alter/combine/erase: ` +
        `${commands.filter((c) => !failures.some((f) => f.startsWith(`${c.route.method.toUpperCase()} ${c.route.template} `))).length}` +
        (failures.length > 0 ? `\n  ${failures.join('\n  ')}` : ''),
    );
    // Personal data came back on the routes that read the seeded records: the coverage means something.
    expect(withPersonalData.map((c) => c.route.template)).toEqual(
      expect.arrayContaining([
        '/forces/{force}/cases/{caseId}',
        '/forces/{force}/suspects/{suspectId}',
        '/forces/{force}/victims/{victimId}',
        '/forces/{force}/case-summaries/{caseId}',
      ]),
    );
    expect(failures).toEqual([]);
    expect(logged.length).toBe(withPersonalData.length);
  });

  it('refuses an unknown declared purpose (422 problem+json) and logs the attempt', async () => {
    const res = await http
      .get(`/forces/${FORCE}/cases/${ids.caseId}`)
      .set('Authorization', `Bearer ${await backbone.token(FORCE, ['officer'], 'AS-P001')}`)
      .set('X-NOM-Purpose', 'curiosity')
      .expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'X-NOM-Purpose' })]);
    expect(res.text).not.toContain(ids.caseId);
    expect(await entriesBy('AS-P001')).toEqual([
      expect.objectContaining({
        action: 'consult',
        purpose: 'investigation',
        status: 422,
        recordCount: 0,
        route: '/forces/:force/cases/:caseId',
        subjects: [{ force: FORCE, type: 'case', id: ids.caseId }],
      }),
    ]);
  });
});
