import { assertNever, SPECIAL_MEASURE_SECTIONS, type SpecialMeasure, type VictimEvent, VictimEventTypes as T } from '#contracts';
import { isBefore, isIsoDate } from '#calendar';
import type {
  ApplyForSpecialMeasures,
  EvidenceCommand,
  RecordForensicExamination,
  RecordSpecialMeasuresDecision,
} from './victim.commands.js';
import { refuse } from './victim.errors.js';
import { requireInstant, requireVictim } from './victim.guards.js';
import type { VictimState } from './victim.state.js';

/**
 * The victim's evidence (docs/evidence-and-court.md): the video-recorded (ABE) interview, the forensic medical
 * examination at a SARC, special measures applied for to the court and its direction, and the s28 pre-recorded
 * cross-examination. Each records that something happened and its reference, never its content.
 */
export function decideEvidence(command: EvidenceCommand, state: VictimState): VictimEvent[] {
  requireVictim(command, state);
  requireInstant(command.at, 'at');
  const ids = { caseId: command.caseId, victimId: command.victimId };
  const { evidence } = state;
  switch (command.kind) {
    case 'plan-abe-interview': {
      requireEngaged(state, 'a video-recorded interview');
      requireInstant(command.plannedFor, 'plannedFor');
      if (evidence.abeInterviews[command.interviewId]) refuse('abe-interview-already-planned', 'this interview is already planned');
      const { interviewId, plannedFor, withIntermediary } = command;
      return [{ type: T.AbeInterviewPlanned, data: { ...ids, interviewId, plannedFor, withIntermediary, plannedAt: command.at } }];
    }
    case 'record-abe-interview': {
      // ABE 2022: an interview is planned before it is conducted (phase 1); a further interview is planned again.
      const interview = evidence.abeInterviews[command.interviewId];
      if (interview === undefined) refuse('abe-interview-not-planned', 'plan the video-recorded interview first');
      if (interview === 'conducted') refuse('abe-interview-already-conducted', 'this interview is already recorded as conducted');
      const { interviewId, recordingReference } = command;
      return [{ type: T.AbeInterviewConducted, data: { ...ids, interviewId, recordingReference, conductedAt: command.at } }];
    }
    case 'refer-for-forensic-examination':
      requireEngaged(state, 'a forensic medical examination');
      if (evidence.examinations[command.examinationId]) refuse('examination-already-referred', 'this examination is already referred');
      return [
        {
          type: T.ForensicExaminationReferred,
          data: { ...ids, examinationId: command.examinationId, sarc: { ...command.sarc }, referredAt: command.at },
        },
      ];
    case 'record-forensic-examination':
      return recordExamination(command, state);
    case 'decline-forensic-examination':
      requireReferred(state, command.examinationId);
      return [{ type: T.ForensicExaminationDeclined, data: { ...ids, examinationId: command.examinationId, declinedAt: command.at } }];
    case 'apply-for-special-measures':
      return applyForSpecialMeasures(command, state);
    case 'record-special-measures-decision':
      return recordDecision(command, state);
    case 'order-pre-recorded-cross-examination':
      if (!evidence.grantedMeasures.includes('pre-recorded-cross-examination')) {
        refuse('pre-recorded-cross-examination-not-granted', 'the court has not directed a pre-recorded cross-examination (s28)');
      }
      // Until it is recorded the hearing can be moved: each order replaces the last.
      if (evidence.preRecordedCrossExamination === 'recorded') {
        refuse('pre-recorded-cross-examination-already-recorded', 'the cross-examination is already recorded');
      }
      if (!isIsoDate(command.hearingDate)) refuse('invalid-instant', `hearingDate must be a calendar date: ${command.hearingDate}`);
      return [{ type: T.PreRecordedCrossExaminationOrdered, data: { ...ids, hearingDate: command.hearingDate, orderedAt: command.at } }];
    case 'record-pre-recorded-cross-examination':
      if (evidence.preRecordedCrossExamination === 'none') {
        refuse('pre-recorded-cross-examination-not-ordered', 'the court has not listed the pre-recorded cross-examination');
      }
      if (evidence.preRecordedCrossExamination === 'recorded') {
        refuse('pre-recorded-cross-examination-already-recorded', 'the cross-examination is already recorded');
      }
      return [
        {
          type: T.PreRecordedCrossExaminationRecorded,
          data: { ...ids, recordingReference: command.recordingReference, recordedAt: command.at },
        },
      ];
    default:
      return assertNever(command);
  }
}

/** A victim who has withdrawn support is not interviewed or examined: re-engagement comes first. */
function requireEngaged(state: VictimState, what: string): void {
  if (state.status === 'withdrawn') refuse('support-withdrawn', `the victim has withdrawn support: record a re-engagement before ${what}`);
}

