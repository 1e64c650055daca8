import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CaseEventTypes as T, SuspectEventTypes, SupersededCaseEventTypes, type RecordedEvent } from '#contracts';
import { requiredEnv, testMetadata, uniqueName } from '#testing';
import { caseSummaries, caseSummary, ForceProjector, investigationsReadModel } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/** A stream's events, revisions from 0, positions from `from`. */
function stream(streamId: string, from: number, events: readonly [string, object][]): RecordedEvent[] {
  return events.map(([type, data], i) => ({
    id: randomUUID(),
    streamId,
    revision: BigInt(i),
    position: BigInt(from + i),
    type,
    data,
    metadata: { ...testMetadata('kent'), occurredAt: `2026-11-0${3 + i}T09:00:00.000Z` },
    recordedAt: `2026-11-0${3 + i}T09:00:01.000Z`,
  }));
}

/**
 * The retired case summaries' answer, now computed from the investigations' tables (`/case-summaries`, the
 * deprecated alias): what the case-summary fold's tests checked, checked on the alias.
 */
describe('the case summaries alias over the investigations', () => {
  let projector: ForceProjector;

  beforeAll(async () => {
    projector = await ForceProjector.open({
      databaseUrl,
      force: 'kent',
      schema: uniqueName('p_alias'),
      readModels: [investigationsReadModel],
      poolSize: 2,
    });
  });

  afterAll(async () => {
    const schema = projector.schema;
    await projector.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('follows a case from N100 report through cancellation (closedAt is the cancellation, as before)', async () => {
    const caseId = randomUUID();
    await projector.apply(
      stream(`case-${caseId}`, 1, [
        [T.ReportReceived, { caseId, n100Reference: 'KE/N100/1', reportedAt: '2026-11-02T21:14:00Z', receivedAt: '2026-11-02T21:20:00Z' }],
        [T.RecordingCancelled, { caseId, stage: 'report', reason: 'duplicate-record', cancelledAt: '2026-11-04T10:00:00Z' }],
      ]),
    );
    expect(await caseSummary(projector.views, caseId)).toEqual({
      caseId,
      streamId: `case-${caseId}`,
      crimeReference: null,
      offence: null,
      status: 'cancelled',
      investigatorId: null,
      outcomeCode: null,
      reportedAt: '2026-11-02T21:14:00.000Z',
      recordedAt: null,
      openedAt: null,
      closedAt: '2026-11-04T10:00:00.000Z',
      lastRevision: '1',
      timeline: [
        { revision: '0', type: T.ReportReceived, occurredAt: '2026-11-03T09:00:00.000Z' },
        { revision: '1', type: T.RecordingCancelled, occurredAt: '2026-11-04T09:00:00.000Z' },
      ],
    });
  });

  it("shows a stored v1 as v2, reopens a closed case, and keeps the suspects' events off the case's timeline", async () => {
    const caseId = randomUUID();
    const suspectId = randomUUID();
    await projector.apply([
      ...stream(`case-${caseId}`, 10, [
        [
          SupersededCaseEventTypes.CrimeRecordedV1,
          {
            caseId,
            crimeReference: 'KE/26/1',
            offence: 'sexual-assault',
            reportedAt: '2026-11-02T21:14:00Z',
            recordedAt: '2026-11-03T08:30:00Z',
          },
        ],
        [T.InvestigationOpened, { caseId, openedAt: '2026-11-03T09:00:00Z' }],
        [T.InvestigatorAssigned, { caseId, officerId: 'KE-1', assignedAt: '2026-11-03T09:05:00Z' }],
        [T.OutcomeRecorded, { caseId, outcomeCode: 18, recordedAt: '2027-01-01T09:00:00Z' }],
        [T.CaseReopened, { caseId, reason: 'new-evidence', previousOutcomeCode: 18, reopenedAt: '2027-02-01T09:00:00Z' }],
      ]),
      ...stream(`suspect-${suspectId}`, 20, [[SuspectEventTypes.SuspectIdentified, { suspectId, caseId }]]),
    ]);
    const summary = await caseSummary(projector.views, caseId);
    expect(summary).toMatchObject({
      status: 'under-investigation',
      crimeReference: 'KE/26/1',
      offence: 'sexual-assault',
      investigatorId: 'KE-1',
      outcomeCode: null,
      closedAt: null,
      lastRevision: '4',
    });
    expect(summary!.timeline.map((t) => [t.revision, t.type])).toEqual([
      ['0', T.CrimeRecorded],
      ['1', T.InvestigationOpened],
      ['2', T.InvestigatorAssigned],
      ['3', T.OutcomeRecorded],
      ['4', T.CaseReopened],
    ]);
    expect(await caseSummary(projector.views, randomUUID())).toBeUndefined();
  });

  it('lists latest recorded first, filtered by status and paged', async () => {
    const all = await caseSummaries(projector.views, { limit: 50, offset: 0 });
    // The reported-then-cancelled case has no recorded instant: first, as NULLs sort in a descending order.
    expect(all.map((c) => [c.status, c.recordedAt])).toEqual([
      ['cancelled', null],
      ['under-investigation', '2026-11-03T08:30:00.000Z'],
    ]);
    expect(
      (await caseSummaries(projector.views, { status: 'under-investigation', limit: 50, offset: 0 })).map((c) => c.crimeReference),
    ).toEqual(['KE/26/1']);
    expect(await caseSummaries(projector.views, { status: 'closed', limit: 50, offset: 0 })).toEqual([]);
    expect(await caseSummaries(projector.views, { limit: 1, offset: 1 })).toEqual([all[1]]);
  });
});
