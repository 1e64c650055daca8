/**
 * Building blocks of the catalogue's JSON Schemas (draft 2020-12), shared by every context so that an id,
 * an instant or a closed object means the same thing in every event.
 */
export const uuidSchema = { type: 'string', format: 'uuid' } as const;
export const instantSchema = { type: 'string', format: 'date-time' } as const;
export const dateSchema = { type: 'string', format: 'date' } as const;
/** Officer id (collar/warrant reference), never a name. */
export const officerIdSchema = { type: 'string', pattern: '^[A-Za-z0-9-]{2,32}$' } as const;

export const textSchema = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
export const enumSchema = <const V extends string>(values: readonly V[]) => ({ type: 'string', enum: [...values] }) as const;
export const listSchema = <const I extends object>(items: I, minItems = 0) =>
  ({ type: 'array', items, minItems, uniqueItems: true }) as const;

/** A closed object schema: every property required except those named optional. */
export function recordSchema<const P extends Record<string, object>, const O extends keyof P & string = never>(
  properties: P,
  optional: readonly O[] = [],
) {
  const required = Object.keys(properties).filter((key) => !(optional as readonly string[]).includes(key)) as Exclude<
    keyof P & string,
    O
  >[];
  return { type: 'object', additionalProperties: false, required, properties } as const;
}
