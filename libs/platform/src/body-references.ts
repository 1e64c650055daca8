import 'reflect-metadata';

/** The aggregates a body may name by id; each id names one stream, owned by one force. */
export type ReferencedResource = 'case' | 'suspect' | 'victim';

const STREAM_PREFIX: Record<ReferencedResource, string> = { case: 'case-', suspect: 'suspect-', victim: 'victim-' };
const REFERENCES = 'nom:body-references';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Reference {
  readonly property: string;
  readonly resourceOf: (body: Record<string, unknown>) => ReferencedResource | undefined;
}

/**
 * Marks a body field naming an existing case, suspect or victim. The AuthGuard checks it as it checks ids in paths,
 * before the body is validated: it must be a stream of the caller's force, else the same bare 404 as for an id that
 * exists nowhere. `resource` may depend on the body (an erasure's subject is a victim or a suspect by `subjectType`).
 * A new resource's client-chosen id is not a reference: the DecisionRunner refuses another force's stream for it.
 */
export function References(
  resource: ReferencedResource | ((body: Record<string, unknown>) => ReferencedResource | undefined),
): PropertyDecorator {
  return (target, property) => {
    const owner = target.constructor;
    const inherited = (Reflect.getMetadata(REFERENCES, owner) as readonly Reference[] | undefined) ?? [];
    const resourceOf = typeof resource === 'function' ? resource : () => resource;
    Reflect.defineMetadata(REFERENCES, [...inherited, { property: String(property), resourceOf }], owner);
  };
}

/**
 * The streams a request body names through `@References` fields of the handler's parameter types. Values that are
 * not UUIDs are left to validation (400 naming the field).
 */
export function streamsNamedByBody(parameterTypes: readonly unknown[], body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const fields = body as Record<string, unknown>;
  return parameterTypes.flatMap((type) => {
    if (typeof type !== 'function') return [];
    const references = (Reflect.getMetadata(REFERENCES, type) as readonly Reference[] | undefined) ?? [];
    return references.flatMap(({ property, resourceOf }) => {
      const value = fields[property];
      const resource = resourceOf(fields);
      return typeof value === 'string' && UUID.test(value) && resource ? [`${STREAM_PREFIX[resource]}${value}`] : [];
    });
  });
}
