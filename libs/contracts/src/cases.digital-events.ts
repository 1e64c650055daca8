import {
  dateSchema as day,
  enumSchema as enumOf,
  instantSchema as instant,
  listSchema as list,
  recordSchema as record,
  textSchema as text,
  uuidSchema as uuid,
} from './json-schema.js';
import { defineEvent } from './event-definition.js';
import { DEVICE_DATA_CATEGORIES, DEVICE_OWNER_ROLES, THIRD_PARTY_HOLDERS } from './cases.vocabulary.js';
import { THIRD_PARTY_OUTCOMES } from './cases.profile-vocabulary.js';

function onCase<const P extends Record<string, object>, const O extends keyof P & string = never>(
  properties: P,
  optional: readonly O[] = [],
) {
  return record({ caseId: uuid, ...properties }, optional);
}

/** A statement the record makes only when it was made: `true` or absent (on events older than the field). */
const yes = { type: 'boolean', enum: [true] } as const;
const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const extractionId = '6d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a';
const requestId = 'b4c5d6e7-f8a9-4b0c-9d1e-2f3a4b5c6d7e';
const context = 'cases';

/**
 * Digital material of a case (NOM pillar 6; issue 13; docs/digital-material.md): a device's extraction under
 * ss37-44 of the Police, Crime, Sentencing and Courts Act 2022 and its code of practice, from the written notice to
 * the device's return, and third-party material under the CPIA 1996 code, the Attorney General's Guidelines on
 * Disclosure (2022) and PCSC Act 2022 ss44A-44H (victim information requests, in force since 12 January 2026).
 * v2 of a request adds personal fields to v1 (the notice's retention and deletion, the necessity's reason): a change
 * the compatibility check (ADR 0034) counts as breaking, so v1 stays as published and is upcast to v2 on read
 * (cases.digital-upcasters.ts), its new fields absent; the deciders require them of every new command.
 */
