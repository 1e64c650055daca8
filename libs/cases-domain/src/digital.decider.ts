import { assertNever, type CaseEvent } from '#contracts';
import type { CaseState } from './case.state.js';
import type { DigitalCommand } from './digital.commands.js';
import {
  completeDeviceExtraction,
  recordExtractionAgreement,
  recordThirdPartyOutcome,
  requestDeviceExtraction,
  requestThirdPartyMaterial,
  returnDevice,
  withdrawExtractionAgreement,
} from './forensics.decider.js';
import { recordProblemProfile } from './problem-profile.decider.js';

/** The digital material's commands and the problem profile's (docs/digital-material.md). */
export function decideDigital(command: DigitalCommand, state: CaseState): CaseEvent[] {
  switch (command.kind) {
    case 'request-device-extraction':
      return requestDeviceExtraction(command, state);
    case 'record-extraction-agreement':
      return recordExtractionAgreement(command, state);
    case 'withdraw-extraction-agreement':
      return withdrawExtractionAgreement(command, state);
    case 'complete-device-extraction':
      return completeDeviceExtraction(command, state);
    case 'return-device':
      return returnDevice(command, state);
    case 'request-third-party-material':
      return requestThirdPartyMaterial(command, state);
    case 'record-third-party-outcome':
      return recordThirdPartyOutcome(command, state);
    case 'record-problem-profile':
      return recordProblemProfile(command, state);
    default:
      return assertNever(command);
  }
}
