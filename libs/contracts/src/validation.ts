import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { NewEvent } from './envelope.js';
import { EVENT_CATALOGUE } from './catalogue.js';
import { isForceCode } from './forces.js';
import { NATIONAL } from './scope.js';
import { withProtectedFieldsAsExample } from './personal-data.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default;

/** One broken rule: `field` is a JSON pointer into the event (`/data/outcomeCode`), `reason` says why. */
export interface Violation {
  readonly field: string;
  readonly reason: string;
}

/** Thrown when an event does not satisfy its catalogue entry. Nothing is stored when this is thrown. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly eventType: string,
    readonly violations: readonly Violation[],
  ) {
    super(`event ${eventType} is invalid: ${violations.map((v) => `${v.field} ${v.reason}`).join('; ')}`);
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);

const schemas = new Map(EVENT_CATALOGUE.map((entry) => [entry.type, entry.schema]));
const validators = new Map<string, ValidateFunction>();

/**
 * The type's compiled validator, compiled on first use: compiling the whole catalogue was a third of a second of
 * every process's (and every research export worker's) start-up, most of it for types the process never sees.
 */
function validatorOf(type: string): ValidateFunction | undefined {
  let validate = validators.get(type);
  if (validate === undefined) {
    const schema = schemas.get(type);
    if (schema === undefined) return undefined;
    validate = ajv.compile(schema);
    validators.set(type, validate);
  }
  return validate;
}

/** Compiles every catalogue type's schema (a test, or a service that would rather fail at start than at first use). */
export function compileCatalogueSchemas(): number {
  for (const type of schemas.keys()) validatorOf(type);
  return validators.size;
}

/** Event types of national streams: their metadata.force is `national`, never a force code (and only theirs). */
const nationalTypes = new Set(EVENT_CATALOGUE.filter((entry) => entry.scope === NATIONAL).map((entry) => entry.type));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toViolation(prefix: string, error: ErrorObject): Violation {
  const missing = error.keyword === 'required' ? `/${String(error.params['missingProperty'])}` : '';
  const extra = error.keyword === 'additionalProperties' ? `/${String(error.params['additionalProperty'])}` : '';
  const reason = error.keyword === 'additionalProperties' ? 'is not allowed' : (error.message ?? error.keyword);
  return { field: `${prefix}${error.instancePath}${missing}${extra}`, reason };
}

export interface ValidateEventOptions {
  /**
   * The event is as stored and published (ADR 0011): its personal fields may hold an encrypted token or the
   * erased marker instead of a value of the field's schema. Such a field is accepted (the rest is checked as
   * ever); consumers that never decrypt (the force projector) validate this way.
   */
  readonly personalFieldsProtected?: boolean;
}

/** Checks an event against the catalogue: known type, data matching the type's JSON Schema, sound metadata. */
export function validateEvent(event: NewEvent, options: ValidateEventOptions = {}): readonly Violation[] {
  const violations: Violation[] = [];
  if (typeof event.id !== 'string' || !UUID.test(event.id)) violations.push({ field: '/id', reason: 'must be a UUID' });
  const validate = validatorOf(event.type);
  const data = options.personalFieldsProtected ? withProtectedFieldsAsExample(event.type, event.data) : event.data;
  if (!validate) {
    violations.push({ field: '/type', reason: `is not in the event catalogue: ${String(event.type)}` });
  } else if (!validate(data)) {
    violations.push(...(validate.errors ?? []).map((e) => toViolation('/data', e)));
  }
  const m = event.metadata;
  if (nationalTypes.has(event.type)) {
    if (m.force !== NATIONAL)
      violations.push({ field: '/metadata/force', reason: `must be ${NATIONAL}: ${event.type} is a national event` });
  } else if (!isForceCode(m.force)) {
    violations.push({ field: '/metadata/force', reason: 'must be a force code' });
  }
  if (Number.isNaN(Date.parse(m.occurredAt))) violations.push({ field: '/metadata/occurredAt', reason: 'must be a date-time' });
  if (!UUID.test(m.correlationId)) violations.push({ field: '/metadata/correlationId', reason: 'must be a UUID' });
  if (!UUID.test(m.causationId)) violations.push({ field: '/metadata/causationId', reason: 'must be a UUID' });
  if (!m.actor) violations.push({ field: '/metadata/actor', reason: 'must not be empty' });
  if (!m.modelVersion) violations.push({ field: '/metadata/modelVersion', reason: 'must not be empty' });
  if (m.classification !== 'OFFICIAL' && m.classification !== 'OFFICIAL-SENSITIVE') {
    violations.push({ field: '/metadata/classification', reason: 'must be OFFICIAL or OFFICIAL-SENSITIVE' });
  }
  return violations;
}

export function assertValidEvents(events: readonly NewEvent[]): void {
  for (const event of events) {
    const violations = validateEvent(event);
    if (violations.length > 0) throw new InvalidEventError(event.type, violations);
  }
}
