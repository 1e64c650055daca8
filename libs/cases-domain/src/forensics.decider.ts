import { CaseEventTypes as T, type CaseEvent } from '#contracts';
import type { CommandOf } from './case.commands.js';
import { refuse } from './case.errors.js';
import { isInstant, isIsoDate } from '#calendar';
import { isText, requireCase, requireInvestigation } from './case.guards.js';
import type { CaseState, ExtractionState } from './case.state.js';
import { wholeDaysBetween } from './digital.state.js';
import type { ExtractionNotice } from './digital.commands.js';

/**
 * Pillar 6: proportionate device extraction (ss37-44 Police, Crime, Sentencing and Courts Act 2022 and its code of
 * practice: a written notice of what is sought and why, how the data is kept and deleted, that the user may refuse
 * and that a refusal alone does not end the investigation; the user's informed agreement, which they may withdraw)
 * and third-party material (PCSC Act 2022 ss44A-44H, the CPIA 1996 code). docs/digital-material.md.
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
  requireNotice(notice, deviceOwner === 'suspect');
  return [
    {
      type: T.DeviceExtractionRequested,
      data: {
        caseId,
        extractionId,
        deviceOwner,
        scope: { ...scope, dataCategories: [...scope.dataCategories] },
        notice: noticeOf(notice),
        requestedAt: at,
      },
    },
  ];
}

/**
 * s39(3): the notice says what is sought and why, how the data will be dealt with (kept, deleted), that the user may
 * refuse and that the investigation will not end merely because they do. A suspect's device is seized under other
 * powers (PACE): only what and why are required, and the notice cannot offer a refusal the suspect does not have.
 */
function requireNotice(notice: ExtractionNotice, seized: boolean): void {
  if (!isText(notice.whatIsSought)) refuse('invalid-notice', 'the notice must say what is sought', 'notice.whatIsSought');
  if (!isText(notice.why)) refuse('invalid-notice', 'the notice must say why it is sought', 'notice.why');
  if (seized) {
    if (notice.mayRefuse !== undefined || notice.refusalDoesNotEndInvestigation !== undefined) {
      refuse(
        'invalid-notice',
        "a suspect's device is seized, not provided under s37: the notice cannot offer a refusal",
        'notice.mayRefuse',
      );
    }
    return;
  }
  if (notice.retention === undefined || !isText(notice.retention)) {
    refuse('invalid-notice', 'the notice must say how long the extracted data will be kept', 'notice.retention');
  }
  if (notice.deletion === undefined || !isText(notice.deletion)) {
    refuse('invalid-notice', 'the notice must say how the extracted data will be deleted', 'notice.deletion');
  }
  if (notice.mayRefuse !== true) refuse('invalid-notice', 'the notice must say that the device user may refuse', 'notice.mayRefuse');
  if (notice.refusalDoesNotEndInvestigation !== true) {
    refuse(
      'invalid-notice',
      'the notice must say that a refusal alone will not end the investigation',
      'notice.refusalDoesNotEndInvestigation',
    );
  }
}

