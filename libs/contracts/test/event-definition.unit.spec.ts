import { randomUUID } from 'node:crypto';
import {
  compileCatalogueSchemas,
  catalogueOf,
  defineEvent,
  EVENT_CATALOGUE,
  LearningEventTypes,
  SuspectEventTypes,
  typesOf,
  validateEvent,
  type CaseEventData,
  type CaseEventTypes,
  type DataOf,
  type Infer,
  type SuspectEventData,
  type VictimEventData,
} from '#contracts';

/**
 * Each event is declared once (issue 17, item 4; ADR 0036): the type name, schema, personal fields and example of a
 * `defineEvent`; the data type is inferred from the schema, the catalogue entry derived from the declaration.
 */

/** Compile-time equality (both ways): a `true` here fails to compile when the types differ. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const assertType = <T extends true>(): T => true as T;

describe('event definitions', () => {
  it('infers the data type from the schema: required, optional, enums, nullable, nested lists', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'kind', 'at', 'tags', 'note'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        kind: { enum: ['a', 'b'] },
        at: { type: 'string' },
        tags: { type: 'array', items: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        ok: { type: 'boolean' },
      },
    } as const;
    type Inferred = Infer<typeof schema>;
    expect(schema.required).toHaveLength(5);
    type Expected = {
      readonly id: string;
      readonly kind: 'a' | 'b';
      readonly at: string;
      readonly tags: readonly { readonly n: number }[];
      readonly note: string | null;
      readonly ok?: boolean;
    };
    expect(assertType<Same<Inferred, Expected>>()).toBe(true);
  });

  it('types the data of the vocabulary from its declarations', () => {
    expect(assertType<Same<CaseEventData['OutcomeRecorded']['outcomeCode'], (typeof import('#contracts').OUTCOME_CODES)[number]>>()).toBe(
      true,
    );
    expect(assertType<Same<SuspectEventData['SuspectIdentified']['pncId'], string | undefined>>()).toBe(true);
    expect(assertType<Same<CaseEventData['CrimeRecorded']['n100Reference'], string | null>>()).toBe(true);
    expect(assertType<Same<VictimEventData['FirstContactMade']['caseId'], string>>()).toBe(true);
    // The type names stay literal types: a switch over them is exhaustive.
    expect(assertType<Same<typeof CaseEventTypes.CaseReopened, 'uk.police.nom.cases.case-reopened.v1'>>()).toBe(true);
    expect(SuspectEventTypes.BailExtended).toBe('uk.police.nom.suspects.bail-extended.v1');
    expect(LearningEventTypes.ModelVersionAdopted).toBe('uk.police.nom.learning.model-version-adopted.v1');
  });

  it('derives the type constants and catalogue entries from the declarations, in order', () => {
    const E = {
      Opened: defineEvent({
        type: 'uk.police.nom.test.opened.v1',
        context: 'cases',
        summary: 'Opened.',
        schema: { type: 'object', additionalProperties: false, required: ['at'], properties: { at: { type: 'string' } } },
        example: { at: '2026-01-01T00:00:00Z' },
      }),
      Noted: defineEvent({
        type: 'uk.police.nom.test.noted.v1',
        context: 'cases',
        summary: 'Noted.',
        schema: { type: 'object', additionalProperties: false, required: ['note'], properties: { note: { type: 'string' } } },
        personalFields: ['/note'],
        example: { note: 'x' },
      }),
    };
    expect(typesOf(E)).toEqual({ Opened: 'uk.police.nom.test.opened.v1', Noted: 'uk.police.nom.test.noted.v1' });
    expect(catalogueOf(E).map((e) => [e.type, e.personalFields])).toEqual([
      ['uk.police.nom.test.opened.v1', []],
      ['uk.police.nom.test.noted.v1', ['/note']],
    ]);
    expect(assertType<Same<DataOf<typeof E.Noted>, { readonly note: string }>>()).toBe(true);
  });

  it('compiles every schema of the catalogue (strict mode), as a validation compiles its type on first use', () => {
    expect(compileCatalogueSchemas()).toBe(EVENT_CATALOGUE.length);
  });

  it('has every example of the catalogue valid against its own schema, and every personal field present in it', () => {
    const metadata = {
      force: 'avon-somerset',
      occurredAt: '2026-11-02T21:14:00Z',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: 'AS-4471',
      modelVersion: '2026.1',
      classification: 'OFFICIAL-SENSITIVE' as const,
    };
    const problems = EVENT_CATALOGUE.flatMap((entry) => {
      const scoped = entry.scope ? { ...metadata, force: entry.scope } : metadata;
      const violations = validateEvent({ id: randomUUID(), type: entry.type, data: entry.example, metadata: scoped });
      const missing = entry.personalFields.filter(
        (pointer) => !(pointer.slice(1).split('/')[0]! in (entry.example as Record<string, unknown>)),
      );
      return [
        ...violations.map((v) => `${entry.type}: ${v.field} ${v.reason}`),
        ...missing.map((p) => `${entry.type}: personal field ${p} not in the example`),
      ];
    });
    expect(problems).toEqual([]);
  });
});
