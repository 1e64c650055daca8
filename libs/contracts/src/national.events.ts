import {
  enumSchema as enumOf,
  instantSchema as instant,
  listSchema as list,
  recordSchema as record,
  uuidSchema as uuid,
} from './json-schema.js';
import { catalogueOf, defineEvent, schemasOf, typesOf, type DataMap, type EventUnion } from './event-definition.js';
import { FORCE_CODES, type ForceCode } from './forces.js';

/**
 * Which normalised identifier produced equal keyed hashes (ADR 0015, precision highest first):
 *  - `pnc-id`, `cro-number`: the national references, unique to a person;
 *  - `name-dob`: the full normalised name and the date of birth;
 *  - `name-dob-loose`: first initial and surname, in either order, and the date of birth (catches "J. Smith",
 *    "SMITH, John"; also different people who share initial, surname and birthday).
 */
export const MATCH_IDENTIFIER_KINDS = ['pnc-id', 'cro-number', 'name-dob', 'name-dob-loose'] as const;
export type MatchIdentifierKind = (typeof MATCH_IDENTIFIER_KINDS)[number];

/** `definite`: a national reference matched; `probable`: full name and date of birth; `possible`: the loose key only. */
export const MATCH_STRENGTHS = ['definite', 'probable', 'possible'] as const;
export type MatchStrength = (typeof MATCH_STRENGTHS)[number];

const suspectRef = record({ force: enumOf(FORCE_CODES), suspectId: uuid, caseId: uuid });

/**
 * The national context: facts established by national services across forces, never by one force, each declared once
 * (ADR 0036). Today only the repeat-suspect index (ADR 0015): it holds no identity in clear, and tells each force
 * concerned that one of its suspects matches a suspect of another case. Each force gets its own copy of a match, on
 * a stream it owns, so that it reaches that force's topic and no other.
 */
const E = {
  RepeatSuspectMatched: defineEvent({
    type: 'uk.police.nom.national.repeat-suspect-matched.v1',
    context: 'national',
    summary:
      "The national repeat-suspect index matched this force's suspect to a suspect of another case (this or another force) by keyed hashes of normalised identifiers; one copy per force concerned, on that force's stream.",
    schema: record({
      /** The same for both forces' copies: derived from the two suspect ids. */
      matchId: uuid,
      /** The receiving force's own suspect (the stream's force). */
      suspect: suspectRef,
      /**
       * The suspect it matches, in another case of this or another force. Another force's ids are opaque: the
       * receiving force can quote them to that force (or the national team) and cannot read their streams.
       */
      matchedSuspect: suspectRef,
      matchedOn: list(enumOf(MATCH_IDENTIFIER_KINDS), 1),
      strength: enumOf(MATCH_STRENGTHS),
      matchedAt: instant,
    }),
    example: {
      matchId: '0d9c3b8e-7a61-4f2e-9b1c-5e4d3c2b1a09',
      suspect: { force: 'wiltshire', suspectId: '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f', caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60' },
      matchedSuspect: {
        force: 'avon-somerset',
        suspectId: '2c4e6a8b-1d3f-4a5c-9e7b-0f2d4c6a8e1b',
        caseId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
      },
      matchedOn: ['pnc-id', 'name-dob'],
      strength: 'definite',
      matchedAt: '2026-11-04T10:20:05Z',
    },
  }),
};

export const NationalEventTypes = typesOf(E);
export type NationalEventType = (typeof NationalEventTypes)[keyof typeof NationalEventTypes];
/** Each national event's data, by name (inferred from its schema). */
export type NationalEventData = DataMap<typeof E>;
export type RepeatSuspectMatchedData = NationalEventData['RepeatSuspectMatched'];
/** A suspect as the index knows it: opaque ids, no personal data. */
export type SuspectRef = RepeatSuspectMatchedData['suspect'];
export type NationalEvent = EventUnion<typeof E>;

export const nationalEventSchemas = schemasOf(E);
/** The national context's catalogue entries. */
export const NATIONAL_EVENTS = catalogueOf(E);

/** The stream a force's copy of a match is appended to: owned by that force, so published on its topic only. */
export function repeatSuspectMatchStreamId(force: ForceCode, matchId: string): string {
  return `repeat-suspect-match-${force}-${matchId}`;
}
