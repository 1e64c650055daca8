import { CaseEventTypes as T, PERSONALLY_CONNECTED, UNDER_16_BANDS, type AgeBand, type CaseEvent } from '#contracts';
import { isIsoDate, londonDate } from '#calendar';
import type { CommandOf } from './case.commands.js';
import { refuse } from './case.errors.js';
import { requireCase } from './case.guards.js';
import type { CaseState } from './case.state.js';

const sixteenOrOver = (band: AgeBand): boolean => band !== 'not-known' && !UNDER_16_BANDS.includes(band);

/**
 * The problem profile's facts of a recorded crime (docs/digital-material.md, "Problem profile"), recorded or corrected
 * at any time after recording (the latest stands). The offence cannot be after its report. The domestic-abuse flag
 * follows the Domestic Abuse Act 2021 s1: abuse (sexual abuse included) between two people each aged 16 or over who
 * are personally connected (s2: partners, ex-partners, relatives). So a stranger's offence is never flagged, nor one
 * with a party under 16; a partner's or relative's, both 16 or over, always is.
 */
export function recordProblemProfile(command: CommandOf<'record-problem-profile'>, state: CaseState): CaseEvent[] {
  const { caseId, offenceDate, relationshipToSuspect, domesticAbuse, victimAgeBand, suspectAgeBand, at } = command;
  requireCase(state);
  if (state.status === 'reported') refuse('crime-not-recorded', 'the report is not recorded as a crime yet');
  if (state.status === 'cancelled') refuse('recording-cancelled', 'the recording of this case was cancelled');
  if (!isIsoDate(offenceDate)) refuse('invalid-problem-profile', 'offenceDate must be a calendar date (YYYY-MM-DD)', 'offenceDate');
  const reportedOn = londonDate(state.reportedAt ?? at);
  if (offenceDate > reportedOn) refuse('offence-after-report', `the offence cannot be after its report (${reportedOn})`, 'offenceDate');
  const flagged = domesticAbuse === 'flagged';
  if (flagged && relationshipToSuspect === 'stranger') {
    refuse('inconsistent-domestic-abuse-flag', 'a stranger is not personally connected to the victim (DA Act 2021 s2)', 'domesticAbuse');
  }
  if (flagged && (UNDER_16_BANDS.includes(victimAgeBand) || UNDER_16_BANDS.includes(suspectAgeBand))) {
    refuse('inconsistent-domestic-abuse-flag', 'domestic abuse is between people each aged 16 or over (DA Act 2021 s1)', 'domesticAbuse');
  }
  const connected = PERSONALLY_CONNECTED.includes(relationshipToSuspect);
  if (!flagged && connected && sixteenOrOver(victimAgeBand) && sixteenOrOver(suspectAgeBand)) {
    refuse(
      'inconsistent-domestic-abuse-flag',
      'a sexual offence by a partner or relative, both 16 or over, is domestic abuse',
      'domesticAbuse',
    );
  }
  return [
    {
      type: T.ProblemProfileRecorded,
      data: { caseId, offenceDate, relationshipToSuspect, domesticAbuse, victimAgeBand, suspectAgeBand, recordedAt: at },
    },
  ];
}
