import { CaseEventTypes as T, type CaseEvent, type CrimeRecordedData } from '#contracts';
import { specFor } from '#testing';
import { caseDecider } from '../src/index.js';

/** Shared given-when-then fixtures: one case moving through its lifecycle. */
export const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
export const suspectId = '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f';
export const extractionId = '6d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a';
export const lineA = '8a9b0c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d';
export const lineB = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
export const reportedAt = '2026-11-02T21:14:00.000Z';
export const at = '2026-11-03T09:00:00.000Z';
export const spec = specFor(caseDecider);

export const reported: CaseEvent = {
  type: T.ReportReceived,
  data: { caseId, n100Reference: 'AS/N100/26/00871', reportedAt, receivedAt: reportedAt },
};
export const crime: CrimeRecordedData = {
  caseId,
  crimeReference: 'AS/26/004211',
  offence: 'rape-of-female-16-plus',
  offenceCode: '19C',
  n100Reference: null,
  reportedAt,
  recordedAt: at,
};
export const recorded: CaseEvent = { type: T.CrimeRecorded, data: crime };
export const cancelled: CaseEvent = {
  type: T.RecordingCancelled,
  data: { caseId, stage: 'crime', reason: 'duplicate-record', cancelledAt: at },
};
export const opened: CaseEvent = { type: T.InvestigationOpened, data: { caseId, openedAt: at } };
export const investigator: CaseEvent = { type: T.InvestigatorAssigned, data: { caseId, officerId: 'AS-1', assignedAt: at } };
export const supervisor: CaseEvent = { type: T.SupervisorAssigned, data: { caseId, officerId: 'AS-9', assignedAt: at } };
export const linked: CaseEvent = { type: T.SuspectLinked, data: { caseId, suspectId, linkedAt: at } };
export const closed: CaseEvent = { type: T.OutcomeRecorded, data: { caseId, outcomeCode: 14, recordedAt: at } };

/** A case under investigation. */
export const open: CaseEvent[] = [recorded, opened];
