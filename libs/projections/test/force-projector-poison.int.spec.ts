import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CaseEventTypes, upcast, type NewEvent } from '#contracts';
import { PostgresEventStore, withUpcasting } from '#event-store';
import { KafkaMessageBus, Relay } from '#messaging';
import { insertGarbledEvent, requiredEnv, testKafka, testMetadata, uniqueName, waitFor } from '#testing';
import { ForceProjector, investigationDetail, investigationsReadModel } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

function caseEvents(caseId: string): NewEvent[] {
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
      metadata: testMetadata('avon-somerset'),
    },
    { id: randomUUID(), type: CaseEventTypes.InvestigationOpened, data: { caseId, openedAt: at }, metadata: testMetadata('avon-somerset') },
  ];
}

/**
 * Issue 11 item 2: no single event may stop a force's projector, live (from Kafka) or rebuilding (from the
 * store). Between good cases sit rows an operator INSERTed: an event its schema refuses (the relay publishes it,
 * the live consumer dead-letters it), metadata with no correlation id and metadata that is null (the relay cannot
 * publish them: its own dead letters). The live projection takes the good cases; a rebuild from the store passes
 * the rows it cannot read, records them against its build, and switches.
 */
describe('force projector: a garbled row in the log', () => {
  const prefix = uniqueName('fp');
  let raw: PostgresEventStore;
  let bus: KafkaMessageBus;
  let db: pg.Client;
  let projector: ForceProjector | undefined;

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es_fp') });
    bus = new KafkaMessageBus({ ...testKafka(), clientId: 'force-projector-poison', partitions: 1 });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await projector?.close();
    await bus.close();
    await raw.close();
    for (const s of [raw.schema, projector?.schema]) if (s) await db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await db.end();
  });

  it('is dead-lettered with its reason, live and in a rebuild, and the cases after it are projected', async () => {
    const store = withUpcasting(raw, upcast);
    const [first, second] = [randomUUID(), randomUUID()];
    await store.append(`case-${first}`, caseEvents(first), 'no-stream');
    const invalid = await insertGarbledEvent(db, raw.schema, {
      type: CaseEventTypes.InvestigationOpened,
      data: { caseId: first, openedAt: 'yesterday' },
      metadata: testMetadata('avon-somerset'),
    });
    const noCorrelation = { ...testMetadata('avon-somerset'), correlationId: undefined }; // stored without it
    const headless = await insertGarbledEvent(db, raw.schema, {
      type: CaseEventTypes.InvestigationOpened,
      data: { caseId: first, openedAt: '2026-11-03T09:00:00.000Z' },
      metadata: noCorrelation,
    });
    const nullMetadata = await insertGarbledEvent(db, raw.schema, {
      type: CaseEventTypes.InvestigationOpened,
      data: { caseId: first },
      metadata: null,
      force: 'avon-somerset',
    });
    const last = await store.append(`case-${second}`, caseEvents(second), 'no-stream');

    const relay = new Relay(store, bus, { name: uniqueName('relay'), topicPrefix: prefix, forces: ['avon-somerset'] });
    await relay.run(AbortSignal.abort());
    await waitFor('the relay to pass the head of the log', async () => {
      await relay.relayOnce();
      return relay.position >= last.position;
    });
    expect((await relay.deadLetters.list()).map((l) => l.eventId)).toEqual([headless.eventId, nullMetadata.eventId]);

    projector = await ForceProjector.open({
      databaseUrl,
      force: 'avon-somerset',
      schema: uniqueName('p_fp'),
      topicPrefix: prefix,
      groupPrefix: uniqueName('g'),
      store,
      readModels: [investigationsReadModel],
    });
    await projector.start(bus);
    await waitFor(
      'both cases projected',
      async () => (await investigationDetail(projector!.views, second))?.status === 'under-investigation',
    );
    expect((await investigationDetail(projector.views, first))?.status).toBe('under-investigation');
    const live = await projector.deadLetters();
    expect(live.map((d) => [d.eventId, d.readModel])).toEqual([[invalid.eventId, null]]);
    expect(live[0]!.reason).toMatch(/invalid event: \/data\/openedAt/);

    // A rebuild reads the same history from the store: it passes the rows it cannot read and switches.
    const rebuilt = await projector.rebuild('investigations', { handOverTimeoutMs: 60_000 });
    expect(rebuilt.historyEvents).toBe(5); // four good events and the invalid one (the live path took it too)
    expect((await investigationDetail(projector.views, second))?.status).toBe('under-investigation');
    const letters = await projector.deadLetters();
    const ofBuild = letters
      .filter((d) => d.readModel === 'investigations' && d.buildVersion === rebuilt.version)
      .sort((a, b) => Number(BigInt(a.position!) - BigInt(b.position!)));
    expect(ofBuild.map((d) => [d.eventId, d.position])).toEqual([
      [headless.eventId, headless.position.toString()],
      [nullMetadata.eventId, nullMetadata.position.toString()],
    ]);
    expect(ofBuild[0]!.reason).toMatch(/publish: metadata lacks .*ce_nomcorrelationid/);
    expect(ofBuild[1]!.reason).toMatch(/decode: metadata is not a JSON object/);
    expect(letters).toHaveLength(3);
  });
});
