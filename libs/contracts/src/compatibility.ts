/**
 * Whether a change to a published event version's data schema is backward compatible for its consumers (ADR 0034).
 * A published version is a promise to every force's consumers and to the log, which keeps its records for ever: every
 * record ever published must stay valid under the current schema, and a consumer written against the published schema
 * must understand what is published now. So, comparing the published (old) schema with the current (new) one:
 *
 *   breaking: a field removed; a field retyped (type, format, pattern, or any keyword this check does not know, changed);
 *             a new required field, or an optional field made required; a required field made optional; an enum
 *             narrowed; a bound tightened (shorter maxLength, larger minimum, ...); additional properties closed;
 *   minor:    a new optional field; an enum widened; a bound loosened; a description changed.
 *
 * Conservative by design: what it cannot prove compatible is breaking. The cure for a breaking change is never to
 * edit the published version but to declare the next one (`.v<n+1>`) with an upcaster from this one.
 */

export type ChangeKind = 'breaking' | 'minor';

export interface SchemaChange {
  readonly kind: ChangeKind;
  /** JSON pointer of the field in the event's data ('' for the data itself). */
  readonly pointer: string;
  readonly change: string;
}

type Schema = Record<string, unknown>;

const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const escape = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');
const typesOf = (schema: Schema): string[] => {
  const type = schema['type'];
  if (Array.isArray(type)) return type as string[];
  return typeof type === 'string' ? [type] : [];
};

/** Keywords that only annotate: a change to them never breaks a consumer. */
const ANNOTATIONS = new Set(['description', 'title', 'examples', '$comment', 'deprecated', '$id', '$schema']);
/** Bounds where a larger value is looser, and where a smaller value is. */
const UPPER = new Set(['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties']);
const LOWER = new Set(['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties']);
/** Keywords compared below field by field. */
const STRUCTURAL = new Set(['type', 'properties', 'required', 'enum', 'items', 'additionalProperties']);

function compareBound(keyword: string, before: unknown, after: unknown, pointer: string, out: SchemaChange[]): void {
  if (same(before, after)) return;
  const looser = UPPER.has(keyword)
    ? after === undefined || (typeof before === 'number' && typeof after === 'number' && after > before)
    : before !== undefined && (after === undefined || (typeof before === 'number' && typeof after === 'number' && after < before));
  const change = `${keyword} ${looser ? 'loosened' : 'tightened'}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`;
  out.push({ kind: looser ? 'minor' : 'breaking', pointer, change });
}

function compareNode(before: Schema, after: Schema, pointer: string, out: SchemaChange[]): void {
  const oldTypes = typesOf(before);
  const newTypes = typesOf(after);
  const addedTypes = newTypes.filter((t) => !oldTypes.includes(t));
  const removedTypes = oldTypes.filter((t) => !newTypes.includes(t));
  if (addedTypes.length > 0 || removedTypes.length > 0) {
    const change = `retyped: ${JSON.stringify(before['type'] ?? null)} -> ${JSON.stringify(after['type'] ?? null)}`;
    out.push({ kind: 'breaking', pointer, change });
  }

  const oldEnum = before['enum'];
  const newEnum = after['enum'];
  if (Array.isArray(oldEnum) && !Array.isArray(newEnum)) {
    out.push({ kind: 'minor', pointer, change: 'enum removed: any value allowed' });
  } else if (!Array.isArray(oldEnum) && Array.isArray(newEnum)) {
    out.push({ kind: 'breaking', pointer, change: `enum introduced: ${JSON.stringify(newEnum)}` });
  } else if (Array.isArray(oldEnum) && Array.isArray(newEnum)) {
    const lost = oldEnum.filter((v) => !newEnum.some((n) => same(n, v)));
    const gained = newEnum.filter((v) => !oldEnum.some((o) => same(o, v)));
    if (lost.length > 0) out.push({ kind: 'breaking', pointer, change: `enum narrowed: ${JSON.stringify(lost)} no longer allowed` });
    if (gained.length > 0) out.push({ kind: 'minor', pointer, change: `enum widened: ${JSON.stringify(gained)} added` });
  }

  const oldProps = isObject(before['properties']) ? before['properties'] : {};
  const newProps = isObject(after['properties']) ? after['properties'] : {};
  const oldRequired = new Set(Array.isArray(before['required']) ? (before['required'] as string[]) : []);
  const newRequired = new Set(Array.isArray(after['required']) ? (after['required'] as string[]) : []);
  for (const [name, schema] of Object.entries(oldProps)) {
    const at = `${pointer}/${escape(name)}`;
    if (!(name in newProps)) {
      out.push({ kind: 'breaking', pointer: at, change: 'field removed' });
      continue;
    }
    if (oldRequired.has(name) && !newRequired.has(name))
      out.push({ kind: 'breaking', pointer: at, change: 'required field made optional' });
    if (!oldRequired.has(name) && newRequired.has(name))
      out.push({ kind: 'breaking', pointer: at, change: 'optional field made required' });
    compareSchemas(schema, newProps[name], at, out);
  }
  for (const name of Object.keys(newProps)) {
    if (name in oldProps) continue;
    const at = `${pointer}/${escape(name)}`;
    const required = newRequired.has(name);
    out.push({ kind: required ? 'breaking' : 'minor', pointer: at, change: required ? 'new required field' : 'new optional field' });
  }

  if (before['items'] !== undefined || after['items'] !== undefined)
    compareSchemas(before['items'], after['items'], `${pointer}/items`, out);

  const oldAdditional = before['additionalProperties'];
  const newAdditional = after['additionalProperties'];
  if (!same(oldAdditional, newAdditional)) {
    const opened = newAdditional === undefined || newAdditional === true;
    const change = `additionalProperties ${JSON.stringify(oldAdditional ?? true)} -> ${JSON.stringify(newAdditional ?? true)}`;
    out.push({ kind: opened ? 'minor' : 'breaking', pointer, change });
  }

  for (const keyword of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (ANNOTATIONS.has(keyword) || STRUCTURAL.has(keyword)) continue;
    if (UPPER.has(keyword) || LOWER.has(keyword)) compareBound(keyword, before[keyword], after[keyword], pointer, out);
    else if (!same(before[keyword], after[keyword])) {
      const change = `${keyword} changed: ${JSON.stringify(before[keyword] ?? null)} -> ${JSON.stringify(after[keyword] ?? null)}`;
      out.push({ kind: 'breaking', pointer, change });
    }
  }
}

