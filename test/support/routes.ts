import type { INestApplication } from '@nestjs/common';
import request from 'supertest';

/** Every route an app publishes, from its own OpenAPI document (/docs-json): routes added later are covered too. */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export const METHODS: readonly Method[] = ['get', 'post', 'put', 'patch', 'delete'];

export interface Route {
  readonly method: Method;
  /** The OpenAPI template, e.g. /forces/{force}/cases/{caseId}. */
  readonly template: string;
  readonly params: readonly string[];
  /** The OpenAPI operation object (request body schema, parameters). */
  readonly operation: unknown;
}

export const paramsOf = (template: string): string[] => [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

/** The template with its parameters filled (URL-encoded); an unknown parameter fails loudly. */
export const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter {${name}} in ${template}: add one to the test`);
    return encodeURIComponent(value);
  });

/** The Express form of an OpenAPI template, as the access log records it: /forces/:force/cases/:caseId. */
export const expressRoute = (template: string): string => template.replace(/\{([^}]+)\}/g, ':$1');

/** Public routes: no caller, no personal data (health, API docs). */
export const isPublicRoute = (template: string): boolean => /^\/(health|docs|dev\/tokens|metrics|schemas)/.test(template);

/** The routes and the document's component schemas (for request bodies). */
export async function routesOf(app: INestApplication): Promise<Route[]> {
  return (await apiOf(app)).routes;
}

export async function apiOf(app: INestApplication): Promise<{ routes: Route[]; schemas: Record<string, object> }> {
  const docs = await request(app.getHttpServer()).get('/docs-json').expect(200);
  const routes = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(([template, operations]) =>
    METHODS.filter((method) => method in operations).map((method) => ({
      method,
      template,
      params: paramsOf(template),
      operation: operations[method],
    })),
  );
  return { routes, schemas: (docs.body.components?.schemas ?? {}) as Record<string, object> };
}
