import type {
  ComplaintSubject,
  ContactChannel,
  ContactTime,
  DutyClosureReason,
  EnhancedRightsCategory,
  ForensicConsent,
  LetterChannel,
  LetterKind,
  OffenceGroup,
  SafeContact,
  SarcKind,
  SpecialMeasure,
  SpecialMeasuresEligibility,
  SupportService,
  UpdateSubject,
  UpdateTrigger,
  VictimNeed,
  VpsFormat,
  WithdrawalReason,
  WithdrawalStage,
} from '#contracts';

/**
 * Commands about one victim in one case (stream `victim-<victimId>`). They carry time, ids and facts: the
 * decider has no clock and no random source; the acting officer travels in the event metadata.
 */
interface About {
  readonly caseId: string;
  readonly victimId: string;
}
interface At extends About {
  /** When it happened (ISO 8601 instant). */
  readonly at: string;
}

export type MakeFirstContact = At & {
  readonly kind: 'make-first-contact';
  /** The case's recorded offence: every sexual offence gives enhanced rights by rule. */
  readonly offence: OffenceGroup;
  readonly officerId: string;
  readonly channel: ContactChannel;
  /** Under 18 when the offence was committed: enhanced rights as a vulnerable victim, by rule. */
  readonly victimUnder18?: boolean;
};
export type RecordEnhancedRights = At & { readonly kind: 'record-enhanced-rights'; readonly categories: readonly EnhancedRightsCategory[] };
export type CompleteNeedsAssessment = At & {
  readonly kind: 'complete-needs-assessment';
  readonly needs: readonly VictimNeed[];
  readonly notes?: string;
};
export type ReferToIsva = At & { readonly kind: 'refer-to-isva'; readonly isvaService: string };
export type ReferToSupportService = At & {
  readonly kind: 'refer-to-support-service';
  readonly service: SupportService;
  readonly organisation: string;
};
export type AgreeContactPreferences = At & {
  readonly kind: 'agree-contact-preferences';
  readonly channels: readonly ContactChannel[];
  readonly times: readonly ContactTime[];
  readonly leaveMessages: boolean;
  readonly safeContact: SafeContact;
  /** How often the victim agreed to be updated, in days; absent, no agreed frequency. */
  readonly updateEveryDays?: number;
};
export type RequestSpecialMeasures = At & { readonly kind: 'request-special-measures'; readonly measures: readonly SpecialMeasure[] };
export type OfferVps = At & { readonly kind: 'offer-vps' };
export type TakeVps = At & { readonly kind: 'take-vps'; readonly format: VpsFormat; readonly documentReference: string };
export type DeclineVps = At & { readonly kind: 'decline-vps'; readonly comment?: string };
export type GiveUpdate = At & {
  readonly kind: 'give-update';
  readonly about: UpdateSubject;
  readonly channel: ContactChannel;
  /** The trigger whose update duty this update answers. */
  readonly triggerEventId?: string;
  readonly summary?: string;
};
export type SendLetter = At & { readonly kind: 'send-letter'; readonly letter: LetterKind; readonly channel: LetterChannel };
export type WithdrawSupport = At & {
  readonly kind: 'withdraw-support';
  readonly reason: WithdrawalReason;
  readonly stage: WithdrawalStage;
  readonly account?: string;
};
export type ReEngage = At & { readonly kind: 're-engage' };
export type MakeComplaint = At & { readonly kind: 'make-complaint'; readonly about: ComplaintSubject; readonly account: string };
/** Sent by the process manager when a suspect event in `suspects` starts a Victims' Code deadline; `at` is the trigger's time. */
export type OpenUpdateDuty = At & { readonly kind: 'open-update-duty'; readonly trigger: UpdateTrigger; readonly triggerEventId: string };
/** Sent by the timer service: every open duty past its deadline at `now` is recorded as missed, once. */
export type CheckDeadlines = About & { readonly kind: 'check-deadlines'; readonly now: string };
/** Sent by the timer service: a period of the agreed update frequency past its end at `now` with no update is recorded, once. */
export type CheckAgreedUpdate = About & { readonly kind: 'check-agreed-update'; readonly now: string };
/** Sent by the process manager when the case closes (or the victim opts out of updates). */
export type CloseDuties = At & { readonly kind: 'close-duties'; readonly reason: DutyClosureReason };

// ---- the victim's evidence (evidence.decider.ts, docs/evidence-and-court.md) ----
export type PlanAbeInterview = At & {
  readonly kind: 'plan-abe-interview';
  readonly interviewId: string;
  readonly plannedFor: string;
  readonly withIntermediary: boolean;
};
/** `at` is when the interview was conducted. */
export type RecordAbeInterview = At & {
  readonly kind: 'record-abe-interview';
  readonly interviewId: string;
  readonly recordingReference: string;
};
export type ReferForForensicExamination = At & {
  readonly kind: 'refer-for-forensic-examination';
  readonly examinationId: string;
  readonly sarc: { readonly name: string; readonly serviceKind: SarcKind };
};
/** `at` is when the examination took place; consent is recorded before it. */
export type RecordForensicExamination = At & {
  readonly kind: 'record-forensic-examination';
  readonly examinationId: string;
  readonly consentedTo: readonly ForensicConsent[];
  readonly consentRecordedAt: string;
};
export type DeclineForensicExamination = At & { readonly kind: 'decline-forensic-examination'; readonly examinationId: string };
export type ApplyForSpecialMeasures = At & {
  readonly kind: 'apply-for-special-measures';
  readonly applicationId: string;
  readonly measures: readonly SpecialMeasure[];
  /** Grounds beyond s17(4), which every complainant of a sexual offence has. */
  readonly grounds?: readonly SpecialMeasuresEligibility[];
};
export type RecordSpecialMeasuresDecision = At & {
  readonly kind: 'record-special-measures-decision';
  readonly applicationId: string;
  readonly granted: readonly SpecialMeasure[];
  readonly refused: readonly SpecialMeasure[];
};
export type OrderPreRecordedCrossExamination = At & { readonly kind: 'order-pre-recorded-cross-examination'; readonly hearingDate: string };
export type RecordPreRecordedCrossExamination = At & {
  readonly kind: 'record-pre-recorded-cross-examination';
  readonly recordingReference: string;
};

export type EvidenceCommand =
  | PlanAbeInterview
  | RecordAbeInterview
  | ReferForForensicExamination
  | RecordForensicExamination
  | DeclineForensicExamination
  | ApplyForSpecialMeasures
  | RecordSpecialMeasuresDecision
  | OrderPreRecordedCrossExamination
  | RecordPreRecordedCrossExamination;

export type EngagementCommand =
  MakeFirstContact | RecordEnhancedRights | CompleteNeedsAssessment | ReferToIsva | ReferToSupportService | AgreeContactPreferences;
export type SupportCommand =
  RequestSpecialMeasures | OfferVps | TakeVps | DeclineVps | SendLetter | WithdrawSupport | ReEngage | MakeComplaint;
export type UpdateDutyCommand = GiveUpdate | OpenUpdateDuty | CheckDeadlines | CheckAgreedUpdate | CloseDuties;

export type VictimCommand = EngagementCommand | SupportCommand | UpdateDutyCommand | EvidenceCommand;
