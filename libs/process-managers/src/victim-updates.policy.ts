import {
  CaseEventTypes,
  isSuspectEventType,
  SuspectEventTypes,
  VictimEventTypes,
  victimUpdateTrigger,
  victimUpdateTriggeredAt,
  type RecordedEvent,
  type SuspectEvent,
  type UpdateTrigger,
  type VictimUpdateTrigger,
} from '#contracts';
import type { CaseCommand } from '#cases-domain';
import type { VictimCommand } from '#victims-domain';

/**
 * The Victims' Code update policy between contexts, as a pure function of one event (DESIGN.md: reactions are
 * explicit): a suspect arrested, interviewed, charged, released, bailed, released under investigation or with bail
 * conditions changed, an outcome other than charge (no further action) and a decision not to investigate, open an
 * update duty for every victim
 * of the case; nothing closes a duty but its update or its missed deadline; a suspect identified is linked to the
 * case. The runtime
 * keeps the links and timers this asks for, and sends the commands.
 */
export type Reaction =
  | { readonly kind: 'link-victim'; readonly caseId: string; readonly victimId: string }
  | {
      readonly kind: 'timer-set';
      readonly caseId: string;
      readonly victimId: string;
      readonly triggerEventId: string;
      readonly dueBy: string;
    }
  | { readonly kind: 'timer-cleared'; readonly victimId: string; readonly triggerEventId: string }
  | { readonly kind: 'command-victims'; readonly caseId: string; readonly command: (victimId: string) => VictimCommand }
  | { readonly kind: 'command-case'; readonly command: CaseCommand };

const TRIGGERS: Record<VictimUpdateTrigger, UpdateTrigger> = {
  arrested: 'suspect-arrested',
  interviewed: 'suspect-interviewed',
  released: 'suspect-released',
  bailed: 'suspect-bailed',
  'released-under-investigation': 'suspect-released-under-investigation',
  'bail-conditions-changed': 'bail-conditions-changed',
  charged: 'suspect-charged',
  'bail-cancelled': 'bail-cancelled',
  'bail-lapsed': 'bail-lapsed',
  verdict: 'court-verdict',
  discontinued: 'prosecution-discontinued',
};

interface VictimRef {
  readonly caseId: string;
  readonly victimId: string;
  readonly triggerEventId: string;
  readonly dueBy: string;
}

export function reactTo(event: RecordedEvent): Reaction | undefined {
  const data = event.data as Partial<VictimRef> & { caseId?: string };
  switch (event.type) {
    case VictimEventTypes.FirstContactMade:
      return { kind: 'link-victim', caseId: data.caseId!, victimId: data.victimId! };
    case VictimEventTypes.UpdateDutyOpened:
      return {
        kind: 'timer-set',
        caseId: data.caseId!,
        victimId: data.victimId!,
        triggerEventId: data.triggerEventId!,
        dueBy: data.dueBy!,
      };
    case VictimEventTypes.UpdateDutyMet:
    case VictimEventTypes.UpdateDeadlineMissed:
    case VictimEventTypes.UpdateDutyClosed:
      return { kind: 'timer-cleared', victimId: data.victimId!, triggerEventId: data.triggerEventId! };
    case CaseEventTypes.OutcomeRecorded: {
      // An outcome closes no duty: each open one is still met or missed (issue 13). An outcome other than charge
      // is a decision to take no further action, which the victim must be told of, with the reasons, in time; a
      // charge (outcome 1) was already a duty of its own, opened by the suspect's charge.
      const { outcomeCode, recordedAt } = event.data as { outcomeCode: number; recordedAt: string };
      if (outcomeCode === 1) return undefined;
      return dutyForEveryVictim(data.caseId!, 'no-further-action', event.id, recordedAt);
    }
    case CaseEventTypes.DecidedNotToInvestigate:
      // A decision not to investigate is told to the victim, with the reasons, within the deadline (right 6).
      return dutyForEveryVictim(data.caseId!, 'decision-not-to-investigate', event.id, (event.data as { decidedAt: string }).decidedAt);
    case SuspectEventTypes.SuspectIdentified: {
      // The case learns of its suspect, so that outcomes needing a suspect and charging files can follow.
      const { suspectId } = event.data as { suspectId: string };
      return { kind: 'command-case', command: { kind: 'link-suspect', caseId: data.caseId!, suspectId, at: event.metadata.occurredAt } };
    }
    default: {
      if (!isSuspectEventType(event.type)) return undefined;
      const trigger = victimUpdateTrigger({ type: event.type });
      if (!trigger) return undefined;
      // The deadline runs from when the trigger happened as the event states it, not from when it was recorded
      // (an arrest entered on Monday morning for Friday night) nor from when this runs (a catch-up after an outage).
      const at = victimUpdateTriggeredAt(event as unknown as SuspectEvent) ?? event.metadata.occurredAt;
      return {
        kind: 'command-victims',
        caseId: data.caseId!,
        command: (victimId) => ({
          kind: 'open-update-duty',
          caseId: data.caseId!,
          victimId,
          trigger: TRIGGERS[trigger],
          triggerEventId: event.id,
          at,
        }),
      };
    }
  }
}

/** An update duty for every victim of the case, opened by the event `triggerEventId` as of `at`. */
function dutyForEveryVictim(caseId: string, trigger: UpdateTrigger, triggerEventId: string, at: string): Reaction {
  return {
    kind: 'command-victims',
    caseId,
    command: (victimId) => ({ kind: 'open-update-duty', caseId, victimId, trigger, triggerEventId, at }),
  };
}
