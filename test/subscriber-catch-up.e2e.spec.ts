import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import pg from 'pg';
import request from 'supertest';
import { forceTopic, type ForceCode } from '#contracts';
import { forceGroupPrefix, forcePrincipal, kafkaAclBindings, toKafkajsAcl } from '#messaging';
import { kafkaPassword, testKafka, uniqueName, waitFor } from '#testing';
import { LocalStore, runConsumer, type Alarm, type Applied, type ForceEvent } from '../examples/force-consumer/consumer.js';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

const { ConfigResourceTypes, Kafka, logLevel } = kafkajs;

/**
 * A subscriber's catch-up (issue 6, ADR 0017). A force integration team joins after history exists, or restarts, or
 * loses its database, while new events keep arriving for its force and another; with the example consumer
 * (examples/force-consumer: plain kafkajs, SASL/SCRAM as the force's own principal, a group under its prefix) it ends
 * with exactly the events it is entitled to (the event store's events of its force, by raw SELECT), in revision
 * order per stream, each once, none of another force's.
 */
const A: ForceCode = 'kent';
const B: ForceCode = 'essex';
const C: ForceCode = 'surrey';

describe('a subscriber that joins late, restarts or loses its database catches up with no gap and no duplicate', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let db: pg.Client;
  const tokens = new Map<ForceCode, string>();
  const admin = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING }).admin();
  let granted: kafkajs.AclEntry[] = [];
  let caseNo = 0;

  /** One case of `force` over HTTP: crime recorded, investigation opened, investigator assigned (revisions 0-2). */
  async function writeCase(force: ForceCode): Promise<void> {
    caseNo += 1;
    const auth = `Bearer ${tokens.get(force) ?? ''}`;
    const created = await http
      .post(`/forces/${force}/cases`)
      .set('Authorization', auth)
      .send({
        crimeReference: `CU/26/${String(caseNo).padStart(6, '0')}`,
        offence: 'rape-of-female-16-plus',
        reportedAt: '2026-11-01T10:00:00Z',
      })
      .expect(201);
    const caseId: string = created.body.caseId;
    await http.post(`/forces/${force}/cases/${caseId}/investigation`).set('Authorization', auth).set('If-Match', '"0"').expect(200);
    await http
      .put(`/forces/${force}/cases/${caseId}/investigator`)
      .set('Authorization', auth)
      .send({ officerId: `${force.slice(0, 2).toUpperCase()}-4471` })
      .expect(200);
  }

  /** Keeps appending cases of A and B until stopped; resolves with the number of rounds. */
  function startWriter(): { stop: () => Promise<number> } {
    let running = true;
    let rounds = 0;
    const loop = (async () => {
      while (running) {
        await writeCase(A);
        await writeCase(B);
        rounds += 1;
      }
      return rounds;
    })();
    return {
      stop: async () => {
        running = false;
        return loop;
      },
    };
  }

  /** The event store's events of a force, by raw SELECT: the set a subscriber of that force is entitled to. */
  async function storeEventIds(force: ForceCode): Promise<Set<string>> {
    const { rows } = await db.query<{ event_id: string }>(
      `SELECT event_id FROM ${backbone.config.eventStoreSchema}.events WHERE force = $1`,
      [force],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  interface Run {
    readonly store: LocalStore;
    readonly seen: { event: ForceEvent; applied: Applied }[];
    readonly alarms: Alarm[];
    readonly abort: AbortController;
    readonly done: Promise<void>;
  }

  function start(store: LocalStore, groupId: string, seen: Run['seen'] = [], alarms: Alarm[] = []): Run {
    const abort = new AbortController();
    const done = runConsumer({
      brokers: testKafka().brokers,
      username: forcePrincipal(A),
      password: kafkaPassword(forcePrincipal(A)),
      force: A,
      groupId,
      topicPrefix: backbone.config.topicPrefix,
      store,
      onEvent: (event, applied) => seen.push({ event, applied }),
      onAlarm: (alarm) => alarms.push(alarm),
      signal: abort.signal,
    });
    return { store, seen, alarms, abort, done };
  }

  /** Waits until the store holds every event of A in the event store (the writer has stopped), then checks it is exactly that. */
  async function expectCaughtUp(run: Run): Promise<void> {
    const entitled = await storeEventIds(A);
    await waitFor('the consumer to hold every event of its force', () => run.store.events().length >= entitled.size, { timeoutMs: 60_000 });
    const events = run.store.events();
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(entitled);
    expect(events.every((e) => e.force === A)).toBe(true);
    const bOrC = new Set([...(await storeEventIds(B)), ...(await storeEventIds(C))]);
    expect(ids.filter((id) => bOrC.has(id))).toEqual([]);
    // Revision order per stream, as delivered: every stored event is its stream's next revision (no gap alarm).
    expect(run.alarms).toEqual([]);
    const last = new Map<string, number>();
    for (const { event, applied } of run.seen) {
      if (applied === 'duplicate') continue;
      expect({ stream: event.streamId, revision: event.revision }).toEqual({
        stream: event.streamId,
        revision: (last.get(event.streamId) ?? -1) + 1,
      });
      last.set(event.streamId, event.revision);
    }
    // And the store holds each stream as 0..n-1.
    const byStream = new Map<string, number[]>();
    for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.revision]);
    for (const [, revisions] of byStream) expect(revisions.sort((x, y) => x - y)).toEqual(revisions.map((_, i) => i));
  }

  beforeAll(async () => {
    backbone = await startBackbone([A, B, C]);
    http = request(backbone.app.getHttpServer());
    for (const force of [A, B, C]) tokens.set(force, await backbone.token(force, ['officer', 'supervisor']));
    db = new pg.Client({ connectionString: backbone.config.databaseUrl });
    await db.connect();
    await admin.connect();
    // The force principal may read `nom.force.kent.events`; this run's topics carry a unique prefix, so grant it the
    // same bindings on them (generated, as in production), and only those of force A.
    granted = kafkaAclBindings([A], backbone.config.topicPrefix)
      .filter((b) => b.principal === `User:${forcePrincipal(A)}` && b.resourceType === 'TOPIC')
      .map(toKafkajsAcl);
    await admin.createAcls({ acl: granted });
    // History of three forces before anyone subscribes.
    for (let i = 0; i < 4; i += 1) for (const force of [A, B, C]) await writeCase(force);
  });

  afterAll(async () => {
    if (granted.length > 0) await admin.deleteAcls({ filters: granted }).catch(() => undefined);
    await admin.disconnect();
    await db?.end();
    await backbone?.close();
  });

  it('creates the force topics to be kept for ever and never compacted', async () => {
    const topic = forceTopic(A, backbone.config.topicPrefix);
    await waitFor('the relay to create the topic', async () => (await admin.listTopics()).includes(topic));
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    const config = Object.fromEntries((resources[0]?.configEntries ?? []).map((c) => [c.configName, c.configValue]));
    expect({ cleanup: config['cleanup.policy'], ms: config['retention.ms'], bytes: config['retention.bytes'] }).toEqual({
      cleanup: 'delete',
      ms: '-1',
      bytes: '-1',
    });
  });

  it('a late joiner gets the whole history of its force and continues live while events keep arriving', async () => {
    const writer = startWriter();
    const run = start(new LocalStore(), `${forceGroupPrefix(A)}${uniqueName('late')}`);
    try {
      // Live events arrive while it catches up: wait until it has seen some written after it started.
      const before = (await storeEventIds(A)).size;
      await waitFor('the consumer to pass the history it joined after', () => run.store.events().length > before, { timeoutMs: 60_000 });
      expect(await writer.stop()).toBeGreaterThan(0);
      await expectCaughtUp(run);
    } finally {
      await writer.stop();
      run.abort.abort();
      await run.done;
    }
  });

  it('a consumer stopped mid-way resumes with the same group from its committed offsets; redeliveries are dropped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'force-consumer-')), 'store.json');
    const groupId = `${forceGroupPrefix(A)}${uniqueName('restart')}`;
    const writer = startWriter();
    const seen: Run['seen'] = [];
    const alarms: Alarm[] = [];
    const first = start(new LocalStore(file), groupId, seen, alarms);
    try {
      await waitFor('the first run to store some events', () => first.store.events().length > 0, { timeoutMs: 60_000 });
    } finally {
      first.abort.abort();
      await first.done;
    }
    const stoppedAt = new LocalStore(file).events().length;
    expect(stoppedAt).toBeGreaterThan(0);
    const seenBefore = seen.length;
    const second = start(new LocalStore(file), groupId, seen, alarms);
    try {
      expect(await writer.stop()).toBeGreaterThan(0);
      await expectCaughtUp(second);
      // It resumed after its committed offsets: it was not handed again what the first run had stored.
      const redelivered = seen.slice(seenBefore).filter((s) => s.applied === 'duplicate').length;
      expect(redelivered).toBeLessThan(stoppedAt);
      expect(seen.filter((s) => s.applied === 'stored').length).toBe(second.store.events().length);
    } finally {
      await writer.stop();
      second.abort.abort();
      await second.done;
    }
  });

  it('a consumer that lost its database replays everything with the same group and ends with the same exact set', async () => {
    const groupId = `${forceGroupPrefix(A)}${uniqueName('rebuild')}`;
    const original = start(new LocalStore(), groupId);
    const entitled = await storeEventIds(A);
    try {
      await waitFor('the original store to catch up', () => original.store.events().length >= entitled.size, { timeoutMs: 60_000 });
    } finally {
      original.abort.abort();
      await original.done;
    }
    const writer = startWriter();
    // A new, empty store with the group that has committed offsets at the head: it resets the group to the earliest offset.
    const rebuilt = start(new LocalStore(), groupId);
    try {
      await waitFor('the rebuilt store to hold the history again', () => rebuilt.store.events().length >= entitled.size, {
        timeoutMs: 60_000,
      });
      expect(await writer.stop()).toBeGreaterThan(0);
      await expectCaughtUp(rebuilt);
    } finally {
      await writer.stop();
      rebuilt.abort.abort();
      await rebuilt.done;
    }
  });
});