function noticeOf(notice: ExtractionNotice) {
  const { whatIsSought, why, retention, deletion, mayRefuse, refusalDoesNotEndInvestigation } = notice;
  return {
    whatIsSought,
    why,
    ...(retention === undefined ? {} : { retention }),
    ...(deletion === undefined ? {} : { deletion }),
    ...(mayRefuse === true ? { mayRefuse } : {}),
    ...(refusalDoesNotEndInvestigation === true ? { refusalDoesNotEndInvestigation } : {}),
  };
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
 * The user may withdraw their agreement at any time before the extraction is complete (the code of practice): the
 * extraction stops and the device is to be returned. Once it is complete there is nothing left to stop: what was
 * extracted is kept or deleted as the notice said (CPIA 1996 retention), so a withdrawal then is refused here and
 * dealt with as a request about the data (docs/digital-material.md). Allowed on a closed case too: it is the user's.
 */
export function withdrawExtractionAgreement(command: CommandOf<'withdraw-extraction-agreement'>, state: CaseState): CaseEvent[] {
  const { caseId, extractionId, at } = command;
  requireCase(state);
  const { status } = requireExtraction(state, extractionId);
  if (status === 'completed' || status === 'returned') {
    refuse('extraction-already-completed', 'the extraction is complete: withdrawing the agreement no longer stops it');
  }
  if (status === 'withdrawn') refuse('agreement-not-given', 'the agreement is already withdrawn');
  if (status !== 'agreed') refuse('agreement-not-given', 'the device user has not agreed to the extraction');
  return [{ type: T.DeviceExtractionAgreementWithdrawn, data: { caseId, extractionId, withdrawnAt: at } }];
}

/**
 * A victim's or witness's device is only extracted with their agreement. A suspect's device is seized under other
 * powers (PACE), so the s37 agreement is not what authorises its extraction.
 */
export function completeDeviceExtraction(command: CommandOf<'complete-device-extraction'>, state: CaseState): CaseEvent[] {
  const { caseId, extractionId, at } = command;
  requireInvestigation(state);
  const extraction = requireExtraction(state, extractionId);
  if (extraction.status === 'completed' || extraction.status === 'returned') {
    refuse('extraction-already-completed', 'the extraction is already completed');
  }
  if (extraction.status === 'withdrawn') refuse('extraction-not-agreed', `the ${extraction.deviceOwner} withdrew their agreement`);
  if (extraction.deviceOwner !== 'suspect' && extraction.status !== 'agreed') {
    refuse('extraction-not-agreed', `the ${extraction.deviceOwner} has not agreed to the extraction`);
  }
  return [{ type: T.DeviceExtractionCompleted, data: { caseId, extractionId, completedAt: at } }];
}

/**
 * Devices go back as soon as they can, whether or not the case is still open: after the extraction, or once the
 * agreement is withdrawn. How long it was held is recorded with the return (from the agreement; a suspect's device
 * from the request), the same span the device-retention measure counts (docs/kpis.md).
 */
export function returnDevice(command: CommandOf<'return-device'>, state: CaseState): CaseEvent[] {
  const { caseId, extractionId, at } = command;
  requireCase(state);
  const extraction = requireExtraction(state, extractionId);
  if (extraction.status === 'returned') refuse('device-already-returned', 'the device is already returned');
  if (extraction.status === 'refused') refuse('device-not-held', 'the device user refused: the device was never provided');
  if (extraction.status !== 'completed' && extraction.status !== 'withdrawn') {
    refuse('extraction-not-completed', 'the device was not extracted');
  }
  const { heldSince } = extraction;
  const held = heldSince === undefined ? {} : { heldSince, retentionDays: wholeDaysBetween(heldSince, at) };
  return [{ type: T.DeviceReturned, data: { caseId, extractionId, returnedAt: at, ...held } }];
}

/**
 * A request for third-party material (PCSC Act 2022 s44A, in force since 12 January 2026; the CPIA code and the
 * Attorney General's Guidelines on Disclosure 2022): relevant to a reasonable line of enquiry, necessary and
 * proportionate, with the reason; a counselling request only for material likely to have substantial probative
 * value (s44A(4)); the victim told on or before the day of the request (s44B(3)(a)).
 */
export function requestThirdPartyMaterial(command: CommandOf<'request-third-party-material'>, state: CaseState): CaseEvent[] {
  const { caseId, requestId, holder, necessity, victimToldAt, at } = command;
  requireInvestigation(state);
  if (state.thirdPartyRequestIds.includes(requestId)) refuse('third-party-request-already-made', 'this request is already made');
  if (necessity.reasonableLineOfEnquiry !== true) {
    refuse(
      'invalid-third-party-request',
      'the material must be relevant to a reasonable line of enquiry',
      'necessity.reasonableLineOfEnquiry',
    );
  }
  if (necessity.necessaryAndProportionate !== true) {
    refuse('invalid-third-party-request', 'the request must be necessary and proportionate', 'necessity.necessaryAndProportionate');
  }
  if (!isText(necessity.reason)) refuse('invalid-third-party-request', 'the reason for the request must be recorded', 'necessity.reason');
  if (holder === 'counselling' && necessity.substantialProbativeValue !== true) {
    refuse(
      'invalid-third-party-request',
      'counselling notes may be requested only when likely to have substantial probative value (s44A(4))',
      'necessity.substantialProbativeValue',
    );
  }
  if (!isInstant(victimToldAt)) refuse('victim-not-told', 'victimToldAt must be an instant (ISO 8601)', 'victimToldAt');
  if (Date.parse(victimToldAt) > Date.parse(at)) {
    refuse('victim-not-told', 'the victim must be told of the request before it is made', 'victimToldAt');
  }
  const { substantialProbativeValue, reason } = necessity;
  return [
    {
      type: T.ThirdPartyMaterialRequested,
      data: {
        caseId,
        requestId,
        holder,
        requestedAt: at,
        necessity: {
          reasonableLineOfEnquiry: true,
          necessaryAndProportionate: true,
          ...(substantialProbativeValue === true ? { substantialProbativeValue } : {}),
          reason,
        },
        victimToldAt,
      },
    },
  ];
}

/** The holder's answer, once per request: disclosed, refused or none held (recorded on a closed case too). */
export function recordThirdPartyOutcome(command: CommandOf<'record-third-party-outcome'>, state: CaseState): CaseEvent[] {
  const { caseId, requestId, outcome, at } = command;
  requireCase(state);
  if (!state.thirdPartyRequestIds.includes(requestId)) {
    refuse('unknown-third-party-request', `no third-party request ${requestId} was made on this case`, 'requestId');
  }
  if (state.thirdPartyOutcomes[requestId] !== undefined) {
    refuse('third-party-outcome-already-recorded', `the holder's answer is already recorded: ${state.thirdPartyOutcomes[requestId]}`);
  }
  return [{ type: T.ThirdPartyMaterialOutcomeRecorded, data: { caseId, requestId, outcome, recordedAt: at } }];
}
