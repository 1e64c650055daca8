import { assertNever, VictimEventTypes as T, type SpecialMeasure, type VictimEvent } from '#contracts';

/** A special measures application as the fold sees it: what was asked for, and whether the court has decided. */
export interface SpecialMeasuresApplication {
  readonly measures: readonly SpecialMeasure[];
  readonly decided: boolean;
}

/**
 * The victim's evidence (docs/evidence-and-court.md): interviews and examinations by id, the court's special
 * measures applications and the measures it granted, the s28 cross-examination, and whether a charge is known.
 */
export interface EvidenceState {
  readonly abeInterviews: Readonly<Record<string, 'planned' | 'conducted'>>;
  readonly examinations: Readonly<Record<string, 'referred' | 'examined' | 'declined'>>;
  readonly applications: Readonly<Record<string, SpecialMeasuresApplication>>;
  readonly grantedMeasures: readonly SpecialMeasure[];
  readonly preRecordedCrossExamination: 'none' | 'ordered' | 'recorded';
  /**
   * A suspect of the case is known to this stream to have been charged: the process manager opened a Victims' Code
   * duty for a charge (or a verdict, or a discontinuance) on it, or a court application was made for the victim.
   */
  readonly chargeKnown: boolean;
}

export const initialEvidenceState: EvidenceState = {
  abeInterviews: {},
  examinations: {},
  applications: {},
  grantedMeasures: [],
  preRecordedCrossExamination: 'none',
  chargeKnown: false,
};

/** Update-duty triggers that can only follow a charge. */
export const POST_CHARGE_TRIGGERS: ReadonlySet<string> = new Set(['suspect-charged', 'court-verdict', 'prosecution-discontinued']);

/** The events the evidence folds: its own, and the update duties that reveal a charge. */
export type EvidenceEvent = Extract<
  VictimEvent,
  {
    readonly type:
      | typeof T.AbeInterviewPlanned
      | typeof T.AbeInterviewConducted
      | typeof T.ForensicExaminationReferred
      | typeof T.ForensicExaminationCompleted
      | typeof T.ForensicExaminationDeclined
      | typeof T.SpecialMeasuresAppliedFor
      | typeof T.SpecialMeasuresDecided
      | typeof T.PreRecordedCrossExaminationOrdered
      | typeof T.PreRecordedCrossExaminationRecorded
      | typeof T.UpdateDutyOpened;
  }
>;

/** Folds one evidence event. */
export function evolveEvidence(state: EvidenceState, event: EvidenceEvent): EvidenceState {
  switch (event.type) {
    case T.AbeInterviewPlanned:
      return { ...state, abeInterviews: { ...state.abeInterviews, [event.data.interviewId]: 'planned' } };
    case T.AbeInterviewConducted:
      return { ...state, abeInterviews: { ...state.abeInterviews, [event.data.interviewId]: 'conducted' } };
    case T.ForensicExaminationReferred:
      return { ...state, examinations: { ...state.examinations, [event.data.examinationId]: 'referred' } };
    case T.ForensicExaminationCompleted:
      return { ...state, examinations: { ...state.examinations, [event.data.examinationId]: 'examined' } };
    case T.ForensicExaminationDeclined:
      return { ...state, examinations: { ...state.examinations, [event.data.examinationId]: 'declined' } };
    case T.SpecialMeasuresAppliedFor: {
      const application = { measures: event.data.measures, decided: false };
      return { ...state, chargeKnown: true, applications: { ...state.applications, [event.data.applicationId]: application } };
    }
    case T.SpecialMeasuresDecided: {
      const known = state.applications[event.data.applicationId];
      const applications = known ? { ...state.applications, [event.data.applicationId]: { ...known, decided: true } } : state.applications;
      const granted = event.data.granted.filter((m) => !state.grantedMeasures.includes(m));
      return { ...state, applications, grantedMeasures: [...state.grantedMeasures, ...granted] };
    }
    case T.PreRecordedCrossExaminationOrdered:
      return { ...state, preRecordedCrossExamination: 'ordered' };
    case T.PreRecordedCrossExaminationRecorded:
      return { ...state, preRecordedCrossExamination: 'recorded' };
    case T.UpdateDutyOpened:
      return POST_CHARGE_TRIGGERS.has(event.data.trigger) ? { ...state, chargeKnown: true } : state;
    default:
      return assertNever(event);
  }
}
