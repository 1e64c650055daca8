import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CaseEventTypes, toKafkaRecord, upcast, type ForceCode, type NewEvent, type RecordedEvent } from '#contracts';
import { PostgresEventStore, withUpcasting, type EventStore } from '#event-store';
import { KafkaMessageBus, Relay, type ConsumedRecord } from '#messaging';
import { requiredEnv, testKafka, testMetadata, uniqueName, waitFor } from '#testing';
import { ForceProjector, investigationDetail, investigationsReadModel, type ReadModel } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/** A case's first events: recorded, opened, an investigator; `outcome` closes it. */
function caseEvents(force: ForceCode, caseId: string, officer = 'AS-4471'): NewEvent[] {
  const at = '2026-11-03T09:00:00.000Z';
  return [
    {
      id: randomUUID(),
      type: CaseEventTypes.CrimeRecorded,
      data: {
        caseId,
        crimeReference: 'AS/26/000001',
        offence: 'sexual-assault',
        offenceCode: '20A',
        n100Reference: null,
        reportedAt: at,
        recordedAt: at,
      },
      metadata: testMetadata(force),
    },
    { id: randomUUID(), type: CaseEventTypes.InvestigationOpened, data: { caseId, openedAt: at }, metadata: testMetadata(force) },
    {
      id: randomUUID(),
      type: CaseEventTypes.InvestigatorAssigned,
      data: { caseId, officerId: officer, assignedAt: at },
      metadata: testMetadata(force),
    },
  ];
}

const outcome = (force: ForceCode, caseId: string, code: number): NewEvent => ({
  id: randomUUID(),
  type: CaseEventTypes.OutcomeRecorded,
  data: { caseId, outcomeCode: code, recordedAt: '2027-01-05T10:00:00.000Z' },
  metadata: testMetadata(force),
});

async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

async function readForce(store: EventStore, force: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store.readAll({ force })) out.push(e);
  return out;
}

const asRecords = (events: readonly RecordedEvent[], topic = 't'): ConsumedRecord[] =>
  events.map((e, i) => {
    const r = toKafkaRecord(e);
    return { topic, partition: 0, offset: String(i), key: Buffer.from(r.key), value: r.value, headers: r.headers };
  });