export const DIGITAL_MATERIAL_EVENTS = {
  DeviceExtractionRequested: defineEvent({
    type: 'uk.police.nom.cases.device-extraction-requested.v2',
    context,
    summary:
      'Extraction of data from a device was requested, with the scope and the written notice to its user (PCSC Act 2022 s39(3)): what is sought and why, how the data is kept and deleted, that they may refuse and that a refusal alone does not end the investigation. Replaces device-extraction-requested.v1.',
    schema: onCase({
      extractionId: uuid,
      deviceOwner: enumOf(DEVICE_OWNER_ROLES),
      scope: record({
        /** First and last day (ISO dates) of the data sought: no more than is necessary and proportionate. */
        from: day,
        to: day,
        dataCategories: list(enumOf(DEVICE_DATA_CATEGORIES), 1),
      }),
      /** The written notice given to the device user (PCSC Act 2022 s39(3); the optional parts are absent on upcast v1 events). */
      notice: record(
        {
          /** Personal free text: what is sought from the device, as written to its user (s39(3)(a)). */
          whatIsSought: text(2000),
          /** Personal free text: why it is sought (s39(3)(b)). */
          why: text(2000),
          /** Personal free text: how long the extracted data will be kept, and why that long (s39(3)(c)). */
          retention: text(2000),
          /** Personal free text: how the data will be deleted, and what happens to data that is not relevant (s39(3)(c)). */
          deletion: text(2000),
          /** The notice says the user may refuse to provide the device or to agree to the extraction (s39(3)(d)). */
          mayRefuse: yes,
          /** The notice says the investigation will not end merely because the user refuses (s39(3)(e)). */
          refusalDoesNotEndInvestigation: yes,
        },
        ['retention', 'deletion', 'mayRefuse', 'refusalDoesNotEndInvestigation'],
      ),
      requestedAt: instant,
    }),
    personalFields: ['/notice/whatIsSought', '/notice/why', '/notice/retention', '/notice/deletion'],
    example: {
      caseId,
      extractionId,
      deviceOwner: 'victim',
      scope: { from: '2026-10-30', to: '2026-11-02', dataCategories: ['messages'] },
      notice: {
        whatIsSought: 'Messages exchanged with the suspect between 30 October and 2 November 2026.',
        why: 'They may show the arrangements made on the evening of the offence.',
        retention: 'Kept while the case is investigated and prosecuted, then as the CPIA code requires.',
        deletion: 'Data outside the scope is not reviewed and is deleted once the extraction is complete.',
        mayRefuse: true,
        refusalDoesNotEndInvestigation: true,
      },
      requestedAt: '2026-11-04T12:00:00Z',
    },
  }),
  DeviceExtractionAgreed: defineEvent({
    type: 'uk.police.nom.cases.device-extraction-agreed.v1',
    context,
    summary: 'The device user gave informed agreement to the extraction.',
    schema: onCase({ extractionId: uuid, agreedAt: instant }),
    example: { caseId, extractionId, agreedAt: '2026-11-05T10:00:00Z' },
  }),
  DeviceExtractionRefused: defineEvent({
    type: 'uk.police.nom.cases.device-extraction-refused.v1',
    context,
    summary: 'The device user refused the extraction; the investigation continues (a refusal never closes a case).',
    schema: onCase({ extractionId: uuid, refusedAt: instant }),
    example: { caseId, extractionId, refusedAt: '2026-11-05T10:00:00Z' },
  }),
  DeviceExtractionAgreementWithdrawn: defineEvent({
    type: 'uk.police.nom.cases.device-extraction-agreement-withdrawn.v1',
    context,
    summary:
      'The device user withdrew their agreement before the extraction was completed: the extraction stops and the device is to be returned; the investigation continues.',
    schema: onCase({ extractionId: uuid, withdrawnAt: instant }),
    example: { caseId, extractionId, withdrawnAt: '2026-11-05T15:00:00Z' },
  }),
  DeviceExtractionCompleted: defineEvent({
    type: 'uk.police.nom.cases.device-extraction-completed.v1',
    context,
    summary: 'The extraction was completed within its scope.',
    schema: onCase({ extractionId: uuid, completedAt: instant }),
    example: { caseId, extractionId, completedAt: '2026-11-06T16:00:00Z' },
  }),
  DeviceReturned: defineEvent({
    type: 'uk.police.nom.cases.device-returned.v1',
    context,
    summary: 'The device was returned to its user, with how long it was held (absent on events before issue 13).',
    schema: onCase(
      {
        extractionId: uuid,
        returnedAt: instant,
        /** Since when the device was held: its user's agreement (a suspect's device: the extraction's request). */
        heldSince: instant,
        /** Whole days from `heldSince` to `returnedAt`. */
        retentionDays: { type: 'integer', minimum: 0 },
      },
      ['heldSince', 'retentionDays'],
    ),
    example: { caseId, extractionId, returnedAt: '2026-11-07T09:00:00Z', heldSince: '2026-11-05T10:00:00Z', retentionDays: 1 },
  }),
  ThirdPartyMaterialRequested: defineEvent({
    type: 'uk.police.nom.cases.third-party-material-requested.v2',
    context,
    summary:
      'Material held by a third party (health, social services, education, counselling) was requested, with why it is necessary and when the victim was told; the holder category is sensitive. Replaces third-party-material-requested.v1.',
    schema: onCase(
      {
        requestId: uuid,
        /** Sensitive: the holder's kind reveals e.g. health or counselling records of the victim. */
        holder: enumOf(THIRD_PARTY_HOLDERS),
        requestedAt: instant,
        /** Why the request may be made (PCSC Act 2022 s44A(3)-(4); CPIA code para 3.5; AG's Guidelines 2022). */
        necessity: record(
          {
            /** The material is relevant to a reasonable line of enquiry (s44A(3)(b)). */
            reasonableLineOfEnquiry: yes,
            /** The request is necessary and proportionate (s44A(3)(c)). */
            necessaryAndProportionate: yes,
            /** A counselling request: the material is likely to have substantial probative value (s44A(4)). */
            substantialProbativeValue: yes,
            /** Personal free text: the reason, as recorded by the officer. */
            reason: text(2000),
          },
          ['substantialProbativeValue'],
        ),
        /** When the victim was told of the request (s44B: on or before the day of the request). */
        victimToldAt: instant,
      },
      ['necessity', 'victimToldAt'],
    ),
    personalFields: ['/holder', '/necessity/reason'],
    example: {
      caseId,
      requestId,
      holder: 'counselling',
      requestedAt: '2026-11-12T10:00:00Z',
      necessity: {
        reasonableLineOfEnquiry: true,
        necessaryAndProportionate: true,
        substantialProbativeValue: true,
        reason: 'The victim told the counsellor of the events the day after; the notes may record a first account.',
      },
      victimToldAt: '2026-11-11T16:00:00Z',
    },
  }),
  ThirdPartyMaterialOutcomeRecorded: defineEvent({
    type: 'uk.police.nom.cases.third-party-material-outcome-recorded.v1',
    context,
    summary: 'The holder of requested third-party material answered: it disclosed the material, refused, or holds none.',
    schema: onCase({ requestId: uuid, outcome: enumOf(THIRD_PARTY_OUTCOMES), recordedAt: instant }),
    example: { caseId, requestId, outcome: 'disclosed', recordedAt: '2026-11-26T10:00:00Z' },
  }),
};

