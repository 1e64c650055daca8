import { randomBytes } from 'node:crypto';
import { EVENT_CATALOGUE, SupersededCaseEventTypes, type RecordedEvent } from '#contracts';
import {
  catalogueRules,
  coarsenDate,
  deriveStudyKey,
  DIRECT_IDENTIFIER_FIELDS,
  ErasedSubjectSet,
  hmacPseudonym,
  parseResearchSecret,
  Pseudonymiser,
  resolveTypes,
  sanitiseToJson,
  sanitiseEvent,
  sanitiseSelected,
  recordedEventOfRow,
  toCloudEvent,
  type SelectedRow,
  toCsvLine,
  type FieldRule,
} from '../src/index.js';

const secret = randomBytes(32);

/** Every string leaf of a JSON value, with its JSON pointer. */
function stringLeaves(value: unknown, pointer = ''): [string, string][] {
  if (typeof value === 'string') return [[pointer, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${pointer}/${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, `${pointer}/${k}`));
  return [];
}

/** The enum values a rule's schema allows at a pointer (array indexes skipped). */
function schemaAt(schema: object, pointer: string): Record<string, unknown> | undefined {
  let node = schema as Record<string, unknown> | undefined;
  for (const segment of pointer.split('/').slice(1)) {
    if (!node) return undefined;
    if (/^\d+$/.test(segment)) node = node['items'] as Record<string, unknown> | undefined;
    else node = (node['properties'] as Record<string, Record<string, unknown>> | undefined)?.[segment];
  }
  return node;
}

const PERIOD = /^(\d{4}-\d{2}-\d{2}|\d{4}-W\d{2}|\d{4}-\d{2}|\d{4}-Q[1-4])$/;

describe('study keys and pseudonyms', () => {
  it('derives a key per study: stable within it, different across studies, never the secret itself', () => {
    const a1 = deriveStudyKey(secret, 'study-a');
    const a2 = deriveStudyKey(secret, 'study-a');
    const b = deriveStudyKey(secret, 'study-b');
    expect(a1.equals(a2)).toBe(true);
    expect(a1.equals(b)).toBe(false);
    expect(a1.equals(secret)).toBe(false);
    expect(deriveStudyKey(randomBytes(32), 'study-a').equals(a1)).toBe(false);
  });

  it('gives the HMAC-SHA-256 pseudonym, cached or not, stable within a study and different across studies', () => {
    const key = deriveStudyKey(secret, 'study-a');
    const p = new Pseudonymiser(key, 2);
    const ids = ['3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60', 'AS-4471', 'AS/26/004211', 'x'];
    const first = ids.map((id) => p.pseudonym(id));
    const again = ids.map((id) => p.pseudonym(id)); // past the cache size: recomputed
    expect(again).toEqual(first);
    expect(first).toEqual(ids.map((id) => hmacPseudonym(key, id)));
    expect(first.every((s) => /^[A-Za-z0-9_-]{22}$/.test(s))).toBe(true);
    expect(new Set(first).size).toBe(ids.length);
    const other = new Pseudonymiser(deriveStudyKey(secret, 'study-b'));
    expect(ids.map((id) => other.pseudonym(id)).some((s, i) => s === first[i])).toBe(false);
  });

  it('gives transient ids (event, correlation, causation) the same pseudonym as the cache, in any order, the empty id too', () => {
    const key = deriveStudyKey(secret, 'study-a');
    const p = new Pseudonymiser(key);
    const ids = ['e-1', 'c-1', 'e-1', 'e-2', 'c-1', 'e-3', '', 'e-1', '', 'é-ü', 'x'.repeat(300)];
    expect(ids.map((id) => p.transient(id))).toEqual(ids.map((id) => hmacPseudonym(key, id)));
    expect(ids.map((id) => p.pseudonym(id))).toEqual(ids.map((id) => p.transient(id)));
  });

  it('refuses a research secret shorter than 32 bytes or missing', () => {
    expect(() => parseResearchSecret(undefined)).toThrow(/NOM_RESEARCH_KEY is required/);
    expect(() => parseResearchSecret(randomBytes(16).toString('base64'))).toThrow(/at least 32 bytes/);
    expect(parseResearchSecret(secret.toString('base64')).equals(secret)).toBe(true);
  });
});

describe('date coarsening', () => {
  it.each([
    ['2026-11-03T21:14:00Z', 'day', '2026-11-03'],
    ['2026-11-03T21:14:00Z', 'month', '2026-11'],
    ['2026-11-03T21:14:00Z', 'quarter', '2026-Q4'],
    ['2026-02-10', 'quarter', '2026-Q1'],
    ['2026-01-01T00:00:00Z', 'week', '2026-W01'],
    ['2027-01-01T12:00:00Z', 'week', '2026-W53'],
    ['2024-12-30', 'week', '2025-W01'],
    ['2026-11-03T09:00:00+02:00', 'day', '2026-11-03'],
  ] as const)('%s to %s is %s', (value, granularity, expected) => {
    expect(coarsenDate(value, granularity)).toBe(expected);
  });

  it('reads UTC instants off the string exactly as it computes any other instant', () => {
    for (let i = 0; i < 500; i++) {
      const at = new Date(Date.UTC(2020, 0, 1) + i * 7_654_321_987);
      const utc = at.toISOString();
      const offset = utc.replace('Z', '+00:00');
      for (const g of ['day', 'week', 'month', 'quarter'] as const)
        expect([utc, g, coarsenDate(utc, g)]).toEqual([utc, g, coarsenDate(offset, g)]);
    }
  });

  it('gives null for something that is not a date, never the value', () => {
    expect(coarsenDate('next Tuesday', 'month')).toBeNull();
  });
});

describe('the field policy derived from the catalogue schemas', () => {
  it.each(EVENT_CATALOGUE.map((e) => [e.type, e] as const))(
    '%s: no free text, personal field or direct identifier survives',
    (_type, entry) => {
      const rule = catalogueRules().get(entry.type)!;
      const key = deriveStudyKey(secret, 'study-a');
      const made = new Map<string, string>();
      const ctx = {
        pseudonyms: {
          pseudonym: (id: string) => {
            const p = hmacPseudonym(key, id);
            made.set(p, id);
            return p;
          },
        },
        granularity: 'month' as const,
        ids: [] as string[],
      };
      const text = sanitiseToJson(rule, entry.example, ctx) ?? '{}';
      const out: unknown = JSON.parse(text);

      // Every string that survives is a code of the schema, a pseudonym or a period label.
      for (const [pointer, value] of stringLeaves(out)) {
        const node = schemaAt(entry.schema, pointer);
        const isCode = Array.isArray(node?.['enum']) && (node['enum'] as unknown[]).includes(value);
        const isCodePattern = typeof node?.['pattern'] === 'string' && new RegExp(node['pattern']).test(value) && !made.has(value);
        const isPseudonym = made.has(value);
        const isPeriod = PERIOD.test(value) && (node?.['format'] === 'date' || node?.['format'] === 'date-time');
        expect({ pointer, value, ok: isCode || isPseudonym || isPeriod || isCodePattern }).toEqual({ pointer, value, ok: true });
      }
      // Free text (a string the schema leaves open), personal fields and direct identifiers are gone.
      const mustGo = stringLeaves(entry.example).filter(([pointer]) => {
        const node = schemaAt(entry.schema, pointer) ?? {};
        const free = node['enum'] === undefined && node['format'] === undefined && node['pattern'] === undefined;
        const personal = entry.personalFields.some((p) => pointer === p || pointer.startsWith(`${p}/`));
        const direct = pointer.split('/').some((s) => DIRECT_IDENTIFIER_FIELDS.has(s));
        // Ids, references and exact times never survive as they were either.
        const exact = node['format'] === 'uuid' || node['format'] === 'date-time' || node['format'] === 'date';
        return free || personal || direct || exact;
      });
      expect(mustGo.filter(([, value]) => text.includes(JSON.stringify(value).slice(1, -1)))).toEqual([]);
    },
  );

  it('keeps codes, numbers and booleans, pseudonymises ids and references, coarsens dates', () => {
    const rule: FieldRule = catalogueRules().get('uk.police.nom.cases.crime-recorded.v2')!;
    const key = deriveStudyKey(secret, 's');
    const ctx = { pseudonyms: { pseudonym: (id: string) => hmacPseudonym(key, id) }, granularity: 'quarter' as const, ids: [] as string[] };
    const entry = EVENT_CATALOGUE.find((e) => e.type === 'uk.police.nom.cases.crime-recorded.v2')!;
    const example = entry.example as Record<string, string>;
    expect(JSON.parse(sanitiseToJson(rule, example, ctx)!)).toEqual({
      caseId: hmacPseudonym(key, example['caseId']!),
      crimeReference: hmacPseudonym(key, example['crimeReference']!),
      offence: example['offence'],
      offenceCode: example['offenceCode'],
      n100Reference: hmacPseudonym(key, example['n100Reference']!),
      reportedAt: '2026-Q4',
      recordedAt: '2026-Q4',
    });
    expect(ctx.ids).toEqual(expect.arrayContaining([example['caseId'], example['crimeReference']]));
  });

  it('writes JSON: nulls stay where the field survives, values of the wrong shape and dropped fields are left out', () => {
    const rule: FieldRule = {
      kind: 'object',
      properties: new Map<string, FieldRule>([
        ['code', { kind: 'keep' }],
        ['caseId', { kind: 'id' }],
        ['at', { kind: 'date' }],
        ['notes', { kind: 'drop' }],
        ['tags', { kind: 'array', items: { kind: 'drop' } }],
        ['ids', { kind: 'array', items: { kind: 'id' } }],
        [
          'inner',
          {
            kind: 'object',
            properties: new Map<string, FieldRule>([
              ['n', { kind: 'keep' }],
              ['t', { kind: 'drop' }],
            ]),
          },
        ],
      ]),
    };
    const ctx = {
      pseudonyms: { pseudonym: (id: string) => `p(${id})`.replace(/[()]/g, '_') },
      granularity: 'month' as const,
      ids: [] as string[],
    };
    const json = (value: unknown): unknown => JSON.parse(sanitiseToJson(rule, value, { ...ctx, ids: [] })!);
    expect(
      json({
        code: 'A "quoted" code',
        caseId: 'c-1',
        at: '2026-03-04T05:06:07Z',
        notes: 'free text',
        tags: ['x'],
        ids: ['a', null, 7],
        inner: { n: 1.5, t: 'y' },
      }),
    ).toEqual({ code: 'A "quoted" code', caseId: 'p_c-1_', at: '2026-03', ids: ['p_a_', null], inner: { n: 1.5 } });
    expect(json({ code: null, caseId: null, at: null, notes: null, tags: null, ids: null, inner: null })).toEqual({
      code: null,
      caseId: null,
      at: null,
      tags: null,
      ids: null,
      inner: null,
    });
    expect(
      json({ code: { nested: true }, caseId: 42, at: 'next Tuesday', tags: 'x', ids: 'a', inner: [1], extra: 'never described' }),
    ).toEqual({});
    expect(json({ code: true, inner: { n: false } })).toEqual({ code: true, inner: { n: false } });
    expect(sanitiseToJson(rule, 'not an object', { ...ctx, ids: [] })).toBeUndefined();
    // Key order follows the schema, whatever the payload's order.
    expect(sanitiseToJson(rule, { inner: { n: 1 }, code: 'B' }, { ...ctx, ids: [] })).toBe('{"code":"B","inner":{"n":1}}');
  });

  it('pseudonymises the envelope and coarsens its times', () => {
    const key = deriveStudyKey(secret, 's');
    const p = new Pseudonymiser(key);
    const event: RecordedEvent = {
      id: '11111111-1111-4111-8111-111111111111',
      type: 'uk.police.nom.cases.investigator-assigned.v1',
      streamId: 'case-3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60',
      revision: 3n,
      position: 12345n,
      recordedAt: '2026-11-03T09:05:01.000Z',
      data: { caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60', officerId: 'AS-4471', assignedAt: '2026-11-03T09:05:00Z' },
      metadata: {
        force: 'avon-somerset',
        occurredAt: '2026-11-03T09:05:00Z',
        correlationId: 'c-1',
        causationId: 'c-2',
        actor: 'AS-2210',
        modelVersion: '2026.1',
        classification: 'OFFICIAL-SENSITIVE',
      },
    };
    const s = sanitiseEvent(event, p, 'month')!;
    expect(s.row).toEqual({
      seq: 0,
      id: hmacPseudonym(key, event.id),
      type: event.type,
      force: 'avon-somerset',
      stream: hmacPseudonym(key, event.streamId),
      revision: 3,
      occurred: '2026-11',
      recorded: '2026-11',
      modelVersion: '2026.1',
      classification: 'OFFICIAL-SENSITIVE',
      actor: hmacPseudonym(key, 'AS-2210'),
      correlationId: hmacPseudonym(key, 'c-1'),
      causationId: hmacPseudonym(key, 'c-2'),
      data: JSON.stringify({
        caseId: hmacPseudonym(key, event.streamId.slice(5)),
        officerId: hmacPseudonym(key, 'AS-4471'),
        assignedAt: '2026-11',
      }),
    });
    expect(s.subjects).toEqual(expect.arrayContaining([event.streamId, 'AS-4471', '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60']));
    const line = JSON.parse(toCloudEvent({ ...s.row, seq: 1 })) as Record<string, unknown>;
    expect(line).toMatchObject({
      specversion: '1.0',
      id: s.row.id,
      type: event.type,
      subject: s.row.stream,
      nomoccurred: '2026-11',
      data: JSON.parse(s.row.data),
    });
    expect(line['time']).toBeUndefined();
    expect(line['nomsequence']).toBe(1);
    expect(line['source']).toBe('/uk/police/nom/forces/avon-somerset');
    expect(JSON.parse(toCloudEvent({ ...s.row, seq: 2, actor: 'system:"quoted"\\' })).nomactor).toBe('system:"quoted"\\');
    expect(JSON.stringify(line)).not.toContain('12345');
    expect(toCsvLine({ ...s.row, seq: 1 })).toContain(`"${s.row.data.replaceAll('"', '""')}"`);
    expect(
      sanitiseEvent({ ...event, type: 'uk.police.nom.unknown.thing.v1' }, { pseudonym: (id) => id, transient: (id) => id }, 'month'),
    ).toBeUndefined();
  });
});

describe('a selected row pseudonymised straight from its columns', () => {
  const key = deriveStudyKey(secret, 'rows');
  const metadata = {
    force: 'kent',
    occurredAt: '2025-03-04T10:00:00Z',
    correlationId: 'c-9',
    causationId: 'c-9',
    actor: 'AS-77',
    modelVersion: '2026.1',
    classification: 'OFFICIAL-SENSITIVE',
  };
  const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
  const rowOf = (type: string, data: unknown, meta: unknown = metadata): SelectedRow =>
    ['77', '22222222-2222-4222-8222-222222222222', `case-${caseId}`, '4', type, data, meta, '2025-03-05'] as const;

  it('gives what sanitiseEvent gives for the recorded event: a current type, and a superseded one (upcast first)', () => {
    const rows = [
      rowOf('uk.police.nom.cases.investigator-assigned.v1', { caseId, officerId: 'AS-4471', assignedAt: '2025-03-04T10:00:00Z' }),
      rowOf(SupersededCaseEventTypes.CrimeRecordedV1, {
        caseId,
        crimeReference: 'KE/25/000123',
        offence: 'rape-of-female-16-plus',
        reportedAt: '2025-03-01T10:00:00Z',
        recordedAt: '2025-03-02T10:00:00Z',
      }),
      rowOf('uk.police.nom.unknown.thing.v1', {}),
    ];
    for (const row of rows) {
      expect(sanitiseSelected(row, new Pseudonymiser(key), 'week')).toEqual(
        sanitiseEvent(recordedEventOfRow(row), new Pseudonymiser(key), 'week'),
      );
    }
    expect(sanitiseSelected(rows[1]!, new Pseudonymiser(key), 'month')!.row.type).toBe('uk.police.nom.cases.crime-recorded.v2');
    expect(sanitiseSelected(rows[0]!, new Pseudonymiser(key), 'month')!.row).toMatchObject({ revision: 4, recorded: '2025-03' });
  });

  it('fails as sanitiseEvent fails on a garbled envelope (no actor, null metadata)', () => {
    const type = 'uk.police.nom.cases.investigation-opened.v1';
    for (const meta of [{ ...metadata, actor: undefined }, null]) {
      const row = rowOf(type, { caseId, openedAt: '2025-03-04T10:00:00Z' }, meta);
      const expected = ((): unknown => {
        try {
          return sanitiseEvent(recordedEventOfRow(row), new Pseudonymiser(key), 'month');
        } catch (error) {
          return error;
        }
      })();
      expect(expected).toBeInstanceOf(TypeError);
      expect(() => sanitiseSelected(row, new Pseudonymiser(key), 'month')).toThrow((expected as Error).message);
    }
  });
});

describe('erased subjects', () => {
  it('answers which of the given ids are erased, and identifies the set by a digest', async () => {
    const set = new ErasedSubjectSet(['v-1', 'victim-v-1']);
    expect(set.isEmpty()).toBe(false);
    expect([...(await set.isErased(['a', 'victim-v-1', 'v-1', 'b']))].sort()).toEqual(['v-1', 'victim-v-1']);
    expect(new ErasedSubjectSet([]).isEmpty()).toBe(true);
    expect(new ErasedSubjectSet(['victim-v-1', 'v-1']).digest()).toBe(set.digest());
    expect(new ErasedSubjectSet(['v-1']).digest()).not.toBe(set.digest());
  });
});

describe('type selectors', () => {
  it('resolves exact types, contexts and prefixes against the catalogue, and refuses what matches nothing', () => {
    expect(resolveTypes(undefined)).toHaveLength(EVENT_CATALOGUE.filter((e) => e.context !== 'privacy').length);
    expect(EVENT_CATALOGUE.some((e) => e.type === 'uk.police.nom.privacy.subject-erased.v1')).toBe(true);
    expect(resolveTypes(['victims'])).toEqual(
      EVENT_CATALOGUE.filter((e) => e.context === 'victims')
        .map((e) => e.type)
        .sort(),
    );
    expect(resolveTypes(['uk.police.nom.cases.crime-*'])).toEqual([
      'uk.police.nom.cases.crime-recorded.v1',
      'uk.police.nom.cases.crime-recorded.v2',
    ]);
    expect(resolveTypes(['uk.police.nom.learning.'])).toEqual(resolveTypes(['learning']));
    expect(() => resolveTypes(['uk.police.nom.privacy.subject-erased.v1'])).toThrow(/matches no exportable catalogue event type/);
    expect(() => resolveTypes(['privacy'])).toThrow(/matches no exportable/);
  });
});
