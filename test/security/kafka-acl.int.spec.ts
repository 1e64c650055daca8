import { Kafka, logLevel, type Consumer, type logCreator } from 'kafkajs';
import pg from 'pg';
import { assertValidEvents, auditCheckpointsTopic, forceTopic, nationalTopic, FORCE_CODES, type ForceCode } from '#contracts';
import { PostgresEventStore, withValidation } from '#event-store';
import {
  forcePrincipal,
  kafkaAclBindings,
  KafkaMessageBus,
  readTopicToEnd,
  Relay,
  relayTailGroupPrefix,
  toKafkajsAcl,
  KAFKA_PROJECTOR_PRINCIPAL,
  KAFKA_RELAY_PRINCIPAL,
} from '#messaging';
import { ForceProjector, investigationDetail } from '#projections';
import { anEvent, kafkaPassword, requiredEnv, testKafka, uniqueName, waitFor } from '#testing';

/**
 * Force isolation on the real broker (ADR 0010): the broker of scripts/kafka/broker.sh runs SASL/SCRAM with the
 * StandardAuthorizer and the ACLs generated from the force list. The relay (nom-relay) publishes events of
 * several forces to the real topics `nom.force.<code>.events`; each force's integration principal then reads its
 * own topic and nothing else. Asserted errors are the broker's own authorization errors.
 */
const databaseUrl = requiredEnv('DATABASE_URL');
const FORCES = ['durham', 'north-wales', 'north-yorkshire'] as const satisfies readonly ForceCode[];
const PAIRS = FORCES.flatMap((a) => FORCES.filter((b) => b !== a).map((b) => [a, b] as const));

/** A client as `principal`, recording the error types the broker answered (kafkajs retries some of them silently). */
function clientAs(principal: string, password?: string): { kafka: Kafka; brokerErrors: string[] } {
  const brokerErrors: string[] = [];
  const recorder: logCreator =
    () =>
    ({ log }) => {
      const error: unknown = log['error'];
      if (error && typeof error === 'object' && 'type' in error && typeof error.type === 'string') brokerErrors.push(error.type);
    };
  const connection =
    password === undefined
      ? testKafka(principal)
      : { ...testKafka(), sasl: { mechanism: 'scram-sha-512' as const, username: principal, password } };
  const kafka = new Kafka({
    ...connection,
    clientId: `acl-test-${principal}`,
    logLevel: logLevel.DEBUG,
    logCreator: recorder,
    retry: { retries: 2 },
  });
  return { kafka, brokerErrors };
}