function requireReferred(state: VictimState, examinationId: string): void {
  const examination = state.evidence.examinations[examinationId];
  if (examination === undefined) refuse('examination-not-referred', 'no referral for this examination is recorded');
  if (examination !== 'referred') refuse('examination-already-concluded', `this examination is already ${examination}`);
}

/** The examination needs the victim's consent to it, recorded before it took place (NHS England SARC specification). */
function recordExamination(command: RecordForensicExamination, state: VictimState): VictimEvent[] {
  requireReferred(state, command.examinationId);
  requireInstant(command.consentRecordedAt, 'consentRecordedAt');
  if (!command.consentedTo.includes('examination'))
    refuse('consent-not-recorded', "the victim's consent to the examination is not recorded");
  if (isBefore(command.at, command.consentRecordedAt)) refuse('consent-not-recorded', 'consent must be recorded before the examination');
  return [
    {
      type: T.ForensicExaminationCompleted,
      data: {
        caseId: command.caseId,
        victimId: command.victimId,
        examinationId: command.examinationId,
        consentedTo: [...new Set(command.consentedTo)],
        consentRecordedAt: command.consentRecordedAt,
        examinedAt: command.at,
      },
    },
  ];
}

/**
 * An application to the court (YJCEA 1999 s19; Criminal Procedure Rules Part 18) in proceedings: a charge must be
 * known. Every complainant of a sexual offence is eligible (s17(4)), and every offence this backbone records is one.
 * Video-recorded evidence in chief (s27) needs the recorded interview; pre-recorded cross-examination (s28) needs
 * video-recorded evidence in chief admitted under s27 (s28(1)), applied for with it or granted before.
 */
function applyForSpecialMeasures(command: ApplyForSpecialMeasures, state: VictimState): VictimEvent[] {
  const { evidence } = state;
  if (!evidence.chargeKnown) refuse('no-charge-known', 'no suspect of this case is known to have been charged: there are no proceedings');
  if (command.measures.length === 0) refuse('no-special-measures', 'name at least one special measure');
  if (evidence.applications[command.applicationId]) refuse('special-measures-application-exists', 'this application is already recorded');
  const measures = [...new Set(command.measures)];
  const asks = (m: SpecialMeasure): boolean => measures.includes(m);
  if (asks('video-recorded-evidence-in-chief') && !Object.values(evidence.abeInterviews).includes('conducted')) {
    refuse('no-abe-recording', 'video-recorded evidence in chief (s27) needs a conducted video-recorded interview');
  }
  const videoEvidence = asks('video-recorded-evidence-in-chief') || evidence.grantedMeasures.includes('video-recorded-evidence-in-chief');
  if (asks('pre-recorded-cross-examination') && !videoEvidence) {
    refuse(
      'pre-recorded-cross-examination-needs-video-evidence',
      'pre-recorded cross-examination (s28) needs video-recorded evidence in chief (s27)',
    );
  }
  const eligibility = [...new Set(['s17-4-sexual-offence-complainant' as const, ...(command.grounds ?? [])])];
  return [
    {
      type: T.SpecialMeasuresAppliedFor,
      data: {
        caseId: command.caseId,
        victimId: command.victimId,
        applicationId: command.applicationId,
        measures,
        sections: measures.map((m) => SPECIAL_MEASURE_SECTIONS[m]),
        eligibility,
        appliedAt: command.at,
      },
    },
  ];
}

/** The court decides every measure applied for, once: each granted or refused, none left out, none added. */
function recordDecision(command: RecordSpecialMeasuresDecision, state: VictimState): VictimEvent[] {
  const application = state.evidence.applications[command.applicationId];
  if (application === undefined) refuse('unknown-special-measures-application', 'no such special measures application is recorded');
  if (application.decided) refuse('special-measures-already-decided', 'the court has already decided this application');
  const granted = [...new Set(command.granted)];
  const refused = [...new Set(command.refused)];
  const decided = [...granted, ...refused];
  const matches =
    decided.length === application.measures.length &&
    application.measures.every((m) => decided.includes(m)) &&
    granted.every((m) => !refused.includes(m));
  if (!matches) {
    refuse('decision-does-not-match-application', `decide each measure applied for once: ${application.measures.join(', ')}`);
  }
  return [
    {
      type: T.SpecialMeasuresDecided,
      data: {
        caseId: command.caseId,
        victimId: command.victimId,
        applicationId: command.applicationId,
        granted,
        refused,
        decidedAt: command.at,
      },
    },
  ];
}
