import { dateSchema as day, enumSchema as enumOf, instantSchema as instant } from './json-schema.js';
import { defineEvent } from './event-definition.js';
import { authoriser, context, ids, onSuspect } from './suspects.event-parts.js';
import { BAIL_CANCELLATION_REASONS } from './suspects.vocabulary.js';

/**
 * How pre-charge bail ends other than by charge or no further action, and the reminders around it (issue 13; PACE
 * ss47ZA-47ZM as amended by the Police, Crime, Sentencing and Courts Act 2022, docs/bail-rules.md): bail cancelled by
 * the police, bail lapsed at the end of its period without an extension (the suspect is then under investigation
 * without bail), the reminder that bail is about to end, and the periodic review of a release under investigation.
 */
export const BAIL_LIFECYCLE_EVENTS = {
  BailCancelled: defineEvent({
    type: 'uk.police.nom.suspects.bail-cancelled.v1',
    context,
    summary: 'Pre-charge bail was cancelled before its end: the suspect is under investigation without bail.',
    schema: onSuspect({
      /** The last day of bail as it stood. */
      previousEndsOn: day,
      grounds: enumOf(BAIL_CANCELLATION_REASONS),
      authorisedBy: authoriser,
      cancelledAt: instant,
    }),
    example: {
      ...ids,
      previousEndsOn: '2027-02-05',
      grounds: 'no-longer-necessary-and-proportionate',
      authorisedBy: { officerId: 'AS-2210', rank: 'inspector' },
      cancelledAt: '2027-01-10T09:00:00Z',
    },
  }),
  BailLapsed: defineEvent({
    type: 'uk.police.nom.suspects.bail-lapsed.v1',
    context,
    summary: 'Pre-charge bail reached the end of its period with no extension: the suspect is under investigation without bail.',
    schema: onSuspect({
      bailEndsOn: day,
      /** When bail ended: the end of its last day, UK time. */
      lapsedAt: instant,
      /** When the lapse was recorded (the bail timer's check). */
      detectedAt: instant,
    }),
    example: { ...ids, bailEndsOn: '2027-02-05', lapsedAt: '2027-02-05T23:59:59.999Z', detectedAt: '2027-02-06T00:01:00Z' },
  }),
  BailExpiryApproaching: defineEvent({
    type: 'uk.police.nom.suspects.bail-expiry-approaching.v1',
    context,
    summary: 'Pre-charge bail ends soon: extend it (with the rank the law requires), charge, release or let it lapse.',
    schema: onSuspect({ bailEndsOn: day, daysLeft: { type: 'integer', minimum: 0, maximum: 366 }, noticedAt: instant }),
    example: { ...ids, bailEndsOn: '2027-02-05', daysLeft: 14, noticedAt: '2027-01-22T00:01:00Z' },
  }),
  ReleaseUnderInvestigationReviewed: defineEvent({
    type: 'uk.police.nom.suspects.release-under-investigation-reviewed.v1',
    context,
    summary: 'A release under investigation was reviewed by a supervisor, who set the date of the next review.',
    schema: onSuspect({ reviewedBy: authoriser, nextReviewBy: day, reviewedAt: instant }),
    example: {
      ...ids,
      reviewedBy: { officerId: 'AS-2210', rank: 'inspector' },
      nextReviewBy: '2027-04-10',
      reviewedAt: '2027-01-10T09:00:00Z',
    },
  }),
  ReleaseUnderInvestigationReviewOverdue: defineEvent({
    type: 'uk.police.nom.suspects.release-under-investigation-review-overdue.v1',
    context,
    summary:
      'A release under investigation passed the date its review was due by with no review recorded (the bail timer): once per due date.',
    schema: onSuspect({
      /** The last day the review was due on: 90 days after the release, or the date the last review set. */
      reviewDueBy: day,
      /** When the timer noticed. */
      detectedAt: instant,
    }),
    example: { ...ids, reviewDueBy: '2027-04-10', detectedAt: '2027-04-11T00:01:00Z' },
  }),
};
