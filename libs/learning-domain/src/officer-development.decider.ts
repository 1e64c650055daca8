import { assertNever } from '#contracts';
import type { Decider, ForceCode, OfficerDevelopmentEvent } from '#contracts';
import { achieveAccreditation, enrolOnAccreditation, lapseAccreditation } from './accreditation.decider.js';
import type { OfficerDevelopmentCommand } from './officer-development.commands.js';
import { evolveOfficerDevelopment, initialOfficerDevelopmentState, type OfficerDevelopmentState } from './officer-development.state.js';
import {
  holdCaseReview,
  holdWellbeingCheckIn,
  recordCaseReviewOverdue,
  recordCaseload,
  recordLessonLearned,
  recordTraining,
} from './officer-supervision.decider.js';

export function decideOfficerDevelopment(command: OfficerDevelopmentCommand, state: OfficerDevelopmentState): OfficerDevelopmentEvent[] {
  switch (command.kind) {
    case 'enrol-on-accreditation':
      return enrolOnAccreditation(command, state);
    case 'achieve-accreditation':
      return achieveAccreditation(command, state);
    case 'lapse-accreditation':
      return lapseAccreditation(command, state);
    case 'record-training':
      return recordTraining(command);
    case 'record-caseload':
      return recordCaseload(command);
    case 'hold-wellbeing-check-in':
      return holdWellbeingCheckIn(command);
    case 'hold-case-review':
      return holdCaseReview(command);
    case 'record-case-review-overdue':
      return recordCaseReviewOverdue(command, state);
    case 'record-lesson-learned':
      return recordLessonLearned(command, state);
    default:
      return assertNever(command);
  }
}

export const officerDevelopmentDecider: Decider<OfficerDevelopmentCommand, OfficerDevelopmentEvent, OfficerDevelopmentState> = {
  decide: decideOfficerDevelopment,
  evolve: evolveOfficerDevelopment,
  initialState: initialOfficerDevelopmentState,
};

/** One stream per officer per force: an officer who transfers starts a new stream in the new force. */
export function officerStreamId(force: ForceCode, officerId: string): string {
  return `officer-${force}-${officerId}`;
}