describe('the projection runtime rebuilds a read model with live traffic flowing', () => {
  const prefix = uniqueName('t');
  const force: ForceCode = 'avon-somerset';
  let raw: PostgresEventStore;
  let store: PostgresEventStore;
  let bus: KafkaMessageBus;
  const projectors: ForceProjector[] = [];
  const relayStop = new AbortController();
  let relayRun: Promise<void> | undefined;

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es_rb') });
    store = withUpcasting(raw, upcast);
    bus = new KafkaMessageBus({ ...testKafka(), clientId: 'rebuild-test', partitions: 3 });
  });

  afterAll(async () => {
    relayStop.abort();
    await relayRun;
    for (const p of projectors) await p.close();
    await bus.close();
    await raw.close();
    await dropSchemas(raw.schema, ...projectors.map((p) => p.schema));
  });

  it('switches to a build made from the store that equals a fresh build from scratch, while a writer appends', async () => {
    // History: 150 cases of avon-somerset, some closed, and a few of another force's.
    const cases: string[] = [];
    for (let i = 0; i < 150; i++) {
      const caseId = randomUUID();
      cases.push(caseId);
      const events = caseEvents(force, caseId);
      if (i % 3 === 0) events.push(outcome(force, caseId, 18));
      await store.append(`case-${caseId}`, events, 'no-stream');
    }
    for (let i = 0; i < 5; i++) {
      const caseId = randomUUID();
      await store.append(`case-${caseId}`, caseEvents('wiltshire', caseId, 'WI-1'), 'no-stream');
    }
    const relay = new Relay(store, bus, { name: uniqueName('relay'), topicPrefix: prefix, forces: [force], idlePollMs: 10 });
    relayRun = relay.run(relayStop.signal);

    const live = await ForceProjector.open({
      databaseUrl,
      force,
      schema: uniqueName('p_rb'),
      topicPrefix: prefix,
      groupPrefix: uniqueName('g'),
      store,
      readModels: [investigationsReadModel],
    });
    projectors.push(live);
    await live.start(bus);
    await waitFor(
      'the live build to take the history',
      async () => (await live.processedCount()) === (await store.countEvents({ force })),
      { timeoutMs: 60_000 },
    );
    expect((await live.builds()).map((b) => [b.readModel, b.version, b.status])).toEqual([['investigations', 1, 'live']]);

    // A writer: new cases and outcomes on existing ones, during the rebuild. Bounded, so that on a loaded machine a
    // writer faster than the rebuild's reader cannot keep the log's head out of its reach for ever.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      let i = 0;
      while (writing && written < 400) {
        const caseId = randomUUID();
        await store.append(`case-${caseId}`, caseEvents(force, caseId), 'no-stream');
        const old = cases[i++ % cases.length]!;
        // An outcome on an older case (the catalogue's codes 1-15 are all valid outcome types).
        if (i % 3 !== 1) await store.append(`case-${old}`, [outcome(force, old, 1 + (i % 15))], 'any');
        cases.push(caseId);
        written++;
      }
    })();
    await waitFor('the writer to be going', () => written >= 5);

    // The live build keeps serving during the rebuild: every progress step can read a case from it.
    const served: boolean[] = [];
    const writtenBefore = written;
    const result = await live.rebuild('investigations', {
      batchSize: 50,
      onProgress: () => void investigationDetail(live.views, cases[0]!).then((row) => served.push(row !== undefined)),
    });
    const writtenDuring = written - writtenBefore;
    console.log(
      `rebuild with live traffic: ${result.historyEvents} events from the store, ${result.tailEvents} applied at the hand-over, ${writtenDuring} cases written meanwhile`,
    );
    writing = false;
    await writer;

    expect(result).toMatchObject({ readModel: 'investigations', version: 2, replaced: 1, droppedOld: true });
    expect(writtenDuring).toBeGreaterThan(0);
    await waitFor('served reads to settle', () => served.length > 0);
    expect(served.every(Boolean)).toBe(true);
    expect((await live.builds()).map((b) => [b.readModel, b.version, b.status])).toEqual([['investigations', 2, 'live']]);

    // Live events keep flowing into the new build; once everything is in, compare with a fresh build from scratch.
    const total = await store.countEvents({ force });
    await waitFor('the live build to take every event', async () => (await live.processedCount()) === total, { timeoutMs: 60_000 });
    const fresh = await ForceProjector.open({
      databaseUrl,
      force,
      schema: uniqueName('p_fresh'),
      topicPrefix: prefix,
      groupPrefix: uniqueName('g'),
      readModels: [investigationsReadModel],
    });
    projectors.push(fresh);
    await fresh.start(bus);
    await waitFor('the fresh build to take every event', async () => (await fresh.processedCount()) === total, { timeoutMs: 60_000 });

    const rebuilt = await live.contentHash('investigations', 'investigations');
    const scratch = await fresh.contentHash('investigations', 'investigations');
    expect(rebuilt.rows).toBe(cases.length);
    expect(rebuilt).toEqual(scratch);
    // Every event of the force is on the timeline once, in both builds alike.
    const rebuiltTimeline = await live.contentHash('investigations', 'investigation_timeline');
    expect(rebuiltTimeline.rows).toBe(total);
    expect(rebuiltTimeline).toEqual(await fresh.contentHash('investigations', 'investigation_timeline'));
    // Queries read the view, which now points at build 2; build 1's table is gone.
    const [check] = await live.manager.query<[{ n: number; dropped: boolean }]>(
      `SELECT (SELECT count(*)::int FROM ${live.schema}.investigations) AS n, to_regclass('${live.schema}.investigations_v1') IS NULL AS dropped`,
    );
    expect(check).toEqual({ n: cases.length, dropped: true });
    const lag = await live.lag();
    expect(lag).toEqual([
      expect.objectContaining({
        readModel: 'investigations',
        version: 2,
        status: 'live',
        eventsBehind: 0,
        secondsBehind: 0,
        appliedEvents: total,
      }),
    ]);
  });
});

