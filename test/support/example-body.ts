import { randomUUID } from 'node:crypto';

/** A JSON Schema object as the OpenAPI document holds it (only what an example needs). */
interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  minItems?: number;
  minLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
}

type Components = Record<string, Schema>;

/**
 * A plausible request body built from an operation's OpenAPI schema: required fields only, enums take their first
 * value, documented examples are used, dates are an hour ago. Domain rules may still refuse it (409/422); the
 * point is to get past validation where the schema says enough.
 */
export function exampleBody(operation: unknown, components: Components): unknown {
  const content = (operation as { requestBody?: { content?: Record<string, { schema?: Schema }> } }).requestBody?.content;
  const schema = content?.['application/json']?.schema;
  return schema ? exampleOf(schema, components, 0) : {};
}

function exampleOf(schema: Schema, components: Components, depth: number): unknown {
  if (depth > 6) return undefined;
  if (schema.$ref) return exampleOf(components[schema.$ref.replace('#/components/schemas/', '')] ?? {}, components, depth + 1);
  if (schema.allOf?.[0]) return exampleOf(schema.allOf[0], components, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type ?? 'object') {
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'array': {
      const item = schema.items ? exampleOf(schema.items, components, depth + 1) : 'x';
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item);
    }
    case 'string':
      if (schema.format === 'date-time') return new Date(Date.now() - 3_600_000).toISOString();
      if (schema.format === 'date') return new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'email') return 'someone@example.org';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default: {
      const body: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        const value = exampleOf(schema.properties?.[name] ?? {}, components, depth + 1);
        if (value !== undefined) body[name] = value;
      }
      return body;
    }
  }
}
