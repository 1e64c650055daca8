import { CaseEventTypes as T, type CaseEvent } from '#contracts';
import type { CommandOf } from './case.commands.js';
import { refuse } from './case.errors.js';
import { isIsoDate } from '#calendar';
import { isText, requireCase, requireInvestigation } from './case.guards.js';
import type { CaseState, ExtractionState } from './case.state.js';

/**
 * Pillar 6: proportionate device extraction (s37 Police, Crime, Sentencing and Courts Act 2022 and its code of
 * practice: a written notice of what is sought and why, the user's informed agreement) and third-party material.
 */
export function requestDeviceExtraction(command: CommandOf<'request-device-extraction'>, state: CaseState): CaseEvent[] {
  const { caseId, extractionId, deviceOwner, scope, notice, at } = command;
  requireInvestigation(state);
  if (state.extractions[extractionId]) refuse('extraction-already-requested', 'this extraction is already requested');
  if (!isIsoDate(scope.from)) refuse('invalid-extraction-scope', 'scope.from must be a calendar date (YYYY-MM-DD)', 'scope.from');
  if (!isIsoDate(scope.to)) refuse('invalid-extraction-scope', 'scope.to must be a calendar date (YYYY-MM-DD)', 'scope.to');
  if (scope.to < scope.from) refuse('invalid-extraction-scope', 'scope.to cannot be before scope.from', 'scope.to');
  if (scope.dataCategories.length === 0 || new Set(scope.dataCategories).size !== scope.dataCategories.length) {
    refuse('invalid-extraction-scope', 'scope.dataCategories must name each category sought once', 'scope.dataCategories');
  }
  if (!isText(notice.whatIsSought)) refuse('invalid-notice', 'the notice must say what is sought', 'notice.whatIsSought');
  if (!isText(notice.why)) refuse('invalid-notice', 'the notice must say why it is sought', 'notice.why');
  return [
    {
      type: T.DeviceExtractionRequested,
      data: { caseId, extractionId, deviceOwner, scope: { ...scope, dataCategories: [...scope.dataCategories] }, notice, requestedAt: at },
    },
  ];
}

function requireExtraction(state: CaseState, extractionId: string): ExtractionState {
  const extraction = state.extractions[extractionId];
  if (!extraction) refuse('unknown-extraction', `no device extraction ${extractionId} was requested on this case`, 'extractionId');
  return extraction;
}

/** A refusal is recorded and the investigation goes on: refusing never closes a case. */
export function recordExtractionAgreement(command: CommandOf<'record-extraction-agreement'>, state: CaseState): CaseEvent[] {
  const { caseId, extractionId, agreed, at } = command;
  requireInvestigation(state);
  if (requireExtraction(state, extractionId).status !== 'requested') {
    refuse('agreement-already-recorded', "the device user's answer is already recorded");
  }
  return agreed
    ? [{ type: T.DeviceExtractionAgreed, data: { caseId, extractionId, agreedAt: at } }]
    : [{ type: T.DeviceExtractionRefused, data: { caseId, extractionId, refusedAt: at } }];
}

/**
 * A victim's or witness's device is only extracted with their agreement. A suspect's device is seized under
 * other powers (PACE), so the s37 agreement is not what authorises its extraction.
 */
export function completeDeviceExtraction(command: CommandOf<'complete-device-extraction'>, state: CaseState): CaseEvent[] {
  const { caseId, extractionId, at } = command;
  requireInvestigation(state);
  const extraction = requireExtraction(state, extractionId);
  if (extraction.status === 'completed' || extraction.status === 'returned') {
    refuse('extraction-already-completed', 'the extraction is already completed');
  }
  if (extraction.deviceOwner !== 'suspect' && extraction.status !== 'agreed') {
    refuse('extraction-not-agreed', `the ${extraction.deviceOwner} has not agreed to the extraction`);
  }
  return [{ type: T.DeviceExtractionCompleted, data: { caseId, extractionId, completedAt: at } }];
}

/** Devices go back as soon as they can, whether or not the case is still open. */
export function returnDevice(command: CommandOf<'return-device'>, state: CaseState): CaseEvent[] {
  const { caseId, extractionId, at } = command;
  requireCase(state);
  const extraction = requireExtraction(state, extractionId);
  if (extraction.status === 'returned') refuse('device-already-returned', 'the device is already returned');
  if (extraction.status !== 'completed') refuse('extraction-not-completed', 'the device was not extracted');
  return [{ type: T.DeviceReturned, data: { caseId, extractionId, returnedAt: at } }];
}

export function requestThirdPartyMaterial(command: CommandOf<'request-third-party-material'>, state: CaseState): CaseEvent[] {
  const { caseId, requestId, holder, at } = command;
  requireInvestigation(state);
  if (state.thirdPartyRequestIds.includes(requestId)) refuse('third-party-request-already-made', 'this request is already made');
  return [{ type: T.ThirdPartyMaterialRequested, data: { caseId, requestId, holder, requestedAt: at } }];
}
