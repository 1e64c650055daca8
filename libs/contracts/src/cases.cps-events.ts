import {
  dateSchema as day,
  enumSchema as enumOf,
  instantSchema as instant,
  listSchema as list,
  recordSchema as record,
  uuidSchema as uuid,
} from './json-schema.js';
import { defineEvent } from './event-definition.js';
import { CPS_REFERENCE_PATTERN } from './suspects.vocabulary.js';
import { CHARGING_DECISIONS, OFFENCE_CODES } from './cases.vocabulary.js';
import {
  ADMINISTRATIVE_FINALISATION_REASONS,
  CHARGING_TESTS,
  CPS_ACTION_CATEGORIES,
  MAX_CPS_ACTIONS,
  THRESHOLD_TEST_CONDITIONS,
} from './cases.cps-vocabulary.js';

const context = 'cases';
const cpsReference = { type: 'string', pattern: CPS_REFERENCE_PATTERN } as const;
const offenceCode = { type: 'string', enum: [...OFFENCE_CODES] } as const;
/** One action of a CPS action plan: what kind of work, and the day by which the police are to complete it. */
const action = record({ actionId: uuid, category: enumOf(CPS_ACTION_CATEGORIES), dueBy: day });
const actionPlan = (minItems: number) => ({ ...list(action, minItems), maxItems: MAX_CPS_ACTIONS });

function onCase<const P extends Record<string, object>, const O extends keyof P & string = never>(
  properties: P,
  optional: readonly O[] = [],
) {
  return record({ caseId: uuid, ...properties }, optional);
}

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const suspectId = '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f';
const adviceRequestId = '7e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const actionId = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';

/**
 * Lifecycle step 6, the CPS part of a case (issue 13; the Director's Guidance on Charging, 6th edition, and the
 * National File Standard: docs/cps-rules.md): early investigative advice asked for and given with an action plan,
 * each action completed or overdue; a charging file submitted for named suspects; a decision per suspect with the
 * test applied; the file finalised administratively. Spread into the cases context's events (cases.events.ts).
 */