/** The versions v2 replaced: kept because stored events carry them; readers see them upcast (cases.digital-upcasters.ts). */
export const DIGITAL_MATERIAL_SUPERSEDED = {
  DeviceExtractionRequestedV1: defineEvent({
    type: 'uk.police.nom.cases.device-extraction-requested.v1',
    context,
    summary:
      'Deprecated, superseded by device-extraction-requested.v2: no longer appended; stored events are upcast to v2 on read (the notice parts v1 did not record absent).',
    schema: onCase({
      extractionId: uuid,
      deviceOwner: enumOf(DEVICE_OWNER_ROLES),
      scope: record({
        /** First and last day (ISO dates) of the data sought: no more than is necessary and proportionate. */
        from: day,
        to: day,
        dataCategories: list(enumOf(DEVICE_DATA_CATEGORIES), 1),
      }),
      /** The written notice given to the device user (s37 Police, Crime, Sentencing and Courts Act 2022). */
      notice: record({
        /** Personal free text: what is sought from the device, as written to its user. */
        whatIsSought: text(2000),
        /** Personal free text: why it is sought. */
        why: text(2000),
      }),
      requestedAt: instant,
    }),
    personalFields: ['/notice/whatIsSought', '/notice/why'],
    example: {
      caseId,
      extractionId,
      deviceOwner: 'victim',
      scope: { from: '2026-10-30', to: '2026-11-02', dataCategories: ['messages'] },
      notice: {
        whatIsSought: 'Messages exchanged with the suspect between 30 October and 2 November 2026.',
        why: 'They may show the arrangements made on the evening of the offence.',
      },
      requestedAt: '2026-11-04T12:00:00Z',
    },
  }),
  ThirdPartyMaterialRequestedV1: defineEvent({
    type: 'uk.police.nom.cases.third-party-material-requested.v1',
    context,
    summary:
      'Deprecated, superseded by third-party-material-requested.v2: no longer appended; stored events are upcast to v2 on read (necessity and victimToldAt absent).',
    schema: onCase({
      requestId: uuid,
      /** Sensitive: the holder's kind reveals e.g. health or counselling records of the victim. */
      holder: enumOf(THIRD_PARTY_HOLDERS),
      requestedAt: instant,
    }),
    personalFields: ['/holder'],
    example: { caseId, requestId, holder: 'counselling', requestedAt: '2026-11-12T10:00:00Z' },
  }),
};