describe('the projection runtime without Kafka (batches handed in directly)', () => {
  let raw: PostgresEventStore;
  let store: EventStore;
  const schemas: string[] = [];
  const projectors: ForceProjector[] = [];

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es_rt') });
    store = withUpcasting(raw, upcast);
  });

  afterAll(async () => {
    for (const p of projectors) await p.close();
    await raw.close();
    await dropSchemas(raw.schema, ...schemas, ...projectors.map((p) => p.schema));
  });

  it('reports lag per read model in events and seconds behind the force log, down to zero once applied', async () => {
    const projector = await ForceProjector.open({
      databaseUrl,
      force: 'kent',
      schema: uniqueName('p_lag'),
      store,
      readModels: [investigationsReadModel],
    });
    projectors.push(projector);
    const caseId = randomUUID();
    await store.append(`case-${caseId}`, caseEvents('kent', caseId, 'KE-1'), 'no-stream');
    const other = randomUUID();
    await store.append(`case-${other}`, caseEvents('wiltshire', other, 'WI-1'), 'no-stream');
    const now = new Date(Date.now() + 5000);
    const [behind] = await projector.lag(now);
    expect(behind).toMatchObject({ readModel: 'investigations', status: 'live', eventsBehind: 3, appliedEvents: 0 });
    expect(behind!.secondsBehind).toBeGreaterThanOrEqual(5);
    const events = await readForce(store, 'kent');
    await projector.apply(events.slice(0, 2));
    expect((await projector.lag(now))[0]).toMatchObject({
      eventsBehind: 1,
      appliedEvents: 2,
      appliedPosition: events[1]!.position.toString(),
    });
    await projector.apply(events);
    expect((await projector.lag(now))[0]).toMatchObject({
      eventsBehind: 0,
      secondsBehind: 0,
      appliedEvents: 3,
      headPosition: events[2]!.position.toString(),
    });
  });

  it("dead-letters the event a read model's apply throws on, commits the rest, and retries it after a fix", async () => {
    const broken = new Set<string>();
    const flaky: ReadModel = {
      name: 'flaky',
      version: 1,
      eventTypes: new Set([CaseEventTypes.CrimeRecorded, CaseEventTypes.InvestigationOpened]),
      tables: ['flaky_events'],
      createTables: (t) => [`CREATE TABLE IF NOT EXISTS ${t.table('flaky_events')} (event_id uuid PRIMARY KEY, stream_id text NOT NULL)`],
      async apply(em, t, events) {
        for (const e of events) if (broken.has(e.id)) throw new Error(`flaky cannot take ${e.id}`);
        await em.query(`INSERT INTO ${t.table('flaky_events')} SELECT * FROM unnest($1::uuid[], $2::text[])`, [
          events.map((e) => e.id),
          events.map((e) => e.streamId),
        ]);
      },
    };
    const projector = await ForceProjector.open({
      databaseUrl,
      force: 'kent',
      schema: uniqueName('p_dl'),
      store,
      readModels: [investigationsReadModel, flaky],
    });
    projectors.push(projector);
    const caseIds: string[] = [randomUUID(), randomUUID(), randomUUID()];
    for (const caseId of caseIds) await store.append(`case-${caseId}`, caseEvents('kent', caseId, 'KE-1'), 'no-stream');
    const events = (await readForce(store, 'kent')).filter((e) => caseIds.includes((e.data as { caseId: string }).caseId));
    const poison = events.find(
      (e) => e.type === CaseEventTypes.InvestigationOpened && (e.data as { caseId: string }).caseId === caseIds[1],
    )!;
    broken.add(poison.id);
    const garbage: ConsumedRecord = {
      topic: 't',
      partition: 0,
      offset: '99',
      key: null,
      value: Buffer.from('{not json'),
      headers: { ce_specversion: '1.0' },
    };

    await projector.handleRecords([...asRecords(events), garbage]);

    // Every other event is applied: the investigations took all nine (the poison one too), flaky took five of six.
    for (const caseId of caseIds)
      expect(await investigationDetail(projector.views, caseId)).toMatchObject({ status: 'under-investigation', investigatorId: 'KE-1' });
    const flakyRows = async (): Promise<number> =>
      (await projector.manager.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM ${projector.schema}.flaky_events`))[0].n;
    expect(await flakyRows()).toBe(5);
    const dead = await projector.deadLetters();
    expect(dead.map((d) => ({ readModel: d.readModel, eventId: d.eventId }))).toEqual([
      { readModel: null, eventId: null },
      { readModel: 'flaky', eventId: poison.id },
    ]);
    const letter = dead.find((d) => d.readModel === 'flaky')!;
    expect(letter).toMatchObject({ buildVersion: 1, streamId: poison.streamId, position: poison.position.toString(), topic: 't' });
    expect(letter.reason).toContain('flaky cannot take');

    // Redelivery changes nothing (the event is in the ledger; the letter is not duplicated).
    await projector.handleRecords(asRecords(events));
    expect(await projector.deadLetters()).toHaveLength(2);

    // Retried before the fix: still failing, kept with its attempts counted.
    await expect(projector.retryDeadLetter(letter.id)).resolves.toMatchObject({
      id: letter.id,
      resolved: false,
      reason: expect.stringContaining('flaky cannot take'),
    });
    await expect(projector.retryDeadLetter(dead[0]!.id)).resolves.toMatchObject({ resolved: false });
    // Fixed: the retry applies it through the current code and resolves the letter.
    broken.clear();
    await expect(projector.retryDeadLetter(letter.id)).resolves.toEqual({ id: letter.id, resolved: true });
    expect(await flakyRows()).toBe(6);
    expect((await projector.deadLetters()).map((d) => d.id)).toEqual([dead[0]!.id]);
    await expect(projector.retryDeadLetter(letter.id)).rejects.toThrow(/no unresolved dead letter/);
  });

  it('builds a read model added to a force with history from the store, then keeps it live', async () => {
    const schema = uniqueName('p_add');
    const first = await ForceProjector.open({ databaseUrl, force: 'kent', schema, store, readModels: [investigationsReadModel] });
    const caseId = randomUUID();
    await store.append(`case-${caseId}`, caseEvents('kent', caseId, 'KE-2'), 'no-stream');
    await first.apply(await readForce(store, 'kent'));
    await first.close();
    schemas.push(schema);

    const opened: ReadModel = {
      name: 'opened_cases',
      version: 1,
      eventTypes: new Set([CaseEventTypes.InvestigationOpened]),
      tables: ['opened_cases'],
      createTables: (t) => [`CREATE TABLE IF NOT EXISTS ${t.table('opened_cases')} (case_id uuid PRIMARY KEY)`],
      async apply(em, t, events) {
        await em.query(`INSERT INTO ${t.table('opened_cases')} SELECT * FROM unnest($1::uuid[]) ON CONFLICT DO NOTHING`, [
          events.map((e) => (e.data as { caseId: string }).caseId),
        ]);
      },
    };
    const second = await ForceProjector.open({ databaseUrl, force: 'kent', schema, store, readModels: [investigationsReadModel, opened] });
    projectors.push(second);
    expect((await second.builds()).map((b) => [b.readModel, b.status])).toEqual([['investigations', 'live']]);
    // No live consumer here: the live path is fed by hand, so the hand-over finds the ledger complete.
    const result = await second.rebuild('opened_cases');
    expect(result).toMatchObject({ version: 1, replaced: null, tailEvents: 0 });
    const kentOpened = (await readForce(store, 'kent')).filter((e) => e.type === CaseEventTypes.InvestigationOpened).length;
    const [{ n }] = await second.manager.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM ${schema}.opened_cases`);
    expect(n).toBe(kentOpened);
    const later = randomUUID();
    await store.append(`case-${later}`, caseEvents('kent', later, 'KE-3'), 'no-stream');
    await second.apply(await readForce(store, 'kent'));
    const [{ m }] = await second.manager.query<[{ m: number }]>(
      `SELECT count(*)::int AS m FROM ${schema}.opened_cases WHERE case_id = $1`,
      [later],
    );
    expect(m).toBe(1);
  });
});