export const CPS_EVENTS = {
  CpsEarlyAdviceRequested: defineEvent({
    type: 'uk.police.nom.cases.cps-early-advice-requested.v1',
    context,
    summary: 'Early investigative advice was requested from the CPS (advice, not a referral for a charging decision).',
    schema: onCase(
      {
        requestedAt: instant,
        /** Identifies the request, so that the advice names it. Optional, added in a catalogue minor version. */
        adviceRequestId: uuid,
      },
      ['adviceRequestId'],
    ),
    example: { caseId, requestedAt: '2026-12-01T10:00:00Z', adviceRequestId },
  }),
  CpsEarlyAdviceGiven: defineEvent({
    type: 'uk.police.nom.cases.cps-early-advice-given.v1',
    context,
    summary: "The CPS gave its early investigative advice on a request, with an action plan: each action's kind and due day.",
    schema: onCase(
      {
        adviceRequestId: uuid,
        /** The CPS case reference (URN), when the CPS has opened one. */
        cpsReference,
        /** The action plan; may be empty (advice without actions). Categories and days only: no free text. */
        actionPlan: actionPlan(0),
        advisedAt: instant,
      },
      ['cpsReference'],
    ),
    example: {
      caseId,
      adviceRequestId,
      cpsReference: '52AS0421126',
      actionPlan: [{ actionId, category: 'digital-material', dueBy: '2027-01-15' }],
      advisedAt: '2026-12-08T10:00:00Z',
    },
  }),
  CpsActionCompleted: defineEvent({
    type: 'uk.police.nom.cases.cps-action-completed.v1',
    context,
    summary: 'The police completed an action of a CPS action plan.',
    schema: onCase({ actionId: uuid, completedAt: instant }),
    example: { caseId, actionId, completedAt: '2027-01-10T16:00:00Z' },
  }),
  CpsActionOverdue: defineEvent({
    type: 'uk.police.nom.cases.cps-action-overdue.v1',
    context,
    summary: 'An action of a CPS action plan passed its due day still open (recorded once, by the action timer).',
    schema: onCase({
      actionId: uuid,
      dueBy: day,
      /** The end of the due day, UK time. */
      overdueAt: instant,
      /** When the timer noticed. */
      detectedAt: instant,
    }),
    example: { caseId, actionId, dueBy: '2027-01-15', overdueAt: '2027-01-15T23:59:59.999Z', detectedAt: '2027-01-16T00:01:00Z' },
  }),
  ChargingFileSubmitted: defineEvent({
    type: 'uk.police.nom.cases.charging-file-submitted.v1',
    context,
    summary: "A charging file was submitted to the CPS for a charging decision on named suspects (Director's Guidance on Charging).",
    schema: onCase(
      {
        /** The CPS case reference (URN). */
        cpsReference,
        submittedAt: instant,
        /**
         * The suspects of the case the file asks a decision on. Optional, added in a catalogue minor version: a file
         * without it was for every suspect linked to the case when it was submitted.
         */
        suspectIds: list(uuid, 1),
        /** The Home Office offence code of the case's crime, when the case carries one. Optional, as suspectIds. */
        offenceCode,
      },
      ['suspectIds', 'offenceCode'],
    ),
    example: { caseId, cpsReference: '52AS0421126', submittedAt: '2027-02-10T10:00:00Z', suspectIds: [suspectId], offenceCode: '19C' },
  }),
  ChargingDecisionMade: defineEvent({
    type: 'uk.police.nom.cases.charging-decision-made.v1',
    context,
    summary:
      'The CPS made a charging decision on a whole file (case level, without the test applied): charge, no further action, further investigation requested or an out-of-court disposal. Per suspect: suspect-charging-decision-made.',
    schema: onCase({ cpsReference, decision: enumOf(CHARGING_DECISIONS), decidedAt: instant }),
    example: { caseId, cpsReference: '52AS0421126', decision: 'charge', decidedAt: '2027-03-01T15:00:00Z' },
  }),
  SuspectChargingDecisionMade: defineEvent({
    type: 'uk.police.nom.cases.suspect-charging-decision-made.v1',
    context,
    summary:
      'The CPS decided on one suspect of a charging file, with the test applied (Full Code or Threshold): charge, no further action, further investigation requested (with an action plan) or an out-of-court disposal.',
    schema: onCase(
      {
        suspectId: uuid,
        cpsReference,
        /** The Home Office offence code the file was for, when the case carries one. */
        offenceCode,
        test: enumOf(CHARGING_TESTS),
        /** `alternative-disposal` is an out-of-court disposal (a caution or conditional caution). */
        decision: enumOf(CHARGING_DECISIONS),
        /** The Threshold Test's conditions, every one met: only with the Threshold Test. */
        thresholdConditions: list(enumOf(THRESHOLD_TEST_CONDITIONS), THRESHOLD_TEST_CONDITIONS.length),
        /** The day by which the Full Code Test is to be applied: only with the Threshold Test. */
        fullCodeReviewBy: day,
        /** What the police are to do: with further investigation requested, and after a Threshold Test charge. */
        actionPlan: actionPlan(1),
        /** When the file this decision answers was submitted (the CPS timeliness measure counts from it). */
        fileSubmittedAt: instant,
        decidedAt: instant,
      },
      ['offenceCode', 'thresholdConditions', 'fullCodeReviewBy', 'actionPlan'],
    ),
    example: {
      caseId,
      suspectId,
      cpsReference: '52AS0421126',
      offenceCode: '19C',
      test: 'full-code',
      decision: 'charge',
      fileSubmittedAt: '2027-02-10T10:00:00Z',
      decidedAt: '2027-03-01T15:00:00Z',
    },
  }),
  ChargingFileAdministrativelyFinalised: defineEvent({
    type: 'uk.police.nom.cases.charging-file-administratively-finalised.v1',
    context,
    summary:
      'The CPS closed a charging file administratively (not a prosecution decision), e.g. its action plan not answered in time; the file may be submitted again.',
    schema: onCase({
      cpsReference,
      /** The suspects whose file was open (awaiting a decision or the police's answer to an action plan). */
      suspectIds: list(uuid, 1),
      reason: enumOf(ADMINISTRATIVE_FINALISATION_REASONS),
      finalisedAt: instant,
    }),
    example: {
      caseId,
      cpsReference: '52AS0421126',
      suspectIds: [suspectId],
      reason: 'action-plan-not-answered',
      finalisedAt: '2027-06-01T10:00:00Z',
    },
  }),
};
