import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { assertValidEvents, CaseEventTypes, forceTopic, type NewEvent } from '#contracts';
import { PostgresEventStore, withValidation } from '#event-store';
import { KafkaMessageBus } from '#messaging';
import { freePorts, type Readiness } from '#platform';
import { ForceProjector, investigationsReadModel } from '#projections';
import { anEvent, requiredEnv, testKafka, testKafkaEnv, testMetadata, uniqueName, waitFor } from '#testing';

const databaseUrl = requiredEnv('DATABASE_URL');

/** A suspect linked to the case: the investigation counts them, so one applied twice would show (`suspects_linked`). */
const suspectLinked = (caseId: string): NewEvent => ({
  id: randomUUID(),
  type: CaseEventTypes.SuspectLinked,
  data: { caseId, suspectId: randomUUID(), linkedAt: '2026-11-03T10:00:00.000Z' },
  metadata: testMetadata('avon-somerset'),
});

/** A relay's own account of its loop, from its readiness: `running` (leader), `standby`, or another state. */
async function relayState(port: number): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    const body = (await res.json()) as Readiness;
    return body.details.loops?.states['relay']?.state ?? 'unknown';
  } catch {
    return 'down';
  }
}

/**
 * Singletons that fail over (issue 15, item 6; ADR 0037): two relays run as real processes (dist/apps/relay) against
 * the same log. One holds the leader lock and publishes, the other waits on standby; the leader is killed with
 * SIGKILL mid-stream and the standby takes over. Every stored event reaches Kafka, and the projection applies each
 * exactly once.
 */
