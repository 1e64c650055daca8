import { deterministicUuid } from '#contracts';
import type { Random } from './random.js';

/** Identifiers as a force records them for one suspect (each may be missing or written differently). */
export interface RecordedIdentifiers {
  readonly name: string;
  readonly dateOfBirth?: string;
  readonly pncId?: string;
  readonly croNumber?: string;
}

/** A person's CRO number, derived from their id (no draw from the plan's random stream): `serial/yyC`. */
export function croNumberOf(personId: string): string {
  const hex = deterministicUuid('cro', personId).replaceAll('-', '');
  const serial = (parseInt(hex.slice(0, 8), 16) % 999_999) + 1;
  const year = parseInt(hex.slice(8, 10), 16) % 100;
  return `${serial}/${String(year).padStart(2, '0')}${String.fromCharCode(65 + (parseInt(hex.slice(10, 12), 16) % 26))}`;
}

/**
 * How often each variation happens, per suspect record (ADR 0015). Modest on purpose: forces mostly record the
 * same person the same way; these are the inconsistencies the national index must live with. Every variant
 * still passes the catalogue's schema (a PNC ID with a zero-padded serial is valid; a lower-case one is not).
 */
export const IDENTIFIER_VARIATION = {
  /** PNC ID not known when the suspect is identified. */
  pncMissing: 0.2,
  /** PNC serial written zero-padded to 7 digits (`12/0345678A`). */
  pncZeroPadded: 0.15,
  /** A CRO number is recorded (many suspects have none, or it is not looked up). */
  croPresent: 0.35,
  /** CRO serial written zero-padded to 6 digits. */
  croZeroPadded: 0.2,
  dateOfBirthMissing: 0.05,
  /** Surname in capitals (`Alex SMITH`). */
  surnameUpperCase: 0.15,
  /** Surname first, comma (`Smith, Alex`). */
  surnameFirst: 0.08,
  /** First name as an initial (`A. Smith`). */
  firstInitialOnly: 0.08,
  /** Stray whitespace. */
  extraWhitespace: 0.08,
  /** An accent added (`Jérdan`): keyboards, transliteration. */
  accent: 0.04,
  /** One letter of the surname mistyped. */
  surnameTypo: 0.05,
} as const;

function mistype(word: string, random: Random): string {
  const at = random.int(1, word.length - 1);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let replacement = random.pick([...letters]);
  if (replacement === word[at]!.toLowerCase()) replacement = replacement === 'z' ? 'a' : String.fromCharCode(replacement.charCodeAt(0) + 1);
  return word.slice(0, at) + replacement + word.slice(at + 1);
}

/**
 * The identifiers one force records for a person, varied by its own seeded stream (so the plan's other draws
 * are the same with or without variation).
 */
export function vary(
  person: { readonly personId: string; readonly name: string; readonly dateOfBirth: string; readonly pncId: string },
  random: Random,
): RecordedIdentifiers {
  const v = IDENTIFIER_VARIATION;
  const [first, last] = person.name.split(' ') as [string, string];
  let surname = random.chance(v.surnameTypo) ? mistype(last, random) : last;
  if (random.chance(v.surnameUpperCase)) surname = surname.toUpperCase();
  let given = random.chance(v.firstInitialOnly) ? `${first[0]}.` : first;
  if (random.chance(v.accent)) given = given.replace(/[aeo]/, (c) => ({ a: 'á', e: 'é', o: 'ö' })[c]!);
  let name = random.chance(v.surnameFirst) ? `${surname}, ${given}` : `${given} ${surname}`;
  if (random.chance(v.extraWhitespace)) name = ` ${name.replace(' ', '  ')}`;

  let pncId: string | undefined;
  if (!random.chance(v.pncMissing)) {
    const [year, rest] = person.pncId.split('/') as [string, string];
    pncId = random.chance(v.pncZeroPadded) ? `${year}/${rest.slice(0, -1).padStart(7, '0')}${rest.slice(-1)}` : person.pncId;
  }
  let croNumber: string | undefined;
  if (random.chance(v.croPresent)) {
    const cro = croNumberOf(person.personId);
    const [serial, rest] = cro.split('/') as [string, string];
    croNumber = random.chance(v.croZeroPadded) ? `${serial.padStart(6, '0')}/${rest}` : cro;
  }
  const dateOfBirth = random.chance(v.dateOfBirthMissing) ? undefined : person.dateOfBirth;
  return { name, ...(dateOfBirth ? { dateOfBirth } : {}), ...(pncId ? { pncId } : {}), ...(croNumber ? { croNumber } : {}) };
}
