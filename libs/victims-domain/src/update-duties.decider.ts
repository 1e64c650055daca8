import { assertNever, type ModelInForce, type VictimEvent, VictimEventTypes as T } from '#contracts';
import { instantMs } from '#calendar';
import { agreedUpdateDueBy, updateDeadline } from './update-deadline.js';
import type { CloseDuties, GiveUpdate, OpenUpdateDuty, UpdateDutyCommand } from './victim.commands.js';
import { refuse } from './victim.errors.js';
import { requireAgreedChannel, requireInstant, requireVictim } from './victim.guards.js';
import { openDuties, type UpdateDuty, type VictimState } from './victim.state.js';

/**
 * Victims' Code right 6 as timers. Each duty is identified by the event that triggered it, and everything its
 * timer needs (the deadline) is in the duty-opened event, so a fold of the stream re-arms every open timer.
 */
export function decideUpdateDuties(command: UpdateDutyCommand, state: VictimState, model: ModelInForce): VictimEvent[] {
  requireVictim(command, state);
  switch (command.kind) {
    case 'open-update-duty':
      return openUpdateDuty(command, state, model);
    case 'give-update':
      return giveUpdate(command, state);
    case 'check-deadlines':
      requireInstant(command.now, 'now');
      return missedBy(command.now, command, state);
    case 'check-agreed-update':
      requireInstant(command.now, 'now');
      return agreedUpdateMissed(command.now, state);
    case 'close-duties':
      return closeDuties(command, state);
    default:
      return assertNever(command);
  }
}

/** The deadline is the one of the operating model in force when the trigger happened; a duty keeps it once opened. */
function openUpdateDuty(command: OpenUpdateDuty, state: VictimState, model: ModelInForce): VictimEvent[] {
  requireInstant(command.at, 'at');
  // The process manager delivers at least once: a trigger already seen opens nothing new.
  if (state.duties.some((d) => d.triggerEventId === command.triggerEventId)) return [];
  const enhancedRights = state.enhancedRights.length > 0;
  return [
    {
      type: T.UpdateDutyOpened,
      data: {
        caseId: command.caseId,
        victimId: command.victimId,
        trigger: command.trigger,
        triggerEventId: command.triggerEventId,
        triggeredAt: command.at,
        enhancedRights,
        ...updateDeadline(command.at, enhancedRights, model.rules.victimUpdateDeadline),
      },
    },
  ];
}

/**
 * Every update is recorded. One that names a trigger must be about that trigger, and discharges its duty if
 * still open: on time if given no later than the deadline, late otherwise (also after a recorded miss).
 */
function giveUpdate(command: GiveUpdate, state: VictimState): VictimEvent[] {
  requireAgreedChannel(state, command.channel);
  const ids = { caseId: command.caseId, victimId: command.victimId };
  const given: VictimEvent = {
    type: T.UpdateGiven,
    data: {
      ...ids,
      about: command.about,
      channel: command.channel,
      ...(command.triggerEventId === undefined ? {} : { triggerEventId: command.triggerEventId }),
      ...(command.summary === undefined ? {} : { summary: command.summary }),
      givenAt: command.at,
    },
  };
  if (command.triggerEventId === undefined) return [given];
  const duty = state.duties.find((d) => d.triggerEventId === command.triggerEventId);
  if (!duty) refuse('unknown-update-duty', `no update duty was opened by event ${command.triggerEventId}`);
  if (duty.trigger !== command.about) {
    refuse('update-does-not-match-duty', `the duty is for ${duty.trigger}; this update is about ${command.about}`);
  }
  requireInstant(command.at, 'at');
  if (duty.status !== 'open') return [given];
  const onTime = instantMs(command.at) <= instantMs(duty.dueBy);
  return [
    given,
    { type: T.UpdateDutyMet, data: { ...ids, triggerEventId: duty.triggerEventId, dueBy: duty.dueBy, metAt: command.at, onTime } },
  ];
}

const overdue = (duty: UpdateDuty, now: string): boolean => !duty.missed && instantMs(now) > instantMs(duty.dueBy);

/** A missed deadline is recorded once per duty, by whichever check first sees it passed. */
function missedBy(now: string, command: { caseId: string; victimId: string }, state: VictimState): VictimEvent[] {
  return openDuties(state)
    .filter((duty) => overdue(duty, now))
    .map((duty) => ({
      type: T.UpdateDeadlineMissed,
      data: {
        caseId: command.caseId,
        victimId: command.victimId,
        triggerEventId: duty.triggerEventId,
        trigger: duty.trigger,
        dueBy: duty.dueBy,
        detectedAt: now,
      },
    }));
}

/**
 * Closes every open duty. A deadline that had already passed unnoticed (no check ran since) is recorded as
 * missed first: closing the case must never hide a breach of the Code.
 */
function closeDuties(command: CloseDuties, state: VictimState): VictimEvent[] {
  requireInstant(command.at, 'at');
  const closed: VictimEvent[] = openDuties(state).map((duty) => ({
    type: T.UpdateDutyClosed,
    data: {
      caseId: command.caseId,
      victimId: command.victimId,
      triggerEventId: duty.triggerEventId,
      reason: command.reason,
      closedAt: command.at,
    },
  }));
  return [...missedBy(command.at, command, state), ...closed];
}

/**
 * The recurring timer of the agreed update frequency: a period past its end at `now` with no update given to the victim
 * is recorded once, and the next period starts at its end (a timer firing late records one period at a time).
 */
function agreedUpdateMissed(now: string, state: VictimState): VictimEvent[] {
  const agreed = state.agreedUpdate;
  if (!agreed || state.caseId === undefined || state.victimId === undefined) return [];
  const dueBy = agreedUpdateDueBy(agreed.since, agreed.everyDays);
  if (instantMs(now) <= instantMs(dueBy)) return [];
  const { caseId, victimId } = state;
  return [
    {
      type: T.AgreedUpdateMissed,
      data: { caseId, victimId, everyDays: agreed.everyDays, periodStartedAt: agreed.since, dueBy, detectedAt: now },
    },
  ];
}