/** Subscribes `groupId` to `topic` from the beginning; resolves with the stream ids of the first `wanted` records, or rejects. */
async function consumeAs(kafka: Kafka, groupId: string, topic: string, wanted: ReadonlySet<string>): Promise<Set<string>> {
  const consumer: Consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    retry: { retries: 2, restartOnFailure: () => Promise.resolve(false) },
  });
  const seen = new Set<string>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer
        .run({
          eachMessage: ({ message }) => {
            const key = message.key?.toString();
            if (key && wanted.has(key)) seen.add(key);
            if ([...wanted].every((k) => seen.has(k))) resolve();
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    return seen;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

describe('Kafka ACLs: each force reads only its own topic; only the relay writes', () => {
  const name = uniqueName('acl');
  const schema = `${name}_es`;
  const streams = new Map<ForceCode, Set<string>>();
  let store: PostgresEventStore;
  let relayBus: KafkaMessageBus;
  let projectorBus: KafkaMessageBus | undefined;
  let projector: ForceProjector | undefined;

  beforeAll(async () => {
    store = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
    const validated = withValidation(store, assertValidEvents);
    for (const force of FORCES) {
      const ids = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const event = anEvent(force);
        const stream = `case-${(event.data as { caseId: string }).caseId}`;
        await validated.append(stream, [event], 'no-stream');
        ids.add(stream);
      }
      streams.set(force, ids);
    }
    // The relay, as nom-relay, creates the real force topics if missing and publishes (idempotent producer).
    // Its tail groups as deployed (`nom.relay.tail.`): on a rerun the topics hold records and the producer reads their tails.
    relayBus = new KafkaMessageBus({
      ...testKafka(KAFKA_RELAY_PRINCIPAL),
      clientId: 'acl-test-relay',
      partitions: 3,
      tailGroupPrefix: relayTailGroupPrefix(),
    });
    const relay = new Relay(store, relayBus, { name, topicPrefix: 'nom' });
    let published = 0;
    for (let n = await relay.relayOnce(); n > 0; n = await relay.relayOnce()) published += n;
    if (published !== FORCES.length * 2) throw new Error(`the relay published ${published} events, expected ${FORCES.length * 2}`);
    // The sealer, as nom-relay, creates the checkpoints topic if missing and publishes a checkpoint there (ADR 0023).
    await relayBus.ensureTopics([auditCheckpointsTopic()]);
    // (A topic just created may not be known to every broker connection yet: publish until the broker takes it.)
    const checkpoint = { key: 'access-log', value: Buffer.from(JSON.stringify({ log: 'access-log', test: name })), headers: {} };
    await waitFor('the checkpoint published', async () => {
      await relayBus.publish([{ topic: auditCheckpointsTopic(), records: [checkpoint] }]);
      return true;
    });
  });

  afterAll(async () => {
    await projector?.close();
    await projectorBus?.close();
    await relayBus?.close();
    await store?.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${name}%`]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA ${nspname} CASCADE`);
    await client.end();
  });

  it('the broker holds exactly the generated bindings of each force principal', async () => {
    const admin = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      for (const force of FORCES) {
        const principal = `User:${forcePrincipal(force)}`;
        const { resources } = await admin.describeAcls({
          principal,
          resourceType: 1,
          resourcePatternType: 1,
          operation: 1,
          permissionType: 1,
        });
        const onBroker = resources
          .flatMap((r) => r.acls.map((a) => `${a.operation} ${r.resourceType}:${r.resourcePatternType}:${r.resourceName}`))
          .sort();
        const generated = kafkaAclBindings(FORCE_CODES)
          .filter((b) => b.principal === principal)
          .map(toKafkajsAcl)
          .map((a) => `${a.operation} ${a.resourceType}:${a.resourcePatternType}:${a.resourceName}`)
          .sort();
        expect(onBroker).toEqual(generated);
      }
    } finally {
      await admin.disconnect();
    }
  });

  it.each(FORCES)("%s's principal reads the relay's events on its own topic with a group under its prefix", async (force) => {
    const { kafka } = clientAs(forcePrincipal(force));
    const wanted = streams.get(force)!;
    const seen = await consumeAs(kafka, `${forcePrincipal(force)}.${name}`, forceTopic(force), wanted);
    expect(seen).toEqual(wanted);
  });

  it.each(FORCES)("%s's principal reads the sealer's signed checkpoints (nom.audit.checkpoints)", async (force) => {
    const { brokers, sasl } = testKafka(forcePrincipal(force));
    const messages = await readTopicToEnd(auditCheckpointsTopic(), {
      brokers,
      ...(sasl ? { sasl } : {}),
      groupId: `${forcePrincipal(force)}.witness-${name}`,
    });
    expect(messages.some((m) => m.key === 'access-log' && m.value?.includes(name))).toBe(true);
  });

  it.each(FORCES)("%s's principal sees only its own topic and the checkpoints when it lists topics", async (force) => {
    const admin = clientAs(forcePrincipal(force)).kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      expect(topics.sort()).toEqual([auditCheckpointsTopic(), forceTopic(force)].sort());
    } finally {
      await admin.disconnect();
    }
  });

  it.each(PAIRS)("%s's principal cannot read %s's topic: TOPIC_AUTHORIZATION_FAILED", async (a, b) => {
    const { kafka } = clientAs(forcePrincipal(a));
    await expect(consumeAs(kafka, `${forcePrincipal(a)}.${name}.x`, forceTopic(b), streams.get(b)!)).rejects.toMatchObject({
      name: 'KafkaJSProtocolError',
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });

  it.each(PAIRS)(
    "%s's principal cannot join a group outside its prefix (%s's, or the projector's): GROUP_AUTHORIZATION_FAILED",
    async (a, b) => {
      for (const groupId of [`${forcePrincipal(b)}.${name}`, `nom.projector.${a}`, `${forcePrincipal(a)}-${name}`]) {
        const { kafka, brokerErrors } = clientAs(forcePrincipal(a));
        // kafkajs reports the refused FindCoordinator as "group coordinator not found"; the broker's answer is in its log.
        await expect(consumeAs(kafka, groupId, forceTopic(a), streams.get(a)!)).rejects.toMatchObject({
          name: 'KafkaJSGroupCoordinatorNotFound',
        });
        expect(brokerErrors).toContain('GROUP_AUTHORIZATION_FAILED');
        expect(brokerErrors).not.toContain('TOPIC_AUTHORIZATION_FAILED');
      }
    },
  );

  it.each(FORCES)("%s's principal cannot write, not even to its own topic", async (force) => {
    const { kafka } = clientAs(forcePrincipal(force));
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await expect(producer.send({ topic: forceTopic(force), messages: [{ key: 'forged', value: '{}' }] })).rejects.toMatchObject({
        type: 'TOPIC_AUTHORIZATION_FAILED',
      });
    } finally {
      await producer.disconnect();
    }
    // An idempotent producer first asks for a producer id, which needs WRITE somewhere: refused for the cluster.
    const idempotent = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: { retries: 1 } });
    await expect(
      idempotent.connect().then(() => idempotent.send({ topic: forceTopic(force), messages: [{ key: 'forged', value: '{}' }] })),
    ).rejects.toMatchObject({
      type: 'CLUSTER_AUTHORIZATION_FAILED',
    });
    await idempotent.disconnect();
  });

  it('the projector (nom-projector) projects a force topic under a nom. group, and cannot write', async () => {
    const force = FORCES[0];
    projectorBus = new KafkaMessageBus({ ...testKafka(KAFKA_PROJECTOR_PRINCIPAL), clientId: 'acl-test-projector', partitions: 3 });
    projector = await ForceProjector.open({ databaseUrl, force, schema: `${name}_p`, topicPrefix: 'nom', groupPrefix: `nom.${name}` });
    await projector.start(projectorBus);
    for (const stream of streams.get(force)!) {
      await waitFor(
        `${stream} projected`,
        async () => (await investigationDetail(projector!.views, stream.slice('case-'.length))) !== undefined,
      );
    }
    const producer = clientAs(KAFKA_PROJECTOR_PRINCIPAL).kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await expect(producer.send({ topic: forceTopic(force), messages: [{ key: 'forged', value: '{}' }] })).rejects.toMatchObject({
        type: 'TOPIC_AUTHORIZATION_FAILED',
      });
    } finally {
      await producer.disconnect();
    }
  });

  it('the projector (nom-projector) reads the national topic in its platform group (the onboarding it follows)', async () => {
    // The relay is the national topic's only writer; the projector's platform consumer reads it (ProjectorModule).
    await relayBus.ensureTopics([nationalTopic()]);
    const key = `national-${name}`;
    await waitFor('a national record published', async () => {
      await relayBus.publish([{ topic: nationalTopic(), records: [{ key, value: Buffer.from('{}'), headers: {} }] }]);
      return true;
    });
    const { kafka } = clientAs(KAFKA_PROJECTOR_PRINCIPAL);
    const seen = await consumeAs(kafka, `nom.projector.platform.${name}`, nationalTopic(), new Set([key]));
    expect(seen).toEqual(new Set([key]));
  });

  it('the relay (nom-relay) cannot read a force topic in any group but its own tail groups (ADR 0021)', async () => {
    const { kafka, brokerErrors } = clientAs(KAFKA_RELAY_PRINCIPAL);
    await expect(consumeAs(kafka, `nom.${name}.relay`, forceTopic(FORCES[0]), streams.get(FORCES[0])!)).rejects.toBeDefined();
    expect(brokerErrors).toContain('GROUP_AUTHORIZATION_FAILED');
  });

  it('refuses a wrong password, an unknown user and an unauthenticated client', async () => {
    const force = forcePrincipal(FORCES[0]);
    for (const [principal, password] of [
      [force, `${kafkaPassword(force)}x`],
      [force, kafkaPassword(forcePrincipal(FORCES[1]))],
      ['force-atlantis', 'guess'],
    ] as const) {
      const admin = clientAs(principal, password).kafka.admin();
      await expect(admin.connect()).rejects.toMatchObject({
        name: 'KafkaJSSASLAuthenticationError',
        message: expect.stringContaining('invalid credentials with SASL mechanism SCRAM-SHA-512') as unknown,
      });
      await admin.disconnect();
    }
    const anonymous = new Kafka({
      brokers: testKafka().brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 5000,
    }).admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toMatchObject({
      name: expect.stringMatching(/^KafkaJS(ConnectionClosedError|ConnectionError|NumberOfRetriesExceeded)$/) as unknown,
    });
    await anonymous.disconnect();
  });
});
