import { CPS_REFERENCE_PATTERN, EVENT_CATALOGUE, OFFICER_ID_PATTERN, REFERENCE_PATTERN, type CatalogueEntry } from '#contracts';
import { coarsenDate, type DateGranularity } from './coarsen.js';
import type { Pseudonyms } from './study-key.js';

/**
 * What becomes of one field of an event's data in a research export, derived from the event's JSON Schema
 * (an allow-list: whatever the schema does not positively describe as a code, a number, an id or a date is
 * dropped):
 *  - keep:  enums and constants (code lists), booleans, numbers, integers, null;
 *  - id:    `format: uuid` and identifier/reference patterns (officer ids, crime, N100 and CPS references):
 *           replaced by the study's keyed pseudonym;
 *  - date:  `format: date` / `date-time`: coarsened to the export's granularity;
 *  - drop:  free text (a string with no enum, format or known pattern), e-mail, any unknown pattern, every
 *           catalogue `personalFields` pointer and every direct identifier by name (names, date of birth,
 *           PNC ID, CRO number, contact details).
 */
export type FieldRule =
  | { readonly kind: 'keep' | 'id' | 'date' | 'drop' }
  | { readonly kind: 'object'; readonly properties: ReadonlyMap<string, FieldRule> }
  | { readonly kind: 'array'; readonly items: FieldRule };

const KEEP: FieldRule = { kind: 'keep' };
const ID: FieldRule = { kind: 'id' };
const DATE: FieldRule = { kind: 'date' };
const DROP: FieldRule = { kind: 'drop' };

/** Patterns of identifiers and references: pseudonymised (they could identify a case or a person). */
const ID_PATTERNS: ReadonlySet<string> = new Set([OFFICER_ID_PATTERN, REFERENCE_PATTERN, CPS_REFERENCE_PATTERN]);
/** Patterns of codes that identify nobody: kept (operating-model versions, training course codes). */
const CODE_PATTERNS: ReadonlySet<string> = new Set(['^[0-9]{4}\\.[0-9]{1,3}$', '^[A-Z0-9][A-Z0-9-]{1,31}$']);

/** Direct identifiers, dropped wherever they appear even if a schema forgot to list them as personal. */
export const DIRECT_IDENTIFIER_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'firstName',
  'lastName',
  'surname',
  'forename',
  'dateOfBirth',
  'dob',
  'pncId',
  'croNumber',
  'niNumber',
  'phone',
  'email',
  'address',
  'postcode',
  'safeContact',
]);

interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
}

const STRICTNESS: Record<string, number> = { drop: 4, id: 3, date: 2, keep: 1 };

/** Compiles one schema node into its rule. */
export function compileSchema(schema: object): FieldRule {
  const node = schema as SchemaNode;
  if (node.enum !== undefined || node.const !== undefined) return KEEP;
  const union = node.anyOf ?? node.oneOf;
  if (union) {
    // `reference | null`: the null branch says nothing; of the others the strictest wins.
    const rules = union.filter((n) => n.type !== 'null').map(compileSchema);
    if (rules.length === 0) return KEEP;
    if (rules.length === 1) return rules[0]!;
    if (rules.some((r) => r.kind === 'object' || r.kind === 'array')) return DROP;
    return rules.reduce((a, b) => (STRICTNESS[a.kind]! >= STRICTNESS[b.kind]! ? a : b));
  }
  const types: readonly string[] = typeof node.type === 'string' ? [node.type] : (node.type ?? []);
  const type = types.find((t) => t !== 'null') ?? (types.length > 0 ? 'null' : undefined);
  switch (type ?? '') {
    case 'boolean':
    case 'number':
    case 'integer':
    case 'null':
      return KEEP;
    case 'object': {
      const properties = new Map<string, FieldRule>();
      for (const [name, child] of Object.entries(node.properties ?? {})) {
        properties.set(name, DIRECT_IDENTIFIER_FIELDS.has(name) ? DROP : compileSchema(child));
      }
      return { kind: 'object', properties };
    }
    case 'array':
      return node.items ? { kind: 'array', items: compileSchema(node.items) } : DROP;
    case 'string':
      if (node.format === 'uuid') return ID;
      if (node.format === 'date' || node.format === 'date-time') return DATE;
      if (node.format === undefined && node.pattern !== undefined) {
        if (ID_PATTERNS.has(node.pattern)) return ID;
        if (CODE_PATTERNS.has(node.pattern)) return KEEP;
      }
      return DROP;
    default:
      return DROP;
  }
}

