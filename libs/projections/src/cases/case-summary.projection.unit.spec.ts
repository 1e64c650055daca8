import { CASE_EVENTS, CaseEventTypes as T, SupersededCaseEventTypes, type RecordedEvent } from '#contracts';
import { testMetadata } from '#testing';
import { CASE_SUMMARY_EVENTS, evolveCaseSummary } from './case-summary.projection.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
let revision = 0n;
function recorded(type: string, data: object): RecordedEvent {
  const event = { id: caseId, streamId: `case-${caseId}`, revision, position: revision + 1n, type, data: { caseId, ...data }, metadata: testMetadata(), recordedAt: '2026-11-03T09:00:00Z' };
  revision += 1n;
  return event;
}

describe(evolveCaseSummary.name, () => {
  beforeEach(() => {
    revision = 0n;
  });

  it('handles every case event of the catalogue, the superseded v1 included', () => {
    expect([...CASE_SUMMARY_EVENTS].sort()).toEqual(CASE_EVENTS.map((e) => e.type).sort());
    for (const entry of CASE_EVENTS) {
      expect(() => evolveCaseSummary(null, recorded(entry.type, entry.example))).not.toThrow();
    }
  });

  it('follows a case from N100 report through cancellation', () => {
    const rows = [
      recorded(T.ReportReceived, { n100Reference: 'AS/N100/1', reportedAt: '2026-11-02T21:14:00Z', receivedAt: '2026-11-02T21:20:00Z' }),
      recorded(T.RecordingCancelled, { stage: 'report', reason: 'duplicate-record', cancelledAt: '2026-11-04T10:00:00Z' }),
    ].reduce(evolveCaseSummary, null as never);
    expect(rows).toMatchObject({ status: 'cancelled', reportedAt: new Date('2026-11-02T21:14:00Z'), closedAt: new Date('2026-11-04T10:00:00Z'), lastRevision: '1' });
  });

  it('projects a stored v1 as v2 and reopens a closed case', () => {
    const events = [
      recorded(SupersededCaseEventTypes.CrimeRecordedV1, { crimeReference: 'AS/26/1', offence: 'sexual-assault', reportedAt: '2026-11-02T21:14:00Z', recordedAt: '2026-11-03T08:30:00Z' }),
      recorded(T.InvestigationOpened, { openedAt: '2026-11-03T09:00:00Z' }),
      recorded(T.OutcomeRecorded, { outcomeCode: 18, recordedAt: '2027-01-01T09:00:00Z' }),
      recorded(T.CaseReopened, { reason: 'new-evidence', previousOutcomeCode: 18, reopenedAt: '2027-02-01T09:00:00Z' }),
    ];
    const row = events.reduce(evolveCaseSummary, null as never);
    expect(row).toMatchObject({ status: 'under-investigation', crimeReference: 'AS/26/1', offence: 'sexual-assault', outcomeCode: null, closedAt: null });
    expect(row.timeline.map((t) => t.type)).toEqual([T.CrimeRecorded, T.InvestigationOpened, T.OutcomeRecorded, T.CaseReopened]);
  });
});
