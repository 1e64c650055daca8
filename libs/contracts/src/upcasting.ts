import {
  CaseEventTypes,
  SupersededCaseEventTypes,
  soleOffenceCode,
  type CrimeRecordedData,
  type CrimeRecordedV1Data,
} from './cases.events.js';
import type { RecordedEvent } from './envelope.js';
import { DIGITAL_MATERIAL_UPCASTERS } from './cases.digital-upcasters.js';

/**
 * Upcasting (STYLE.md habit 11): stored events are never rewritten; a superseded version is turned into the
 * current one as it is read, so deciders and projections only ever see current versions. Each upcaster maps
 * one version to the next; `upcast` chains them until no upcaster applies.
 */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

/**
 * crime-recorded v1 -> v2. Defaults for what v1 did not record:
 *  - `n100Reference: null`: v1 predates N100 reports in the backbone, so every v1 crime was recorded directly;
 *  - `offenceCode`: the Home Office code the offence group determines (the rape groups, e.g. 19C), else null
 *    (sexual assault spans four classes: guessing one would miscount the crime).
 * Everything else (ids, stream, revision, position, metadata) is kept as stored.
 */
function crimeRecordedV1ToV2(event: RecordedEvent): RecordedEvent {
  const v1 = event.data as CrimeRecordedV1Data;
  const data: CrimeRecordedData = {
    caseId: v1.caseId,
    crimeReference: v1.crimeReference,
    offence: v1.offence,
    offenceCode: soleOffenceCode(v1.offence) ?? null,
    n100Reference: null,
    reportedAt: v1.reportedAt,
    recordedAt: v1.recordedAt,
  };
  return { ...event, type: CaseEventTypes.CrimeRecorded, data };
}

/** The registry: superseded type -> upcaster to its next version. */
export const UPCASTERS: Readonly<Record<string, Upcaster>> = {
  [SupersededCaseEventTypes.CrimeRecordedV1]: crimeRecordedV1ToV2,
  ...DIGITAL_MATERIAL_UPCASTERS,
};

/** The event in its current version; an event already current is returned as it is. */
export function upcast(event: RecordedEvent): RecordedEvent {
  let current = event;
  for (let upcaster = UPCASTERS[current.type]; upcaster !== undefined; upcaster = UPCASTERS[current.type]) {
    current = upcaster(current);
  }
  return current;
}