/** Sets the rule at a JSON pointer to drop (arrays: the pointer names the array; items share one rule). */
function dropAt(rule: FieldRule, segments: readonly string[]): FieldRule {
  if (segments.length === 0) return DROP;
  const [head, ...rest] = segments;
  if (rule.kind === 'object') {
    const child = rule.properties.get(head!);
    if (child === undefined) return rule;
    const properties = new Map(rule.properties);
    properties.set(head!, dropAt(child, rest));
    return { kind: 'object', properties };
  }
  if (rule.kind === 'array') return { kind: 'array', items: dropAt(rule.items, /^\d+$|^-$/.test(head!) ? rest : segments) };
  return rule;
}

function pointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The rule for a catalogue entry's data: its schema, with every personal field dropped. */
export function compileEntry(entry: CatalogueEntry): FieldRule {
  let rule = compileSchema(entry.schema);
  for (const pointer of entry.personalFields) rule = dropAt(rule, pointerSegments(pointer));
  return rule;
}

let compiled: ReadonlyMap<string, FieldRule> | undefined;

/** Rules of every catalogue type (current and superseded), compiled once. */
export function catalogueRules(): ReadonlyMap<string, FieldRule> {
  compiled ??= new Map(EVENT_CATALOGUE.map((entry) => [entry.type, compileEntry(entry)]));
  return compiled;
}

export interface SanitiseContext {
  /** The study's pseudonyms (ids in a payload recur: the cached kind). */
  readonly pseudonyms: Pick<Pseudonyms, 'pseudonym'>;
  readonly granularity: DateGranularity;
  /** Raw ids met in id fields (before pseudonymisation): the subjects the event is about. */
  readonly ids: string[];
}

/** A rule compiled to a function that writes the sanitised value as JSON text (undefined: nothing may leave). */
type Emitter = (value: unknown, ctx: SanitiseContext) => string | undefined;

/** Strings the export itself makes (pseudonyms: base64url; period labels) need no JSON escaping. */
const quoted = (safe: string): string => `"${safe}"`;

function keepValue(value: unknown): string | undefined {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

function compileEmitter(rule: FieldRule): Emitter {
  switch (rule.kind) {
    case 'drop':
      return () => undefined;
    case 'keep':
      return (value) => (value === null ? 'null' : keepValue(value));
    case 'id':
      return (value, ctx) => {
        if (value === null) return 'null';
        if (typeof value !== 'string') return undefined;
        ctx.ids.push(value);
        return quoted(ctx.pseudonyms.pseudonym(value));
      };
    case 'date':
      return (value, ctx) => {
        if (value === null) return 'null';
        if (typeof value !== 'string') return undefined;
        const period = coarsenDate(value, ctx.granularity);
        return period === null ? undefined : quoted(period);
      };
    case 'array': {
      if (rule.items.kind === 'drop') return (value) => (value === null ? 'null' : undefined);
      const item = compileEmitter(rule.items);
      return (value, ctx) => {
        if (value === null) return 'null';
        if (!Array.isArray(value)) return undefined;
        let out = '';
        for (const element of value) {
          const v = item(element, ctx);
          if (v !== undefined) out += out === '' ? v : `,${v}`;
        }
        return `[${out}]`;
      };
    }
    case 'object': {
      // Dropped properties are left out at compile time; the others keep the schema's order.
      const properties = [...rule.properties]
        .filter(([, child]) => child.kind !== 'drop')
        .map(([name, child]) => ({ name, key: `${JSON.stringify(name)}:`, emit: compileEmitter(child) }));
      return (value, ctx) => {
        if (value === null) return 'null';
        if (typeof value !== 'object' || Array.isArray(value)) return undefined;
        let out = '';
        for (const { name, key, emit } of properties) {
          const v = (value as Record<string, unknown>)[name];
          if (v === undefined) continue;
          const s = emit(v, ctx);
          if (s !== undefined) out += out === '' ? key + s : `,${key}${s}`;
        }
        return `{${out}}`;
      };
    }
  }
}

const emitters = new WeakMap<FieldRule, Emitter>();

/**
 * Applies a rule to a value and gives the sanitised value as JSON text, or undefined when nothing of it may
 * leave. Values that do not match their rule's shape (a string where an object was declared) are dropped. Each
 * rule is compiled once into a function that writes the JSON directly (no intermediate object per event).
 */
export function sanitiseToJson(rule: FieldRule, value: unknown, ctx: SanitiseContext): string | undefined {
  let emit = emitters.get(rule);
  if (emit === undefined) {
    emit = compileEmitter(rule);
    emitters.set(rule, emit);
  }
  return emit(value, ctx);
}
