import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { generateAuditSigner } from '#audit';
import { NationalModule } from '#national';
import { uniqueName } from '#testing';
import { everyApi, startBackbone, type RunningBackbone } from '../support/backbone.js';
import { exampleBody } from '../support/example-body.js';
import { apiOf, fill, type Route } from '../support/routes.js';

/**
 * Mass assignment (issue 5): force, acting officer, classification, model version and event/envelope ids come from
 * the verified token and the server, never from a request body. Two checks over EVERY route in the OpenAPI
 * document (routes added later are covered): no request body schema, at any depth, has such a property; and every
 * command whose only path parameter is the force answers 400 naming each such property when a caller sends them
 * beside an otherwise valid body.
 */

/** Envelope and identity fields: none may ever be a request property. */
const SERVER_OWNED = [
  'force',
  'actor',
  'actorOfficerId',
  'recordedBy',
  'classification',
  'modelVersion',
  'eventId',
  'streamId',
  'revision',
  'position',
  'correlationId',
  'causationId',
  'metadata',
];

interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

/** Every property name of a schema, with its JSON pointer, resolving references (cycles cut). */
function propertiesOf(schema: Schema, components: Record<string, Schema>, pointer = '', seen = new Set<string>()): [string, string][] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return [];
    return propertiesOf(components[name] ?? {}, components, pointer, new Set([...seen, name]));
  }
  const nested = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.items ? [schema.items] : [])];
  return [
    ...Object.entries(schema.properties ?? {}).flatMap(([name, child]): [string, string][] => [
      [name, `${pointer}/${name}`],
      ...propertiesOf(child, components, `${pointer}/${name}`, seen),
    ]),
    ...nested.flatMap((child) => propertiesOf(child, components, pointer, seen)),
  ];
}

const bodySchema = (route: Route): Schema | undefined =>
  (route.operation as { requestBody?: { content?: Record<string, { schema?: Schema }> } }).requestBody?.content?.['application/json']
    ?.schema;

describe('mass assignment', () => {
  const FORCE = 'avon-somerset';
  let backbone: RunningBackbone;
  let routes: Route[];
  let schemas: Record<string, Schema>;

  beforeAll(async () => {
    backbone = await startBackbone(
      [FORCE, 'wiltshire'],
      everyApi(
        { publicKey: generateAuditSigner().publicKey },
        NationalModule.forRoot({ matchingKey: randomBytes(32), schema: uniqueName('national') }),
      ),
    );
    ({ routes, schemas } = await apiOf(backbone.app));
  });
  afterAll(() => backbone.close());

  it('publishes no request body with a server-owned property, at any depth', () => {
    const withBodies = routes.filter((r) => bodySchema(r));
    expect(withBodies.length).toBeGreaterThan(30);
    const offending = withBodies.flatMap((route) =>
      propertiesOf(bodySchema(route)!, schemas)
        .filter(([name]) => SERVER_OWNED.includes(name))
        .map(([, pointer]) => `${route.method.toUpperCase()} ${route.template} ${pointer}`),
    );
    expect(offending).toEqual([]);
  });

  it('refuses server-owned properties sent beside a valid body, naming each, on every force-level and national command', async () => {
    // Commands whose path names no resource (ids of existing resources are checked, 404, before the body is read).
    const commands = routes.filter((r) => bodySchema(r) && (r.params.length === 0 || (r.params.length === 1 && r.params[0] === 'force')));
    expect(commands.length).toBeGreaterThan(3);
    const forceToken = `Bearer ${await backbone.token(FORCE, ['officer', 'supervisor', 'administrator', 'force-integration'], 'AS-4471')}`;
    const nationalToken = `Bearer ${await backbone.token('national', ['national-team'], 'NT-0001')}`;
    // Ids of existing resources named in a body are checked, 404, before the body is read, as in paths: name real ones.
    const http = request(backbone.app.getHttpServer());
    const crime = await http
      .post(`/forces/${FORCE}/cases`)
      .set('Authorization', forceToken)
      .send({ crimeReference: 'AS/26/009001', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const caseId = crime.body.caseId as string;
    const suspect = await http
      .post(`/forces/${FORCE}/suspects`)
      .set('Authorization', forceToken)
      .send({ caseId, name: 'Daniel Marsh' })
      .expect(201);
    const existing = (example: Record<string, unknown>): Record<string, unknown> => ({
      ...('caseId' in example ? { caseId } : {}),
      ...('subjectId' in example ? { subjectType: 'suspect', subjectId: suspect.body.suspectId as string } : {}),
    });
    const smuggled = {
      force: 'wiltshire',
      classification: 'OFFICIAL',
      modelVersion: '1999.1',
      eventId: randomUUID(),
      actor: { officerId: 'WI-1', force: 'wiltshire' },
    };
    const wrong: string[] = [];
    for (const route of commands) {
      const example = exampleBody(route.operation, schemas) as Record<string, unknown>;
      const body = { ...example, ...existing(example), ...smuggled };
      const res = await request(backbone.app.getHttpServer())
        [route.method](fill(route.template, { force: FORCE }))
        .set('Authorization', route.params.length === 0 ? nationalToken : forceToken)
        .send(body);
      const named = new Set(((res.body as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field));
      const missing = Object.keys(smuggled).filter((k) => !named.has(`/${k}`));
      if (res.status !== 400 || missing.length > 0)
        wrong.push(`${route.method.toUpperCase()} ${route.template}: ${res.status}, not named: ${missing.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });
});
