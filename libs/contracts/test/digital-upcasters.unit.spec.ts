import { CaseEventTypes, SupersededCaseEventTypes, catalogueEntry, upcast, validateEvent, type RecordedEvent } from '../src/index.js';

/** A stored v1 event (personal fields as the store holds them: tokens bound to this event's id and their pointer). */
function stored(type: string, data: object): RecordedEvent {
  return {
    id: '0f3b8a52-7c1d-4e9a-9b6f-2d4c5e6f7a81',
    streamId: 'case-3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60',
    revision: 3n,
    position: 1042n,
    type,
    data,
    metadata: {
      force: 'avon-somerset',
      occurredAt: '2026-11-04T12:00:00Z',
      correlationId: '1b0c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      causationId: '1b0c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      actor: 'AS-4471',
      modelVersion: '2026.1',
      classification: 'OFFICIAL-SENSITIVE',
    },
    recordedAt: '2026-11-04T12:00:01Z',
  };
}
const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';

describe('the digital material upcasters (docs/digital-material.md)', () => {
  it('reads a stored device-extraction-requested v1 as v2, its data as stored (the new notice parts absent)', () => {
    const data = {
      caseId,
      extractionId: '6d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a',
      deviceOwner: 'victim',
      scope: { from: '2026-10-30', to: '2026-11-02', dataCategories: ['messages'] },
      notice: { whatIsSought: 'Messages with the suspect.', why: 'They may show the arrangements made.' },
      requestedAt: '2026-11-04T12:00:00Z',
    };
    const v1 = stored(SupersededCaseEventTypes.DeviceExtractionRequestedV1, data);
    const current = upcast(v1);
    expect(current).toEqual({ ...v1, type: CaseEventTypes.DeviceExtractionRequested });
    expect(current.type).toBe('uk.police.nom.cases.device-extraction-requested.v2');
    expect(validateEvent(v1)).toEqual([]);
    expect(validateEvent(current)).toEqual([]);
  });

  it('reads a stored third-party-material-requested v1 as v2 (necessity and victimToldAt absent)', () => {
    const data = { caseId, requestId: 'b4c5d6e7-f8a9-4b0c-9d1e-2f3a4b5c6d7e', holder: 'counselling', requestedAt: '2026-11-12T10:00:00Z' };
    const v1 = stored(SupersededCaseEventTypes.ThirdPartyMaterialRequestedV1, data);
    const current = upcast(v1);
    expect(current).toEqual({ ...v1, type: CaseEventTypes.ThirdPartyMaterialRequested });
    expect(validateEvent(current)).toEqual([]);
  });

  it('keeps the personal fields of v1 at the same pointers in v2, so their tokens still decrypt', () => {
    const v1 = catalogueEntry(SupersededCaseEventTypes.DeviceExtractionRequestedV1)!;
    const v2 = catalogueEntry(CaseEventTypes.DeviceExtractionRequested)!;
    expect(v2.personalFields).toEqual(expect.arrayContaining([...v1.personalFields]));
    const t1 = catalogueEntry(SupersededCaseEventTypes.ThirdPartyMaterialRequestedV1)!;
    const t2 = catalogueEntry(CaseEventTypes.ThirdPartyMaterialRequested)!;
    expect(t2.personalFields).toEqual(expect.arrayContaining([...t1.personalFields]));
    expect(v1.summary).toMatch(/superseded by device-extraction-requested\.v2/);
    expect(t1.summary).toMatch(/superseded by third-party-material-requested\.v2/);
  });
});
