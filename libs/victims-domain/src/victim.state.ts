import {
  assertNever,
  type ContactChannel,
  type EnhancedRightsCategory,
  type LetterKind,
  type SpecialMeasure,
  type UpdateTrigger,
  type VictimEvent,
  VictimEventTypes as T,
} from '#contracts';
import { evolveEvidence, initialEvidenceState, type EvidenceState } from './evidence.state.js';

/** A Victims' Code update duty as the fold sees it: enough to rebuild its timer after a restart. */
export interface UpdateDuty {
  readonly triggerEventId: string;
  readonly trigger: UpdateTrigger;
  readonly dueBy: string;
  readonly status: 'open' | 'met' | 'closed';
  /** The missed deadline has been recorded (once only). */
  readonly missed: boolean;
}

export interface VictimState {
  readonly status: 'unknown' | 'engaged' | 'withdrawn';
  readonly caseId?: string;
  readonly victimId?: string;
  readonly enhancedRights: readonly EnhancedRightsCategory[];
  readonly isvaReferred: boolean;
  /** `service|organisation` of every support referral. */
  readonly referrals: readonly string[];
  /** Undefined until preferences are agreed; then updates and letters must use these. */
  readonly agreedChannels?: readonly ContactChannel[];
  /** The update frequency agreed with the victim, and when its current period began (the recurring timer). */
  readonly agreedUpdate?: { readonly everyDays: number; readonly since: string };
  readonly specialMeasures: readonly SpecialMeasure[];
  readonly vps: 'none' | 'offered' | 'taken' | 'declined';
  readonly lettersSent: readonly LetterKind[];
  readonly duties: readonly UpdateDuty[];
  /** ABE interviews, forensic examinations, special measures at court, s28 (evidence.state.ts). */
  readonly evidence: EvidenceState;
}

export const initialVictimState: VictimState = {
  status: 'unknown',
  enhancedRights: [],
  isvaReferred: false,
  referrals: [],
  specialMeasures: [],
  vps: 'none',
  lettersSent: [],
  duties: [],
  evidence: initialEvidenceState,
};

export function referralKey(service: string, organisation: string): string {
  return `${service}|${organisation.trim().toLowerCase()}`;
}

function withDuty(state: VictimState, triggerEventId: string, change: Partial<UpdateDuty>): VictimState {
  return { ...state, duties: state.duties.map((d) => (d.triggerEventId === triggerEventId ? { ...d, ...change } : d)) };
}

const union = <V>(known: readonly V[], more: readonly V[]): V[] => [...known, ...more.filter((v) => !known.includes(v))];

export function evolve(state: VictimState, event: VictimEvent): VictimState {
  switch (event.type) {
    case T.FirstContactMade:
      return { ...state, status: 'engaged', caseId: event.data.caseId, victimId: event.data.victimId };
    case T.EnhancedRightsRecorded:
      return { ...state, enhancedRights: union(state.enhancedRights, event.data.categories) };
    case T.NeedsAssessmentCompleted:
      return state;
    case T.ReferredToIsva:
      return { ...state, isvaReferred: true };
    case T.ReferredToSupportService:
      return { ...state, referrals: [...state.referrals, referralKey(event.data.service, event.data.organisation)] };
    case T.ContactPreferencesAgreed: {
      const { channels, updateEveryDays: everyDays, agreedAt } = event.data;
      return { ...state, agreedChannels: channels, agreedUpdate: everyDays === undefined ? undefined : { everyDays, since: agreedAt } };
    }
    case T.AgreedUpdateMissed:
      return state.agreedUpdate ? { ...state, agreedUpdate: { ...state.agreedUpdate, since: event.data.dueBy } } : state;
    case T.SpecialMeasuresRequested:
      return { ...state, specialMeasures: union(state.specialMeasures, event.data.measures) };
    case T.VpsOffered:
      return { ...state, vps: 'offered' };
    case T.VpsTaken:
      return { ...state, vps: 'taken' };
    case T.VpsDeclined:
      return { ...state, vps: 'declined' };
    case T.UpdateGiven: {
      // Any update to the victim starts a new period of the agreed frequency.
      const given = event.data.givenAt;
      const agreed = state.agreedUpdate;
      return agreed && Date.parse(given) > Date.parse(agreed.since) ? { ...state, agreedUpdate: { ...agreed, since: given } } : state;
    }
    case T.LetterSent:
      return { ...state, lettersSent: union(state.lettersSent, [event.data.letter]) };
    case T.SupportWithdrawn:
      return { ...state, status: 'withdrawn' };
    case T.ReEngaged:
      return { ...state, status: 'engaged' };
    case T.ComplaintMade:
      return state;
    case T.UpdateDutyOpened: {
      const { triggerEventId, trigger, dueBy } = event.data;
      const duties = [...state.duties, { triggerEventId, trigger, dueBy, status: 'open' as const, missed: false }];
      return { ...state, duties, evidence: evolveEvidence(state.evidence, event) };
    }
    case T.UpdateDutyMet:
      return withDuty(state, event.data.triggerEventId, { status: 'met' });
    case T.UpdateDeadlineMissed:
      return withDuty(state, event.data.triggerEventId, { missed: true });
    case T.UpdateDutyClosed:
      return withDuty(state, event.data.triggerEventId, { status: 'closed' });
    case T.AbeInterviewPlanned:
    case T.AbeInterviewConducted:
    case T.ForensicExaminationReferred:
    case T.ForensicExaminationCompleted:
    case T.ForensicExaminationDeclined:
    case T.SpecialMeasuresAppliedFor:
    case T.SpecialMeasuresDecided:
    case T.PreRecordedCrossExaminationOrdered:
    case T.PreRecordedCrossExaminationRecorded:
      return { ...state, evidence: evolveEvidence(state.evidence, event) };
    default:
      return assertNever(event);
  }
}

/** The open update duties (timers) of a folded stream, oldest first: what the timer service re-arms on start. */
export function openDuties(state: VictimState): readonly UpdateDuty[] {
  return state.duties.filter((d) => d.status === 'open');
}
