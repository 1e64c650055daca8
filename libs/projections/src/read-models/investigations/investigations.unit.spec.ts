import { CASE_EVENTS, CaseEventTypes as C, type RecordedEvent } from '#contracts';
import { testMetadata } from '#testing';
import { buildTables } from '../../builds.js';
import { createTableSql } from '../table-spec.js';
import { evolveInvestigation, timelineRows } from './investigations.fold.js';
import { INVESTIGATION_DETAIL_VIEW, INVESTIGATIONS } from './investigations.table.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
let revision = 0n;
function recorded(type: string, data: object): RecordedEvent {
  const event = {
    id: caseId,
    streamId: `case-${caseId}`,
    revision,
    position: revision + 1n,
    type,
    data: { caseId, ...data },
    metadata: testMetadata(),
    recordedAt: '2026-11-03T09:00:00Z',
  };
  revision += 1n;
  return event;
}

describe('investigations read model', () => {
  beforeEach(() => {
    revision = 0n;
  });

  it('folds every case event of the catalogue, and puts each on the timeline', () => {
    const events = CASE_EVENTS.map((entry) => recorded(entry.type, entry.example));
    expect(() => events.reduce(evolveInvestigation, null)).not.toThrow();
    expect(timelineRows(events).map((r) => r.eventType)).toEqual(events.map((e) => e.type));
  });

  it('follows a case from its opening to its outcome and its reopening', () => {
    const row = [
      recorded(C.InvestigationOpened, { openedAt: '2026-11-03T10:00:00Z' }),
      recorded(C.OutcomeRecorded, { outcomeCode: 1, recordedAt: '2026-12-01T10:00:00Z' }),
      recorded(C.CaseReopened, {}),
    ].reduce(evolveInvestigation, null);
    expect(row).toMatchObject({
      status: 'under-investigation',
      openedAt: '2026-11-03T10:00:00Z',
      outcomeCode: null,
      closedAt: null,
      reopenedCount: 1,
    });
  });

  it('derives its table and its detail view from one column declaration', () => {
    const ddl = createTableSql(buildTables('force_test', 1), INVESTIGATIONS)[0]!;
    expect(ddl).toContain('outcome_code integer');
    expect(Object.keys(INVESTIGATION_DETAIL_VIEW.properties!)).toEqual([...Object.keys(INVESTIGATIONS.declared), 'timeline']);
    expect(INVESTIGATION_DETAIL_VIEW.properties!['status']!.enum).toEqual([
      'reported',
      'recorded',
      'under-investigation',
      'closed',
      'cancelled',
    ]);
  });
});
