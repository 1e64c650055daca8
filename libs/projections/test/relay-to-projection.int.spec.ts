import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type EachMessagePayload } from 'kafkajs';
import pg from 'pg';
import { CaseEventTypes, forceTopic, fromKafkaRecord, type NewEvent, type RecordedEvent } from '#contracts';
import { PostgresEventStore } from '#event-store';
import { KafkaMessageBus, Relay } from '#messaging';
import { requiredEnv, testKafka, testMetadata, uniqueName, waitFor } from '#testing';
import { caseSummary, ForceProjector, investigationDetail, investigationsPage } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

function caseEvents(force: 'avon-somerset' | 'wiltshire', caseId: string): NewEvent[] {
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
  ];
}

describe('relay to Kafka to force projection', () => {
  const prefix = uniqueName('t');
  let store: PostgresEventStore;
  let bus: KafkaMessageBus;
  const projectors: ForceProjector[] = [];

  beforeAll(async () => {
    store = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es') });
    bus = new KafkaMessageBus({ ...testKafka(), clientId: 'relay-test', partitions: 3 });
  });

  afterAll(async () => {
    for (const p of projectors) await p.close();
    await bus.close();
    await store.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const schema of [store.schema, ...projectors.map((p) => p.schema)]) await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  });

  it('publishes CloudEvents a plain consumer decodes, and each force projects only its own cases, once', async () => {
    const avonCase = randomUUID();
    const wiltsCase = randomUUID();
    await store.append(`case-${avonCase}`, caseEvents('avon-somerset', avonCase), 'no-stream');
    await store.append(`case-${wiltsCase}`, caseEvents('wiltshire', wiltsCase), 'no-stream');

    const relay = new Relay(store, bus, { name: uniqueName('relay'), topicPrefix: prefix, forces: ['avon-somerset', 'wiltshire'] });
    await relay.run(AbortSignal.abort()); // loads the checkpoint and creates the topics, nothing else
    while ((await relay.relayOnce()) > 0);
    expect(relay.published).toBe(4);

    // A plain kafkajs consumer, as a force integration team would write it.
    const kafka = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING });
    const plain = kafka.consumer({ groupId: uniqueName('plain') });
    const received: EachMessagePayload['message'][] = [];
    await plain.connect();
    await plain.subscribe({ topic: forceTopic('avon-somerset', prefix), fromBeginning: true });
    await plain.run({ eachMessage: ({ message }) => Promise.resolve(void received.push(message)) });
    await waitFor('two records on avon-somerset topic', () => received.length >= 2);
    await plain.disconnect();
    expect(received).toHaveLength(2);
    const first = received.find((m) => m.headers?.['ce_nomstreamrevision']?.toString() === '0')!;
    expect(first.key?.toString()).toBe(`case-${avonCase}`);
    expect(first.headers?.['ce_type']?.toString()).toBe(CaseEventTypes.CrimeRecorded);
    expect(first.headers?.['ce_specversion']?.toString()).toBe('1.0');
    expect(JSON.parse(first.value!.toString())).toMatchObject({ caseId: avonCase, offence: 'sexual-assault' });
    expect(fromKafkaRecord(first as never).metadata.force).toBe('avon-somerset');

    for (const force of ['avon-somerset', 'wiltshire'] as const) {
      const projector = await ForceProjector.open({
        databaseUrl,
        force,
        schema: uniqueName(`p_${force.slice(0, 4)}`),
        topicPrefix: prefix,
        groupPrefix: uniqueName('g'),
      });
      projectors.push(projector);
      await projector.start(bus);
    }
    const [avon, wilts] = projectors as [ForceProjector, ForceProjector];
    await waitFor('avon case projected', async () => (await investigationDetail(avon.views, avonCase))?.status === 'under-investigation');
    await waitFor(
      'wiltshire case projected',
      async () => (await investigationDetail(wilts.views, wiltsCase))?.status === 'under-investigation',
    );
    expect(await investigationDetail(avon.views, wiltsCase)).toBeUndefined();
    expect(await investigationDetail(wilts.views, avonCase)).toBeUndefined();
    expect((await investigationsPage(avon.views, {})).items.map((c) => c.caseId)).toEqual([avonCase]);

    // Redelivery of the same event changes nothing.
    const [recorded] = await (async () => {
      const out = [];
      for await (const e of store.readStream(`case-${avonCase}`)) out.push(e);
      return out;
    })();
    await expect(avon.apply([recorded!])).resolves.toBe(0);
    expect(await avon.processedCount()).toBe(2);
    expect((await investigationDetail(avon.views, avonCase))!.timeline).toHaveLength(2);
  });

  it('dead-letters a poison record with the reason and keeps projecting the rest', async () => {
    const projector = projectors[0]!;
    const topic = forceTopic('avon-somerset', prefix);
    await bus.publish([{ topic, records: [{ key: 'case-x', value: Buffer.from('{not json'), headers: { ce_specversion: '1.0' } }] }]);
    const caseId = randomUUID();
    await store.append(`case-${caseId}`, caseEvents('avon-somerset', caseId), 'no-stream');
    const relay = new Relay(store, bus, { name: uniqueName('relay2'), topicPrefix: prefix });
    while ((await relay.relayOnce()) > 0);
    await waitFor('the later case to be projected', async () => (await investigationDetail(projector.views, caseId)) !== undefined);
    const dead = await projector.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]!.reason).toMatch(/not JSON|missing header/);
    expect(dead[0]!.value).toBe('{not json');
  });
});

describe('a force projection fed duplicates', () => {
  it('applies an event once even when one batch carries it twice', async () => {
    // A suspect linked counts: applied twice, `suspectsLinked` would be 2 (the timeline's key would hide it).
    const projector = await ForceProjector.open({ databaseUrl, force: 'avon-somerset', schema: uniqueName('p_dup') });
    try {
      const caseId = randomUUID();
      const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es_dup') });
      const linked: NewEvent = {
        id: randomUUID(),
        type: CaseEventTypes.SuspectLinked,
        data: { caseId, suspectId: randomUUID(), linkedAt: '2026-11-03T10:00:00.000Z' },
        metadata: testMetadata('avon-somerset'),
      };
      await store.append(`case-${caseId}`, [...caseEvents('avon-somerset', caseId), linked], 'no-stream');
      const events = [];
      for await (const e of store.readStream(`case-${caseId}`)) events.push(e);
      await store.close();
      const [first, second, third] = events as [RecordedEvent, RecordedEvent, RecordedEvent];
      await expect(projector.apply([first, first, second, third, first, third, second])).resolves.toBe(3);
      await expect(projector.apply([first, second, third])).resolves.toBe(0);
      expect(await investigationDetail(projector.views, caseId)).toMatchObject({ status: 'under-investigation', suspectsLinked: 1 });
      const row = await caseSummary(projector.views, caseId);
      expect(row!.timeline.map((t) => t.revision)).toEqual(['0', '1', '2']);
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${store.schema} CASCADE`);
      await client.end();
    } finally {
      await projector.close();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${projector.schema} CASCADE`);
      await client.end();
    }
  });
});
