import { CaseEventTypes, outcomeType, type CaseEvent } from '#contracts';
import type { CaseCommand } from './case.commands.js';
import { CaseCommandRefused } from './case.errors.js';

export type CaseStatus = 'none' | 'recorded' | 'under-investigation' | 'closed';

export interface CaseState {
  readonly status: CaseStatus;
  readonly caseId?: string;
  readonly crimeReference?: string;
  readonly investigatorId?: string;
  readonly outcomeCode?: number;
}

export const initialCaseState: CaseState = { status: 'none' };

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

function refuse(refusal: ConstructorParameters<typeof CaseCommandRefused>[0], message: string, field?: string): never {
  throw new CaseCommandRefused(refusal, message, field);
}

function requireOpen(state: CaseState): void {
  if (state.status === 'none') refuse('case-not-found', 'no such case');
  if (state.status === 'closed') refuse('case-closed', `the case is closed with outcome ${String(state.outcomeCode)}`);
  if (state.status !== 'under-investigation') refuse('investigation-not-open', 'no investigation is open on this case');
}

export function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  switch (command.kind) {
    case 'record-crime':
      if (state.status !== 'none') refuse('case-already-recorded', 'this case is already recorded');
      return [
        {
          type: CaseEventTypes.CrimeRecorded,
          data: {
            caseId: command.caseId,
            crimeReference: command.crimeReference,
            offence: command.offence,
            reportedAt: command.reportedAt,
            recordedAt: command.at,
          },
        },
      ];
    case 'open-investigation':
      if (state.status === 'none') refuse('case-not-found', 'no such case');
      if (state.status === 'under-investigation') refuse('investigation-already-open', 'an investigation is already open');
      if (state.status === 'closed') refuse('case-closed', 'the case is closed');
      return [{ type: CaseEventTypes.InvestigationOpened, data: { caseId: command.caseId, openedAt: command.at } }];
    case 'assign-investigator':
      requireOpen(state);
      // Assigning the officer already in the case is a retry, not a new fact.
      if (state.investigatorId === command.officerId) return [];
      return [
        {
          type: CaseEventTypes.InvestigatorAssigned,
          data: { caseId: command.caseId, officerId: command.officerId, assignedAt: command.at },
        },
      ];
    case 'record-outcome':
      if (!outcomeType(command.outcomeCode)) {
        refuse('unknown-outcome-code', `${command.outcomeCode} is not a Home Office outcome type (1-18, 20-22)`, 'outcomeCode');
      }
      requireOpen(state);
      return [
        {
          type: CaseEventTypes.OutcomeRecorded,
          data: { caseId: command.caseId, outcomeCode: command.outcomeCode, recordedAt: command.at },
        },
      ];
    default:
      return assertNever(command);
  }
}

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case CaseEventTypes.CrimeRecorded:
      return { status: 'recorded', caseId: event.data.caseId, crimeReference: event.data.crimeReference };
    case CaseEventTypes.InvestigationOpened:
      return { ...state, status: 'under-investigation' };
    case CaseEventTypes.InvestigatorAssigned:
      return { ...state, investigatorId: event.data.officerId };
    case CaseEventTypes.OutcomeRecorded:
      return { ...state, status: 'closed', outcomeCode: event.data.outcomeCode };
    default:
      return assertNever(event);
  }
}

export const caseDecider = { decide, evolve, initialState: initialCaseState };

/** Stream id of a case: the context and the case id. The owning force is kept by the store per stream. */
export function caseStreamId(caseId: string): string {
  return `case-${caseId}`;
}
