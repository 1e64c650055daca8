import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import pg from 'pg';
import request from 'supertest';
import { generateAuditSigner } from '#audit';
import { AuditApiModule } from '#audit-api';
import { CasesApiModule } from '#cases-api';
import { topicOf } from '#contracts';
import type { Readiness } from '#platform';
import { NationalModule } from '#national';
import { ProjectorModule } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { ProcessManagerModule } from '#process-managers';
import { forceSchema } from '#projections';
import { uniqueName, waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from './support/backbone.js';
import { OwnKafkaBroker, OwnPostgres } from './support/own-services.js';

const FORCE = 'avon-somerset';
/** Short backoff so that recovery shows within the test's deadlines (production defaults: README, operations). */
const FAST_RETRY = { NOM_RETRY_INITIAL_MS: '100', NOM_RETRY_MAX_MS: '1000' };

/**
 * A routine outage must not take the backbone down (issue 11, item 3): real faults only. The broker of THIS test
 * (its own NOM_KAFKA_HOME and ports) is SIGKILLed and started again on the same data; the PostgreSQL server of
 * THIS test (embedded, own data dir and port) has its connections terminated and is restarted. Meanwhile the
 * process keeps serving, readiness says which loop is waiting and why, and afterwards every stored event is on
 * Kafka exactly once and the projection equals a recount of the event table.
 */
describe('a routine outage', () => {
  // (Before ADR 0021 a loop's failure made the service SIGTERM its own process: here, the test run itself.)
  async function createCase(http: ReturnType<typeof request>, token: string, n: number): Promise<number> {
    const res = await http
      .post(`/forces/${FORCE}/cases`)
      .set('Authorization', token)
      .send({ crimeReference: `AS/26/${String(100_000 + n)}`, offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00.000Z' });
    return res.status;
  }

  let lastReadiness: unknown;
  async function readiness(http: ReturnType<typeof request>): Promise<{ status: number; body: Readiness }> {
    const res = await http.get('/health/ready');
    lastReadiness = res.body;
    return { status: res.status, body: res.body as Readiness };
  }

  /** Waits until readiness answers 200; on time-out, says which loop was not ready and why. */
  async function waitReady(http: ReturnType<typeof request>, what: string): Promise<void> {
    try {
      await waitFor(what, async () => (await readiness(http)).status === 200, { timeoutMs: 90_000 });
    } catch (error) {
      throw new Error(`${(error as Error).message}; readiness: ${JSON.stringify(lastReadiness)}`, { cause: error });
    }
  }

  /** Every event of the table is on its topic once, and the topics hold nothing else (high watermarks = counts). */
  async function expectEveryEventOnKafkaOnce(backbone: RunningBackbone, kafkaEnv: Record<string, string>): Promise<void> {
    const db = new pg.Client({ connectionString: backbone.config.databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ event_id: string; force: string }>(
      `SELECT event_id, force FROM ${backbone.config.eventStoreSchema}.events`,
    );
    await db.end();
    const byTopic = new Map<string, Set<string>>();
    for (const row of rows) {
      const topic = topicOf(row.force, backbone.config.topicPrefix);
      byTopic.set(topic, (byTopic.get(topic) ?? new Set()).add(row.event_id));
    }
    const sasl: SASLOptions | undefined = kafkaEnv['KAFKA_USERNAME']
      ? { mechanism: 'scram-sha-512', username: kafkaEnv['KAFKA_USERNAME'], password: kafkaEnv['KAFKA_PASSWORD']! }
      : undefined;
    const kafka = new Kafka({ brokers: kafkaEnv['KAFKA_BROKERS']!.split(','), logLevel: logLevel.NOTHING, ...(sasl ? { sasl } : {}) });
    const admin = kafka.admin();
    await admin.connect();
    // The relay has caught up when each topic's record count reaches the table's count for it.
    await waitFor(
      'every stored event on Kafka',
      async () => {
        for (const [topic, ids] of byTopic) {
          const offsets = await admin.fetchTopicOffsets(topic);
          if (offsets.reduce((n, o) => n + Number(o.high), 0) < ids.size) return false;
        }
        return true;
      },
      { timeoutMs: 60_000 },
    );
    const seen = new Map<string, number>();
    const consumer = kafka.consumer({ groupId: uniqueName('outage-watch') });
    await consumer.connect();
    await consumer.subscribe({ topics: [...byTopic.keys()], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const id = message.headers?.['ce_id']?.toString() ?? '';
        seen.set(id, (seen.get(id) ?? 0) + 1);
        return Promise.resolve();
      },
    });
    await waitFor('the watcher to read the topics', () => seen.size >= rows.length, { timeoutMs: 60_000 });
    const counts = await Promise.all(
      [...byTopic.keys()].map(async (t) => (await admin.fetchTopicOffsets(t)).reduce((n, o) => n + Number(o.high), 0)),
    );
    await consumer.disconnect();
    await admin.disconnect();
    expect([...seen.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(seen.keys())).toEqual(new Set(rows.map((r) => r.event_id)));
    expect(counts).toEqual([...byTopic.values()].map((ids) => ids.size));
  }

  /**
   * The force projection equals a recount of the event table: one investigation per case, its case stream's
   * timeline at the stream's last revision with one line per event.
   */
  async function expectProjectionEqualsRecount(backbone: RunningBackbone): Promise<void> {
    const db = new pg.Client({ connectionString: backbone.config.databaseUrl });
    await db.connect();
    try {
      const recount = async (): Promise<Record<string, string>> => {
        const { rows } = await db.query<{ stream_id: string; last: string }>(
          `SELECT stream_id, max(revision) || '/' || count(*) AS last FROM ${backbone.config.eventStoreSchema}.events
           WHERE force = $1 AND stream_id LIKE 'case-%' GROUP BY stream_id`,
          [FORCE],
        );
        return Object.fromEntries(rows.map((r): [string, string] => [r.stream_id, r.last]).sort(([a], [b]) => a.localeCompare(b)));
      };
      const projected = async (): Promise<Record<string, string>> => {
        const schema = forceSchema(FORCE, backbone.config.projectionSchemaPrefix);
        const { rows } = await db.query<{ case_id: string; last_revision: string }>(
          `SELECT i.case_id, max(t.revision) || '/' || count(*) AS last_revision
           FROM ${schema}.investigations i JOIN ${schema}.investigation_timeline t ON t.stream_id = 'case-' || i.case_id GROUP BY i.case_id`,
        );
        return Object.fromEntries(
          rows.map((r): [string, string] => [`case-${r.case_id}`, r.last_revision]).sort(([a], [b]) => a.localeCompare(b)),
        );
      };
      const expected = await recount();
      await waitFor('the projection to equal the recount', async () => JSON.stringify(await projected()) === JSON.stringify(expected), {
        timeoutMs: 60_000,
      });
      expect(await projected()).toEqual(expected);
    } finally {
      await db.end();
    }
  }

  describe('the Kafka broker SIGKILLed and started again', () => {
    let broker: OwnKafkaBroker;
    let backbone: RunningBackbone;
    let http: ReturnType<typeof request>;
    let token: string;

    beforeAll(async () => {
      broker = await OwnKafkaBroker.start('kafka-outage-test');
      backbone = await startBackbone([FORCE], [CasesApiModule, RelayModule, ProjectorModule, ProcessManagerModule], {
        ...broker.env,
        ...FAST_RETRY,
      });
      http = request(backbone.app.getHttpServer());
      token = `Bearer ${await backbone.token(FORCE, ['officer', 'supervisor'])}`;
    });

    afterAll(async () => {
      await backbone?.close();
      await broker?.stop();
    });

    it('keeps taking commands, reports not-ready, then publishes every event once and projects them all', async () => {
      for (let n = 0; n < 5; n += 1) expect(await createCase(http, token, n)).toBe(201);
      await waitReady(http, 'every loop ready');

      await broker.kill();
      // Nothing to publish: the relay is idle, and readiness still says the broker is away (issue 15, item 4).
      const idle = await waitFor(
        'readiness to report the broker down while the relay is idle',
        async () => {
          const r = await readiness(http);
          return r.status === 503 && r.body.details['kafka']?.status === 'down' ? r.body : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(idle.details['eventStore']?.status).toBe('up');
      // Commands are decided against the store, the source of truth: Kafka being away changes nothing for them.
      for (let n = 5; n < 15; n += 1) expect(await createCase(http, token, n)).toBe(201);
      const down = await waitFor(
        'readiness to report the relay waiting for the broker',
        async () => {
          const r = await readiness(http);
          return r.status === 503 && r.body.details.loops?.states['relay']?.ready === false ? r.body : undefined;
        },
        { timeoutMs: 60_000 },
      );
      // Both in the comparison, so that a failure shows the error the relay met (a fault not seen as transient is `failing`).
      const relay = down.details.loops?.states['relay'];
      expect([relay?.state, relay?.lastError]).toEqual(['retrying', expect.any(String)]);
      expect(await http.get('/health/live').then((r) => r.status)).toBe(200);

      await broker.start();
      for (let n = 15; n < 20; n += 1) expect(await createCase(http, token, n)).toBe(201);
      await waitReady(http, 'every loop ready again');
      await expectEveryEventOnKafkaOnce(backbone, broker.env);
      await expectProjectionEqualsRecount(backbone);
    }, 180_000);
  });

  describe('PostgreSQL connections terminated, then the server restarted', () => {
    let postgres: OwnPostgres;
    let backbone: RunningBackbone;
    let http: ReturnType<typeof request>;
    let token: string;
    const kafkaEnv = (): Record<string, string> => ({
      KAFKA_BROKERS: process.env['KAFKA_BROKERS'] ?? '',
      ...(process.env['KAFKA_USERNAME']
        ? { KAFKA_USERNAME: process.env['KAFKA_USERNAME'], KAFKA_PASSWORD: process.env['KAFKA_PASSWORD'] ?? '' }
        : {}),
    });

    beforeAll(async () => {
      postgres = await OwnPostgres.start(uniqueName('pg-outage'));
      const signer = generateAuditSigner();
      backbone = await startBackbone(
        [FORCE],
        [
          CasesApiModule,
          RelayModule,
          ProjectorModule,
          ProcessManagerModule,
          NationalModule.forRoot({ matchingKey: randomBytes(32), schema: 'nom_national_outage' }),
          AuditApiModule.forRoot({ publicKey: signer.publicKey, sealing: { signer, intervalMs: 200 } }),
        ],
        { DATABASE_URL: postgres.url, NOM_TIMER_INTERVAL_MS: '200', ...FAST_RETRY },
      );
      http = request(backbone.app.getHttpServer());
      token = `Bearer ${await backbone.token(FORCE, ['officer', 'supervisor'])}`;
    });

    afterAll(async () => {
      await backbone?.close();
      await postgres?.remove();
    });

    it('every loop reconnects after pg_terminate_backend and after a restart, and resumes from its checkpoint', async () => {
      for (let n = 0; n < 5; n += 1) expect(await createCase(http, token, n)).toBe(201);
      await waitReady(http, 'every loop ready');

      // Every session of this test's own server but ours: pools, LISTEN clients, advisory-lock holders.
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      await admin.end();
      expect(rowCount).toBeGreaterThan(0);
      await waitReady(http, 'every loop ready after the terminations');
      for (let n = 5; n < 10; n += 1) expect(await createCase(http, token, n)).toBe(201);

      await postgres.stop();
      const down = await waitFor(
        'readiness to report the loops waiting for the database',
        async () => {
          const r = await readiness(http);
          return r.status === 503 && Object.values(r.body.details.loops?.states ?? {}).some((l) => !l.ready) ? r.body : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(Object.values(down.details.loops?.states ?? {}).filter((l) => !l.ready).length).toBeGreaterThan(0);
      expect(await http.get('/health/live').then((r) => r.status)).toBe(200);

      await postgres.start();
      await waitReady(http, 'every loop ready after the restart');
      for (let n = 10; n < 15; n += 1) expect(await createCase(http, token, n)).toBe(201);
      await expectEveryEventOnKafkaOnce(backbone, kafkaEnv());
      await expectProjectionEqualsRecount(backbone);
    }, 180_000);
  });
});
