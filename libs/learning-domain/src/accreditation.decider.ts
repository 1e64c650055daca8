import { LearningEventTypes as T, type OfficerDevelopmentEvent } from '#contracts';
import type { OfficerDevelopmentCommand } from './officer-development.commands.js';
import { refuseOfficerCommand as refuse } from './officer-development.errors.js';
import type { OfficerDevelopmentState } from './officer-development.state.js';

type Command<K extends OfficerDevelopmentCommand['kind']> = Extract<OfficerDevelopmentCommand, { kind: K }>;

export function enrolOnAccreditation(
  command: Command<'enrol-on-accreditation'>,
  state: OfficerDevelopmentState,
): OfficerDevelopmentEvent[] {
  const { officerId, programme, at } = command;
  const status = state.accreditations[programme];
  if (status === 'enrolled') refuse('already-enrolled', `${officerId} is already enrolled on ${programme}`);
  if (status === 'accredited') refuse('already-accredited', `${officerId} already holds ${programme}`);
  return [{ type: T.AccreditationEnrolled, data: { officerId, programme, enrolledAt: at } }];
}

export function achieveAccreditation(command: Command<'achieve-accreditation'>, state: OfficerDevelopmentState): OfficerDevelopmentEvent[] {
  const { officerId, programme, at } = command;
  const status = state.accreditations[programme];
  if (status === 'accredited') refuse('already-accredited', `${officerId} already holds ${programme}`);
  if (status !== 'enrolled') refuse('not-enrolled', `${officerId} is not enrolled on ${programme}`);
  return [{ type: T.AccreditationAchieved, data: { officerId, programme, achievedAt: at } }];
}

export function lapseAccreditation(command: Command<'lapse-accreditation'>, state: OfficerDevelopmentState): OfficerDevelopmentEvent[] {
  const { officerId, programme, reason, at } = command;
  if (state.accreditations[programme] !== 'accredited') refuse('not-accredited', `${officerId} does not hold ${programme}`);
  return [{ type: T.AccreditationLapsed, data: { officerId, programme, reason, lapsedAt: at } }];
}
