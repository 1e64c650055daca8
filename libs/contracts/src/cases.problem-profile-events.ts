import {
  dateSchema as day,
  enumSchema as enumOf,
  instantSchema as instant,
  recordSchema as record,
  uuidSchema as uuid,
} from './json-schema.js';
import { defineEvent } from './event-definition.js';
import { AGE_BANDS, DOMESTIC_ABUSE_FLAGS, RELATIONSHIPS_TO_SUSPECT } from './cases.profile-vocabulary.js';

/**
 * The facts of a case a force's problem profile counts (issue 13; docs/digital-material.md, "Problem profile"):
 * special-category and personal data, every field declared personal, read only to be aggregated (counts with small
 * ones suppressed), never listed case by case.
 */
export const PROBLEM_PROFILE_EVENTS = {
  ProblemProfileRecorded: defineEvent({
    type: 'uk.police.nom.cases.problem-profile-recorded.v1',
    context: 'cases',
    summary:
      "The case's problem-profile facts were recorded or corrected (the latest stands): offence date, relationship to the suspect, domestic-abuse flag, victim's and suspect's age bands.",
    schema: record({
      caseId: uuid,
      /** Personal: the day of the offence (the first day, for offending over a period); never after the report. */
      offenceDate: day,
      /** Personal, special category: the victim's relationship to the suspect. */
      relationshipToSuspect: enumOf(RELATIONSHIPS_TO_SUSPECT),
      /** Personal, special category: whether the case is flagged as domestic abuse. */
      domesticAbuse: enumOf(DOMESTIC_ABUSE_FLAGS),
      /** Personal: the victim's age at the offence, as a band (never a date of birth). */
      victimAgeBand: enumOf(AGE_BANDS),
      /** Personal: the suspect's age at the offence, as a band (`not-known` while no suspect is identified). */
      suspectAgeBand: enumOf(AGE_BANDS),
      recordedAt: instant,
    }),
    personalFields: ['/offenceDate', '/relationshipToSuspect', '/domesticAbuse', '/victimAgeBand', '/suspectAgeBand'],
    example: {
      caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60',
      offenceDate: '2026-11-01',
      relationshipToSuspect: 'friend-or-acquaintance',
      domesticAbuse: 'not-flagged',
      victimAgeBand: '18-24',
      suspectAgeBand: '25-34',
      recordedAt: '2026-11-03T10:00:00Z',
    },
  }),
};
