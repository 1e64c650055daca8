import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  catalogueEntry,
  catalogueSnapshots,
  checkCatalogue,
  explainBreaking,
  schemaChanges,
  type CatalogueSnapshot,
} from '../src/index.js';

/**
 * The vocabulary cannot break by accident (issue 18 item 5, ADR 0034). The published catalogue is snapshotted in
 * contracts/snapshots/ (one file per event type version); a change to a published version that is not backward
 * compatible for consumers fails here, saying what to do instead. The comparison is tried on planted changes.
 */
const DIR = join(import.meta.dirname, '..', '..', '..', 'contracts', 'snapshots');
const snapshots: CatalogueSnapshot[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as CatalogueSnapshot);

describe('the published catalogue', () => {
  it('has one snapshot per event type version, named after it', () => {
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(snapshots.map((s) => `${s.type}.json`).sort());
  });

  it('is unchanged, or changed only compatibly and snapshotted (npm run catalogue:snapshot)', () => {
    const findings = checkCatalogue(snapshots, catalogueSnapshots());
    const breaking = explainBreaking(findings);
    if (breaking) throw new Error(breaking);
    // A compatible change (new type, new optional field, widened enum) must be recorded too, or a later narrowing would pass.
    const unrecorded = findings.map((f) => `${f.kind}: ${f.type}${f.changes.map((c) => ` ${c.pointer} ${c.change}`).join(';')}`);
    const hint = 'compatible changes not snapshotted yet: run npm run catalogue:snapshot and commit contracts/snapshots/';
    expect({ hint, unrecorded }).toEqual({ hint, unrecorded: [] });
  });
});

describe('the compatibility check, on planted changes to crime-recorded.v2', () => {
  const TYPE = 'uk.police.nom.cases.crime-recorded.v2';
  const published = catalogueSnapshots().find((s) => s.type === TYPE)!;
  const schema = published.schema as { properties: Record<string, Record<string, unknown>>; required: string[] };
  const plant = (change: (s: typeof schema) => void): CatalogueSnapshot => {
    const copy = structuredClone(schema);
    change(copy);
    return { ...published, schema: copy };
  };
  const verdict = (current: CatalogueSnapshot) => {
    const findings = checkCatalogue(
      [published],
      catalogueSnapshots()
        .filter((s) => s.type !== TYPE)
        .concat(current),
    ).filter((f) => f.type === TYPE);
    return {
      kinds: findings.flatMap((f) => f.changes.map((c) => `${c.kind} ${c.pointer} ${c.change.split(':')[0]}`)),
      message: explainBreaking(findings),
    };
  };
  const enumField = Object.entries(schema.properties).find(([, s]) => Array.isArray(s['enum']))![0];

  it('knows the planted schema is the real one', () => {
    expect(catalogueEntry(TYPE)?.schema).toEqual(schema);
    expect(verdict(published)).toEqual({ kinds: [], message: '' });
  });

  it('fails a removed field, saying to declare v3 with an upcaster', () => {
    const { kinds, message } = verdict(plant((s) => delete s.properties['crimeReference']));
    expect(kinds).toEqual(['breaking /crimeReference field removed']);
    expect(message).toContain('declare uk.police.nom.cases.crime-recorded.v3 with the change, add an upcaster');
  });

  it('fails a retyped field', () => {
    expect(verdict(plant((s) => void (s.properties['crimeReference'] = { type: 'integer' }))).kinds).toContain(
      'breaking /crimeReference retyped',
    );
  });

  it('fails a new required field and an optional field made required', () => {
    expect(
      verdict(
        plant((s) => {
          s.properties['courtId'] = { type: 'string' };
          s.required.push('courtId');
        }),
      ).kinds,
    ).toEqual(['breaking /courtId new required field']);
    const optional = { type: 'object', properties: { a: { type: 'string' } }, required: [] };
    expect(schemaChanges(optional, { ...optional, required: ['a'] })).toEqual([
      { kind: 'breaking', pointer: '/a', change: 'optional field made required' },
    ]);
    expect(schemaChanges({ ...optional, required: ['a'] }, optional)).toEqual([
      { kind: 'breaking', pointer: '/a', change: 'required field made optional' },
    ]);
  });

  it('fails a narrowed enum and a tightened bound, and accepts a widened enum', () => {
    const values = schema.properties[enumField]!['enum'] as string[];
    expect(verdict(plant((s) => void (s.properties[enumField]!['enum'] = values.slice(1)))).kinds).toEqual([
      `breaking /${enumField} enum narrowed`,
    ]);
    expect(verdict(plant((s) => void (s.properties[enumField]!['enum'] = [...values, 'new-offence']))).kinds).toEqual([
      `minor /${enumField} enum widened`,
    ]);
    expect(schemaChanges({ type: 'string', maxLength: 100 }, { type: 'string', maxLength: 50 })).toEqual([
      { kind: 'breaking', pointer: '', change: 'maxLength tightened: 100 -> 50' },
    ]);
    expect(schemaChanges({ type: 'string', maxLength: 100 }, { type: 'string', maxLength: 200 })[0]?.kind).toBe('minor');
  });

  it('accepts a new optional field and a changed description as minor, which a minor version of the package publishes', () => {
    const { kinds, message } = verdict(
      plant((s) => {
        s.properties['courtId'] = { type: 'string', description: 'new' };
        (s as Record<string, unknown>)['description'] = 'reworded';
      }),
    );
    expect({ kinds, message }).toEqual({ kinds: ['minor /courtId new optional field'], message: '' });
  });

  it('fails a removed event type version and a change of personal fields', () => {
    const removed = checkCatalogue(
      [published],
      catalogueSnapshots().filter((s) => s.type !== TYPE),
    );
    expect(explainBreaking(removed)).toContain(`Keep ${TYPE} in the catalogue`);
    const personal = checkCatalogue([published], [{ ...published, personalFields: ['/crimeReference'] }]);
    expect(personal[0]?.kind).toBe('breaking');
  });
});
