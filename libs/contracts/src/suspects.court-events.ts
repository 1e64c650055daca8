import {
  dateSchema as day,
  enumSchema as enumOf,
  instantSchema as instant,
  recordSchema as record,
  textSchema as text,
} from './json-schema.js';
import { defineEvent } from './event-definition.js';
import { OFFENCE_GROUPS } from './cases.vocabulary.js';
import { context, ids, onSuspect } from './suspects.event-parts.js';
import { COURT_KINDS, DISCONTINUANCE_GROUNDS, DISCONTINUANCE_METHODS, VERDICTS } from './evidence-court.vocabulary.js';

/**
 * A charged suspect's case at court (issue 13, docs/evidence-and-court.md), on the suspect's stream and only after
 * the charge: the first hearing, the trial listed and started, the verdict on each count of the indictment, or the
 * prosecution stopped by the CPS. The court is named (an institution, not a person).
 */
const court = text(200);

export const COURT_EVENTS = {
  FirstHearingHeld: defineEvent({
    type: 'uk.police.nom.suspects.first-hearing-held.v1',
    context,
    summary: "The charged suspect's first court hearing was held (a rape is sent from the magistrates' to the Crown Court).",
    schema: onSuspect({
      court,
      courtKind: enumOf(COURT_KINDS),
      /** Sent to the Crown Court for trial (Crime and Disorder Act 1998 s51: an indictable-only offence always is). */
      sentToCrownCourt: { type: 'boolean' },
      heldAt: instant,
    }),
    example: {
      ...ids,
      court: "Bristol Magistrates' Court",
      courtKind: 'magistrates',
      sentToCrownCourt: true,
      heldAt: '2027-03-03T10:00:00Z',
    },
  }),
  TrialListed: defineEvent({
    type: 'uk.police.nom.suspects.trial-listed.v1',
    context,
    summary: 'A trial of the charged suspect was listed (or re-listed, or a retrial listed after a hung jury) for a date.',
    schema: onSuspect({ court, trialDate: day, listedAt: instant }),
    example: { ...ids, court: 'Bristol Crown Court', trialDate: '2027-10-04', listedAt: '2027-03-31T12:00:00Z' },
  }),
  TrialStarted: defineEvent({
    type: 'uk.police.nom.suspects.trial-started.v1',
    context,
    summary: "The listed trial started (the jury sworn, or the magistrates' court began hearing the prosecution's evidence).",
    schema: onSuspect({ court, startedAt: instant }),
    example: { ...ids, court: 'Bristol Crown Court', startedAt: '2027-10-04T10:30:00Z' },
  }),
  VerdictRecorded: defineEvent({
    type: 'uk.police.nom.suspects.verdict-recorded.v1',
    context,
    summary: 'The result of each count decided: a guilty plea, convicted, acquitted, or a hung jury (no verdict).',
    schema: onSuspect({
      results: {
        type: 'array',
        minItems: 1,
        maxItems: 99,
        items: record({
          /** The count of the indictment (the charge's number). */
          count: { type: 'integer', minimum: 1, maximum: 99 },
          offence: enumOf(OFFENCE_GROUPS),
          verdict: enumOf(VERDICTS),
        }),
      },
      recordedAt: instant,
    }),
    example: {
      ...ids,
      results: [
        { count: 1, offence: 'rape-of-female-16-plus', verdict: 'convicted' },
        { count: 2, offence: 'sexual-assault', verdict: 'acquitted' },
      ],
      recordedAt: '2027-10-12T15:00:00Z',
    },
  }),
  ProsecutionDiscontinued: defineEvent({
    type: 'uk.police.nom.suspects.prosecution-discontinued.v1',
    context,
    summary: 'The CPS stopped the prosecution of the charged suspect (a notice of discontinuance, or no evidence offered).',
    schema: onSuspect({ method: enumOf(DISCONTINUANCE_METHODS), grounds: enumOf(DISCONTINUANCE_GROUNDS), discontinuedAt: instant }),
    example: { ...ids, method: 'pos-1985-s23a-notice', grounds: 'evidential', discontinuedAt: '2027-06-15T09:00:00Z' },
  }),
};
