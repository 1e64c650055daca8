import { CaseEventTypes, SupersededCaseEventTypes } from './cases.events.js';
import type { RecordedEvent } from './envelope.js';

/**
 * device-extraction-requested v1 -> v2 and third-party-material-requested v1 -> v2 (docs/digital-material.md): v2
 * only adds optional fields, so a v1 event's data is v2 data as it is (the notice's retention, deletion and
 * statements, the request's necessity and victimToldAt absent: not recorded then). Personal fields keep their
 * pointers, so their tokens (bound to event id and pointer) decrypt as before.
 */
const retyped =
  (type: string) =>
  (event: RecordedEvent): RecordedEvent => ({ ...event, type });

export const DIGITAL_MATERIAL_UPCASTERS: Readonly<Record<string, (event: RecordedEvent) => RecordedEvent>> = {
  [SupersededCaseEventTypes.DeviceExtractionRequestedV1]: retyped(CaseEventTypes.DeviceExtractionRequested),
  [SupersededCaseEventTypes.ThirdPartyMaterialRequestedV1]: retyped(CaseEventTypes.ThirdPartyMaterialRequested),
};
