import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CaseEventTypes, SupersededCaseEventTypes, upcast, type RecordedEvent } from '#contracts';
import { requiredEnv, testMetadata, uniqueName, waitFor } from '#testing';
import { PostgresEventStore, withUpcasting } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

async function collect(events: AsyncIterable<RecordedEvent>, max = Infinity): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of events) {
    out.push(event);
    if (out.length >= max) break;
  }
  return out;
}

describe(withUpcasting.name, () => {
  let raw: PostgresEventStore;
  const caseId = randomUUID();
  const streamId = `case-${caseId}`;
  const v1 = {
    caseId,
    crimeReference: 'AS/26/004211',
    offence: 'rape-of-female-16-plus',
    reportedAt: '2026-11-02T21:14:00Z',
    recordedAt: '2026-11-03T08:30:00Z',
  };

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es') });
    // Written as a release before v2 wrote it: straight into PostgreSQL, no upcasting decorator.
    await raw.append(
      streamId,
      [{ id: randomUUID(), type: SupersededCaseEventTypes.CrimeRecordedV1, data: v1, metadata: testMetadata() }],
      'no-stream',
    );
    await raw.append(
      streamId,
      [{ id: randomUUID(), type: CaseEventTypes.InvestigationOpened, data: { caseId, openedAt: v1.recordedAt }, metadata: testMetadata() }],
      0n,
    );
  });

  afterAll(async () => {
    await raw.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${raw.schema} CASCADE`);
    await client.end();
  });

  const v2 = { ...v1, offenceCode: '19C', n100Reference: null };

  it('stores v1 as it was written', async () => {
    const [stored] = await collect(raw.readStream(streamId));
    expect(stored).toMatchObject({ type: SupersededCaseEventTypes.CrimeRecordedV1, data: v1 });
  });

  it('reads the stored v1 as v2 through readStream, and current events unchanged', async () => {
    const events = await collect(withUpcasting(raw, upcast).readStream(streamId));
    expect(events.map((e) => e.type)).toEqual([CaseEventTypes.CrimeRecorded, CaseEventTypes.InvestigationOpened]);
    expect(events[0]).toMatchObject({ streamId, revision: 0n, data: v2 });
  });

  it('reads it as v2 through readAll', async () => {
    // The read horizon is cluster-wide (ADR 0003): wait until the appended event is readable through the log.
    const event = await waitFor('the v1 event to be readable through readAll', async () =>
      (await collect(withUpcasting(raw, upcast).readAll())).find((e) => e.streamId === streamId && e.revision === 0n),
    );
    expect(event).toMatchObject({ type: CaseEventTypes.CrimeRecorded, data: v2 });
  });

  it('delivers it as v2 through subscribeToAll', async () => {
    const controller = new AbortController();
    const events = await collect(withUpcasting(raw, upcast).subscribeToAll({ signal: controller.signal, idlePollMs: 20 }), 2);
    controller.abort();
    expect(events[0]).toMatchObject({ type: CaseEventTypes.CrimeRecorded, data: v2 });
  });

  it('leaves everything else to the decorated store', async () => {
    const store = withUpcasting(raw, upcast);
    await expect(store.streamRevision(streamId)).resolves.toBe(1n);
  });
});
