import { createHmac } from 'node:crypto';
import type { MatchIdentifierKind, MatchStrength } from '#contracts';

/**
 * Normalised identifiers and their keyed hashes (ADR 0015). The national index never stores an identifier in
 * clear: only HMAC-SHA-256(matching key, kind + NUL + normalised value). Without the key a hash cannot be
 * tested against guesses (a plain hash of a name and a birthday could be, by brute force).
 */

/** `12/345678A`, `2012/0345678a`, ` 12 / 345678 A` -> `12/345678A`; anything else is no PNC ID. */
export function normalisePncId(raw: string): string | undefined {
  const match = /^(\d{2}|\d{4})\s*\/\s*0*(\d{1,7})\s*([A-Za-z])$/.exec(raw.trim());
  if (!match) return undefined;
  return `${match[1]!.slice(-2)}/${match[2]}${match[3]!.toUpperCase()}`;
}

/** `123456/12A`, `0123456/12a` -> `123456/12A`; anything else is no CRO number. */
export function normaliseCroNumber(raw: string): string | undefined {
  const match = /^0*(\d{1,6})\s*\/\s*(\d{2})\s*([A-Za-z])$/.exec(raw.trim());
  if (!match) return undefined;
  return `${match[1]}/${match[2]}${match[3]!.toUpperCase()}`;
}

/**
 * A name as lower-case ASCII words: accents dropped (NFKD, combining marks removed), apostrophes removed
 * (`O'Brien` = `OBrien`), other punctuation and runs of whitespace as one space, and `Surname, Given` put in
 * given-name-first order. Titles, nicknames and transliteration variants are not handled.
 */
export function normaliseName(raw: string): string[] {
  let name = raw.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const comma = name.indexOf(',');
  if (comma >= 0) name = `${name.slice(comma + 1)} ${name.slice(0, comma)}`;
  return name
    .replace(/['\u2019`]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What an identifying event says about a suspect; any field may be absent, or erased (then it is ignored). */
export interface SuspectIdentifiers {
  readonly name?: unknown;
  readonly dateOfBirth?: unknown;
  readonly pncId?: unknown;
  readonly croNumber?: unknown;
}

/**
 * A personal field the store could not give back in clear: anything that is not a plain string, the erased
 * marker (`[erased]`, a subject whose key was destroyed) or a still-encrypted token (`nom-enc:...`, a store stack
 * that does not decrypt). Skipped, never matched.
 */
export function usable(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const text = value.trim();
  return text !== '' && !/^\[?erased\b/i.test(text) && !text.startsWith('nom-enc:');
}

/** The normalised values to hash, by kind (the loose key has one value per name order). */
export function normalisedKeys(identifiers: SuspectIdentifiers): { kind: MatchIdentifierKind; value: string }[] {
  const keys: { kind: MatchIdentifierKind; value: string }[] = [];
  const pnc = usable(identifiers.pncId) ? normalisePncId(identifiers.pncId) : undefined;
  if (pnc) keys.push({ kind: 'pnc-id', value: pnc });
  const cro = usable(identifiers.croNumber) ? normaliseCroNumber(identifiers.croNumber) : undefined;
  if (cro) keys.push({ kind: 'cro-number', value: cro });
  const dob = usable(identifiers.dateOfBirth) && ISO_DATE.test(identifiers.dateOfBirth) ? identifiers.dateOfBirth : undefined;
  const words = usable(identifiers.name) ? normaliseName(identifiers.name) : [];
  if (dob && words.length >= 2) {
    const first = words[0]!;
    const last = words[words.length - 1]!;
    // A bare initial is too little for the full key: "A Smith" matches only loosely.
    if (first.length > 1) keys.push({ kind: 'name-dob', value: `${words.join(' ')}|${dob}` });
    // Initial + surname, in both orders (a surname recorded first without a comma still meets its pair).
    keys.push({ kind: 'name-dob-loose', value: `${first[0]} ${last}|${dob}` });
    if (last.length > 1 && first.length > 1) keys.push({ kind: 'name-dob-loose', value: `${last[0]} ${first}|${dob}` });
  }
  return keys;
}

/** Decodes and checks the national matching key (base64, at least 32 bytes). */
export function matchingKeyFrom(base64: string | undefined): Buffer {
  if (!base64) throw new Error('NOM_MATCHING_KEY is required: the national matching key, base64 of at least 32 random bytes');
  const key = Buffer.from(base64, 'base64');
  if (key.length < 32 || key.toString('base64').replace(/=+$/, '') !== base64.trim().replace(/=+$/, '')) {
    throw new Error('NOM_MATCHING_KEY must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`)');
  }
  return key;
}

export interface IdentifierKey {
  readonly kind: MatchIdentifierKind;
  /** HMAC-SHA-256 of the normalised value: the only form the index holds. */
  readonly hash: Buffer;
}

export function identifierKeys(key: Buffer, identifiers: SuspectIdentifiers): IdentifierKey[] {
  return normalisedKeys(identifiers).map(({ kind, value }) => ({
    kind,
    hash: createHmac('sha256', key).update(`${kind}\u0000${value}`).digest(),
  }));
}

/** A national reference is definite; the full name with date of birth probable; the loose key alone possible. */
export function strengthOf(kinds: readonly MatchIdentifierKind[]): MatchStrength {
  if (kinds.includes('pnc-id') || kinds.includes('cro-number')) return 'definite';
  if (kinds.includes('name-dob')) return 'probable';
  return 'possible';
}