describe('two relays, the leader killed mid-stream', () => {
  const name = uniqueName('fover');
  const schema = `${name}_es`;
  const topic = forceTopic('avon-somerset', name);
  let store: PostgresEventStore;
  let bus: KafkaMessageBus;
  let projector: ForceProjector;
  const relays: ChildProcess[] = [];

  /** A relay process on a port of its own, asking for the leader lock every 200 ms. */
  function startRelay(port: number): ChildProcess {
    const child = spawn(process.execPath, ['dist/apps/relay/src/main.js'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        ...testKafkaEnv(),
        NOM_EVENT_STORE_SCHEMA: schema,
        NOM_TOPIC_PREFIX: name,
        NOM_FORCES: 'avon-somerset',
        NOM_RELAY_BATCH_SIZE: '50',
        KAFKA_PARTITIONS: '3',
        PORT: String(port),
        NOM_LEADER_RETRY_MS: '200',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    relays.push(child);
    return child;
  }

  beforeAll(async () => {
    store = await PostgresEventStore.open({ connectionString: databaseUrl, schema });
    bus = new KafkaMessageBus({ ...testKafka(), clientId: 'kill-test', partitions: 3 });
    await bus.ensureTopics([topic]);
  });

  afterAll(async () => {
    for (const child of relays) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await projector?.close();
    await bus.close();
    await store.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    if (projector) await client.query(`DROP SCHEMA IF EXISTS ${projector.schema} CASCADE`);
    await client.end();
  });

  it('hands over to the standby, loses nothing and applies every event exactly once', async () => {
    const validating = withValidation(store, assertValidEvents);
    const streams = 600;
    const perStream = 10;
    const caseIds = Array.from({ length: streams }, () => randomUUID());
    for (const caseId of caseIds) {
      const linked = Array.from({ length: perStream - 1 }, () => suspectLinked(caseId));
      await validating.append(`case-${caseId}`, [anEvent('avon-somerset', caseId), ...linked], 'no-stream');
    }

    // A force integration team's plain consumer records every event id it sees.
    const seen = new Map<string, number>();
    const kafka = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING });
    const plain = kafka.consumer({ groupId: uniqueName('watch') });
    await plain.connect();
    await plain.subscribe({ topic, fromBeginning: true });
    await plain.run({
      eachMessage: ({ message }) => {
        const id = message.headers?.['ce_id']?.toString() ?? '';
        seen.set(id, (seen.get(id) ?? 0) + 1);
        return Promise.resolve();
      },
    });

    // Two replicas: one leads, the other is on standby (ready) until the leader goes.
    const ports = await freePorts(2);
    const replicas = ports.map((port) => ({ port, child: startRelay(port) }));
    const roles = async (): Promise<string[]> => Promise.all(replicas.map(({ port }) => relayState(port)));
    const settled = await waitFor(
      'one relay leading, the other on standby',
      async () => {
        const states = await roles();
        return states.includes('running') && states.includes('standby') ? states : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const leader = replicas[settled.indexOf('running')]!;
    const standby = replicas[settled.indexOf('standby')]!;
    await waitFor('the leader to publish part of the log', () => seen.size >= 1000, { timeoutMs: 60_000 });
    leader.child.kill('SIGKILL');
    await once(leader.child, 'exit');
    const seenAtKill = seen.size;
    // The kill really landed mid-stream: the leader had not finished.
    expect(seenAtKill).toBeLessThan(streams * perStream);

    // More events arrive during the hand-over; the standby takes the lock and publishes them too, without a restart.
    const lateIds = Array.from({ length: 50 }, () => randomUUID());
    for (const caseId of lateIds) await validating.append(`case-${caseId}`, [anEvent('avon-somerset', caseId)], 'no-stream');
    await waitFor('the standby to take over', async () => (await relayState(standby.port)) === 'running', { timeoutMs: 30_000 });
    const second = standby.child;
    const expected = new Set<string>();
    // readAll stops at the cluster-wide read horizon (ADR 0003): wait until every appended event is below it.
    await waitFor('every appended event readable through the log', async () => {
      expected.clear();
      for await (const event of store.readAll()) expected.add(event.id);
      return expected.size === streams * perStream + lateIds.length;
    });
    expect(expected.size).toBe(streams * perStream + lateIds.length);
    await waitFor('every stored event on Kafka', () => [...expected].every((id) => seen.has(id)), { timeoutMs: 90_000 });
    second.kill('SIGTERM');
    await once(second, 'exit');
    await plain.disconnect();
    expect([...seen.keys()].filter((id) => !expected.has(id))).toEqual([]);
    // The new leader resumed from the checkpoint, not from zero; and its producer first read what the topic held,
    // so the batch the killed leader had published without saving its checkpoint is not on the topic twice (ADR 0021).
    const duplicates = [...seen.values()].reduce((sum, n) => sum + n, 0) - expected.size;
    expect(duplicates).toBeLessThan(seenAtKill);
    const admin = kafka.admin();
    await admin.connect();
    const onTopic = (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
    await admin.disconnect();
    expect(onTopic).toBe(expected.size);

    // The force projection, fed the topic with its duplicates, applies each (stream, revision) once.
    projector = await ForceProjector.open({
      databaseUrl,
      force: 'avon-somerset',
      schema: `${name}_proj`,
      topicPrefix: name,
      groupPrefix: uniqueName('g'),
      readModels: [investigationsReadModel],
    });
    await projector.start(bus);
    await waitFor('the projection to catch up', async () => (await projector.processedCount()) === expected.size, { timeoutMs: 90_000 });
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // Every stream's events are on its timeline, revisions 0..last without a gap; and every event but the first
    // links a suspect, counted by a fold that is not idempotent: an event applied twice would count twice.
    const { rows } = await client.query<{ n: number; bad: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE t.lines <> t.last_revision + 1 OR i.suspects_linked <> t.lines - 1)::int AS bad
       FROM ${projector.schema}.investigations i
       JOIN (SELECT case_id, count(*)::int AS lines, max(revision)::int AS last_revision
             FROM ${projector.schema}.investigation_timeline GROUP BY case_id) t USING (case_id)`,
    );
    await client.end();
    expect(rows[0]).toEqual({ n: streams + lateIds.length, bad: 0 });
    expect(await projector.deadLetters()).toEqual([]);
  });
});
