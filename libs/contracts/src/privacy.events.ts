import { catalogueOf, defineEvent, schemasOf, typesOf, type DataMap, type EventUnion } from './event-definition.js';
import { enumSchema, instantSchema, listSchema, officerIdSchema, recordSchema, textSchema, uuidSchema } from './json-schema.js';

export const ERASURE_SUBJECT_TYPES = ['victim', 'suspect', 'officer'] as const;
export type ErasureSubjectType = (typeof ERASURE_SUBJECT_TYPES)[number];

/**
 * The lawful ground of an erasure:
 *  - `dpa-s47-erasure`: the data subject's right to erasure (DPA 2018 s47(3));
 *  - `unlawful-processing`: the processing infringed the data protection principles (s47(1));
 *  - `legal-obligation`: erasure required to comply with a legal obligation (s47(2));
 *  - `retention-period-expired`: the MoPI review found no policing purpose to keep the data (s39 storage limitation);
 *  - `court-order`: a court ordered the data erased.
 */
export const ERASURE_REASONS = [
  'dpa-s47-erasure',
  'unlawful-processing',
  'legal-obligation',
  'retention-period-expired',
  'court-order',
] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

const nullable = <const S extends object>(schema: S) => ({ anyOf: [schema, { type: 'null' }] }) as const;

/** Data protection (DPA 2018 Part 3): facts about the processing of personal data itself, each declared once (ADR 0036). */
const E = {
  SubjectErased: defineEvent({
    type: 'uk.police.nom.privacy.subject-erased.v1',
    context: 'privacy',
    summary:
      "A data subject's personal data was erased by destroying its data keys: every copy of the subject's encrypted fields, in the log, on Kafka and held by integrators, is unreadable; integrators must delete any clear copies they made.",
    schema: recordSchema({
      erasureId: uuidSchema,
      subjectType: enumSchema(ERASURE_SUBJECT_TYPES),
      /** The victim or suspect id (a UUID), or the officer id (a collar/warrant reference, never a name). */
      subjectId: { type: 'string', pattern: '^[A-Za-z0-9-]{2,64}$' },
      /** The case the victim or suspect belongs to; null for an officer. */
      caseId: nullable(uuidSchema),
      /** Key ids (stream ids) whose data keys were destroyed: every personal field of those streams is gone. */
      keysDestroyed: listSchema({ type: 'string', pattern: '^[a-z]+(-[A-Za-z0-9-]+)+$', maxLength: 200 }, 1),
      reason: enumSchema(ERASURE_REASONS),
      /** The force's own reference for the decision (e.g. its data protection case number). */
      reference: nullable(textSchema(100)),
      erasedBy: officerIdSchema,
      erasedAt: instantSchema,
    }),
    example: {
      erasureId: '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
      subjectType: 'victim',
      subjectId: '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e',
      caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60',
      keysDestroyed: ['victim-9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e', 'case-3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60'],
      reason: 'dpa-s47-erasure',
      reference: 'AS-DP-2027-0142',
      erasedBy: 'AS-ADM7',
      erasedAt: '2027-02-01T10:00:00Z',
    },
  }),
};

export const PrivacyEventTypes = typesOf(E);
/** Each privacy event's data, by name (inferred from its schema). */
export type PrivacyEventData = DataMap<typeof E>;
export type SubjectErasedData = PrivacyEventData['SubjectErased'];
export type PrivacyEvent = EventUnion<typeof E>;
export const privacyEventSchemas = schemasOf(E);
export const PRIVACY_EVENTS = catalogueOf(E);
