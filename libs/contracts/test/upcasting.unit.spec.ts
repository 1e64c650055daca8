import { CaseEventTypes, SupersededCaseEventTypes, catalogueEntry, upcast, validateEvent, type RecordedEvent } from '../src/index.js';

/** A v1 event exactly as the store's row holds it (`data` and `metadata` are jsonb; revision and position bigint). */
const storedRow = {
  event_id: '0f3b8a52-7c1d-4e9a-9b6f-2d4c5e6f7a81',
  stream_id: 'case-3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60',
  revision: '0',
  position: '1042',
  type: 'uk.police.nom.cases.crime-recorded.v1',
  data: '{"caseId":"3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60","crimeReference":"AS/26/004211","offence":"rape-of-female-16-plus","reportedAt":"2026-11-02T21:14:00Z","recordedAt":"2026-11-03T08:30:00Z"}',
  metadata:
    '{"force":"avon-somerset","occurredAt":"2026-11-03T08:30:00Z","correlationId":"1b0c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e","causationId":"1b0c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e","actor":"AS-4471","modelVersion":"2026.1","classification":"OFFICIAL-SENSITIVE"}',
  recorded_at: '2026-11-03T08:30:01.123Z',
};

function fromRow(row: typeof storedRow, data = row.data): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    type: row.type,
    data: JSON.parse(data) as unknown,
    metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
    recordedAt: row.recorded_at,
  };
}

describe(upcast.name, () => {
  it('turns a stored crime-recorded v1 into v2: the group determines the code, no N100 incident', () => {
    const stored = fromRow(storedRow);
    const current = upcast(stored);
    expect(current).toEqual({
      ...stored,
      type: CaseEventTypes.CrimeRecorded,
      data: {
        caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60',
        crimeReference: 'AS/26/004211',
        offence: 'rape-of-female-16-plus',
        offenceCode: '19C',
        n100Reference: null,
        reportedAt: '2026-11-02T21:14:00Z',
        recordedAt: '2026-11-03T08:30:00Z',
      },
    });
    expect(validateEvent(current)).toEqual([]);
  });

  it('leaves the code null when the v1 group spans several codes', () => {
    const data = storedRow.data.replace('rape-of-female-16-plus', 'sexual-assault');
    const current = upcast(fromRow(storedRow, data));
    expect(current.data).toMatchObject({ offence: 'sexual-assault', offenceCode: null, n100Reference: null });
    expect(validateEvent(current)).toEqual([]);
  });

  it('keeps identity, position and metadata as stored', () => {
    const current = upcast(fromRow(storedRow));
    expect(current).toMatchObject({ id: storedRow.event_id, streamId: storedRow.stream_id, revision: 0n, position: 1042n });
  });

  it('returns a current event as it is', () => {
    const current = upcast(fromRow(storedRow));
    expect(upcast(current)).toBe(current);
  });

  it('the stored v1 is still valid against the catalogue, which marks it superseded', () => {
    expect(validateEvent(fromRow(storedRow))).toEqual([]);
    expect(catalogueEntry(SupersededCaseEventTypes.CrimeRecordedV1)?.summary).toMatch(/superseded by crime-recorded\.v2/);
  });
});