function compareSchemas(before: unknown, after: unknown, pointer: string, out: SchemaChange[]): void {
  if (same(before, after)) return;
  if (!isObject(before) || !isObject(after)) {
    out.push({
      kind: 'breaking',
      pointer,
      change: `schema replaced: ${JSON.stringify(before ?? null)} -> ${JSON.stringify(after ?? null)}`,
    });
    return;
  }
  compareNode(before, after, pointer, out);
}

/** Every difference between a published schema and the current one, each breaking or minor. */
export function schemaChanges(published: object, current: object): SchemaChange[] {
  const out: SchemaChange[] = [];
  compareSchemas(published, current, '', out);
  return out;
}

/** One published version's snapshot (contracts/snapshots/<type>.json): what consumers were promised. */
export interface CatalogueSnapshot {
  readonly type: string;
  /** The JSON Schema of the event's data as declared (before personal fields are widened to encrypted tokens). */
  readonly schema: object;
  readonly personalFields: readonly string[];
}

/** What the compatibility check found for one event type version. */
export interface CompatibilityFinding {
  readonly type: string;
  readonly kind: ChangeKind | 'new-type' | 'removed-type';
  readonly changes: readonly SchemaChange[];
}

/** The next version of a versioned type name: `...crime-recorded.v2` -> `...crime-recorded.v3`. */
export function nextVersion(type: string): string {
  const match = /^(.*\.v)(\d+)$/.exec(type);
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${type}.v2`;
}

/** Compares the snapshots of the published versions with the current catalogue's. */
export function checkCatalogue(snapshots: readonly CatalogueSnapshot[], current: readonly CatalogueSnapshot[]): CompatibilityFinding[] {
  const now = new Map(current.map((c) => [c.type, c]));
  const findings: CompatibilityFinding[] = [];
  for (const snapshot of snapshots) {
    const entry = now.get(snapshot.type);
    if (!entry) {
      const changes: SchemaChange[] = [{ kind: 'breaking', pointer: '', change: 'published event type version removed' }];
      findings.push({ type: snapshot.type, kind: 'removed-type', changes });
      continue;
    }
    const changes = schemaChanges(snapshot.schema, entry.schema);
    if (!same([...snapshot.personalFields].sort(), [...entry.personalFields].sort())) {
      const change = `personal fields changed: ${JSON.stringify(snapshot.personalFields)} -> ${JSON.stringify(entry.personalFields)}`;
      changes.push({ kind: 'breaking', pointer: '', change });
    }
    if (changes.length > 0)
      findings.push({ type: snapshot.type, kind: changes.some((c) => c.kind === 'breaking') ? 'breaking' : 'minor', changes });
  }
  const known = new Set(snapshots.map((s) => s.type));
  for (const entry of current) if (!known.has(entry.type)) findings.push({ type: entry.type, kind: 'new-type', changes: [] });
  return findings;
}

/** The check's verdict in words: what broke and what to do instead (empty when nothing is breaking). */
export function explainBreaking(findings: readonly CompatibilityFinding[]): string {
  const broken = findings.filter((f) => f.kind === 'breaking' || f.kind === 'removed-type');
  if (broken.length === 0) return '';
  const lines = broken.flatMap((f) => [
    `${f.type} is published and this change is not backward compatible for its consumers:`,
    ...f.changes.filter((c) => c.kind === 'breaking').map((c) => `  - ${c.pointer || '(data)'}: ${c.change}`),
    f.kind === 'removed-type'
      ? `  Keep ${f.type} in the catalogue (records of it stay on the topics for ever); supersede it with an upcaster instead.`
      : `  Do instead: leave ${f.type} as published, declare ${nextVersion(f.type)} with the change, add an upcaster ${f.type} -> ` +
        `${nextVersion(f.type)} (libs/contracts/src/upcasting.ts), and snapshot the new version (npm run catalogue:snapshot).`,
  ]);
  return lines.join('\n');
}
