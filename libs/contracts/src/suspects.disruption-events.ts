import { defineEvent } from './event-definition.js';
import {
  enumSchema as enumOf,
  instantSchema as instant,
  listSchema as list,
  textSchema as text,
  uuidSchema as uuid,
} from './json-schema.js';
import { context, ids, onSuspect, orderId } from './suspects.event-parts.js';
import { BREACH_RESPONSES, CIVIL_ORDERS, DISRUPTION_OPTIONS } from './suspects.vocabulary.js';

const reviewId = 'e4a5b6c7-8d9e-4f0a-9b1c-2d3e4f5a6b7c';

/**
 * From a repeat-suspect match to a disruption decision, and breaches of the orders granted (issue 13;
 * docs/disruption.md): a supervisor reviews the flagged suspect, the review ends in a recorded decision (the tactics
 * chosen, or the reason for none), and a breach of a court order in force is recorded with the police response.
 */
export const DISRUPTION_EVENTS = {
  RepeatSuspectFlagReviewed: defineEvent({
    type: 'uk.police.nom.suspects.repeat-suspect-flag-reviewed.v1',
    context,
    summary: 'A supervisor reviewed the flagged repeat suspect (the risk they pose, what is known of the linked cases).',
    schema: onSuspect({
      reviewId: uuid,
      /** Personal free text: the risk the supervisor sees. */
      summary: text(4000),
      reviewedAt: instant,
    }),
    personalFields: ['/summary'],
    example: {
      ...ids,
      reviewId,
      summary: 'Third report against him in two forces; escalating contact with the victim since the arrest.',
      reviewedAt: '2026-11-06T10:00:00Z',
    },
  }),
  DisruptionDecisionRecorded: defineEvent({
    type: 'uk.police.nom.suspects.disruption-decision-recorded.v1',
    context,
    summary: 'The review of a repeat suspect ended in a decision: the disruption tactics chosen, or the reason for none.',
    schema: onSuspect(
      {
        reviewId: uuid,
        /** Police actions and court orders chosen; empty when none is (then `reason` says why). */
        tactics: list(enumOf(DISRUPTION_OPTIONS)),
        /** Personal free text: why these tactics, or why none. */
        reason: text(2000),
        decidedAt: instant,
      },
      ['reason'],
    ),
    personalFields: ['/reason'],
    example: {
      ...ids,
      reviewId,
      tactics: ['stalking-protection-order', 'mappa-referral'],
      reason: 'Repeated unwanted contact since the arrest; already known to probation.',
      decidedAt: '2026-11-06T11:00:00Z',
    },
  }),
  CivilOrderBreached: defineEvent({
    type: 'uk.police.nom.suspects.civil-order-breached.v1',
    context,
    summary: 'A court order in force against the suspect was breached (an offence), and how the police responded.',
    schema: onSuspect(
      {
        breachId: uuid,
        orderId: uuid,
        order: enumOf(CIVIL_ORDERS),
        /** When the breach happened. */
        breachedAt: instant,
        response: enumOf(BREACH_RESPONSES),
        /** Personal free text. */
        detail: text(2000),
        recordedAt: instant,
      },
      ['detail'],
    ),
    personalFields: ['/detail'],
    example: {
      ...ids,
      breachId: 'f5b6c7d8-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
      orderId,
      order: 'sexual-risk-order',
      breachedAt: '2027-01-20T21:00:00Z',
      response: 'arrested',
      detail: 'Seen outside the victim’s workplace, which the order forbids.',
      recordedAt: '2027-01-21T08:00:00Z',
    },
  }),
};
