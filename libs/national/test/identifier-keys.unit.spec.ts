import { randomBytes } from 'node:crypto';
import {
  identifierKeys,
  matchingKeyFrom,
  normaliseCroNumber,
  normaliseName,
  normalisePncId,
  normalisedKeys,
  strengthOf,
  usable,
} from '../src/index.js';

describe('identifier normalisation', () => {
  it('writes a PNC ID one way: two-digit year, serial without leading zeros, upper-case check letter', () => {
    expect(normalisePncId('12/345678A')).toBe('12/345678A');
    expect(normalisePncId('12/0345678A')).toBe('12/345678A');
    expect(normalisePncId('2012/345678a')).toBe('12/345678A');
    expect(normalisePncId(' 12 / 345678 A ')).toBe('12/345678A');
    expect(normalisePncId('12/345678')).toBeUndefined();
    expect(normalisePncId('not a pnc')).toBeUndefined();
  });

  it('writes a CRO number one way', () => {
    expect(normaliseCroNumber('123456/12A')).toBe('123456/12A');
    expect(normaliseCroNumber('000456/12a')).toBe('456/12A');
    expect(normaliseCroNumber('456/12A')).toBe('456/12A');
    expect(normaliseCroNumber('456/2012A')).toBeUndefined();
  });

  it('folds case, accents, punctuation, whitespace and "Surname, Given" order of a name', () => {
    const canonical = ['daniel', 'marsh'];
    for (const variant of ['Daniel Marsh', 'DANIEL MARSH', '  Daniel   Marsh ', 'Dániel Marsh', 'Marsh, Daniel', 'MARSH,Daniel']) {
      expect(normaliseName(variant)).toEqual(canonical);
    }
    expect(normaliseName("Siobhan O'Brien-Smith")).toEqual(['siobhan', 'obrien', 'smith']);
  });

  it('derives the full and loose keys only with a date of birth, the full one only with a given name longer than an initial', () => {
    const dob = '1988-04-17';
    expect(normalisedKeys({ name: 'Daniel Marsh', dateOfBirth: dob, pncId: '12/0345678A', croNumber: '123456/12A' })).toEqual([
      { kind: 'pnc-id', value: '12/345678A' },
      { kind: 'cro-number', value: '123456/12A' },
      { kind: 'name-dob', value: `daniel marsh|${dob}` },
      { kind: 'name-dob-loose', value: `d marsh|${dob}` },
      { kind: 'name-dob-loose', value: `m daniel|${dob}` },
    ]);
    expect(normalisedKeys({ name: 'D. Marsh', dateOfBirth: dob })).toEqual([{ kind: 'name-dob-loose', value: `d marsh|${dob}` }]);
    expect(normalisedKeys({ name: 'Daniel Marsh' })).toEqual([]);
    expect(normalisedKeys({ name: 'Marsh', dateOfBirth: dob })).toEqual([]);
  });

  it('makes a surname-first record without a comma meet its pair on the loose key', () => {
    const dob = '1988-04-17';
    const a = normalisedKeys({ name: 'Daniel Marsh', dateOfBirth: dob })
      .filter((k) => k.kind === 'name-dob-loose')
      .map((k) => k.value);
    const b = normalisedKeys({ name: 'Marsh Daniel', dateOfBirth: dob })
      .filter((k) => k.kind === 'name-dob-loose')
      .map((k) => k.value);
    expect(a.filter((v) => b.includes(v))).toHaveLength(2);
  });

  it('ignores erased or non-text fields', () => {
    expect(usable('[erased]')).toBe(false);
    expect(usable({ erased: true })).toBe(false);
    expect(usable('')).toBe(false);
    expect(usable('nom-enc:v1:AbC_-1')).toBe(false);
    expect(usable('Daniel Marsh')).toBe(true);
    expect(normalisedKeys({ name: '[erased]', dateOfBirth: '1988-04-17', pncId: { erased: true } })).toEqual([]);
  });
});

describe('keyed hashes', () => {
  const key = randomBytes(32);

  it('hold no identifier in clear and depend on the key', () => {
    const identifiers = { name: 'Daniel Marsh', dateOfBirth: '1988-04-17', pncId: '12/345678A' };
    const keys = identifierKeys(key, identifiers);
    expect(keys.map((k) => k.kind)).toEqual(['pnc-id', 'name-dob', 'name-dob-loose', 'name-dob-loose']);
    for (const { hash } of keys) {
      expect(hash).toHaveLength(32);
      expect(hash.toString('latin1')).not.toContain('345678');
    }
    expect(identifierKeys(key, { ...identifiers, pncId: '12/0345678A', name: 'MARSH, Daniel' }).map((k) => k.hash.toString('hex'))).toEqual(
      keys.map((k) => k.hash.toString('hex')),
    );
    expect(identifierKeys(randomBytes(32), identifiers)[0]!.hash.equals(keys[0]!.hash)).toBe(false);
  });

  it('separates kinds: the same text as a PNC ID and as a CRO number hashes differently', () => {
    const [pnc] = identifierKeys(key, { pncId: '12/345678A' });
    const [cro] = identifierKeys(key, { croNumber: '345678/12A' });
    expect(pnc!.hash.equals(cro!.hash)).toBe(false);
  });

  it('accepts only a base64 key of at least 32 bytes', () => {
    expect(matchingKeyFrom(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => matchingKeyFrom(undefined)).toThrow(/NOM_MATCHING_KEY is required/);
    expect(() => matchingKeyFrom(randomBytes(16).toString('base64'))).toThrow(/at least 32 bytes/);
    expect(() => matchingKeyFrom('not base64 at all!')).toThrow(/at least 32 bytes/);
  });

  it('grades a match by its strongest identifier', () => {
    expect(strengthOf(['name-dob', 'pnc-id'])).toBe('definite');
    expect(strengthOf(['cro-number'])).toBe('definite');
    expect(strengthOf(['name-dob', 'name-dob-loose'])).toBe('probable');
    expect(strengthOf(['name-dob-loose'])).toBe('possible');
  });
});
