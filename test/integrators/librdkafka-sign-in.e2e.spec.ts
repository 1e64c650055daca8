import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import request from 'supertest';
import { forceTopic, fromKafkaRecord, type ForceCode } from '#contracts';
import { forceGroupPrefix, forcePrincipal } from '#messaging';
import { CasesApiModule } from '#cases-api';
import { ProjectorModule } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { PrivacyModule } from '#privacy';
import { SuspectsApiModule } from '#suspects-api';
import { kafkaPassword, testKafka, uniqueName } from '#testing';
import { VictimsApiModule } from '#victims-api';
import { startBackbone, type RunningBackbone } from '../support/backbone.js';
import { grantForceTopic, integratorClient, storeEvents, waitPublished, writeForceHistory } from '../support/integrators.js';

const { Kafka, logLevel } = kafkajs;
const run = promisify(execFile);

/**
 * Every common client can sign in (issue 18 item 4, ADR 0030). A librdkafka-based client (node-rdkafka: librdkafka
 * 2.12.0, the library under the Python, .NET and Go Confluent clients) signs in to the SASL/SCRAM-SHA-512 broker as a
 * force principal, reads that force's whole topic and decodes it, and is refused another force's topic and a group
 * outside its prefix. And the reason Debian 12's kcat (librdkafka 2.0.2) is refused, pinned: a SCRAM client-final
 * message whose nonce repeats the client's nonce after the server's (what librdkafka did before 2.6.1) is refused by
 * the Kafka 4 broker with the right password, while the one RFC 5802 prescribes is accepted.
 */
const A: ForceCode = 'kent';
const B: ForceCode = 'essex';
const CONSUME = join(import.meta.dirname, '..', '..', 'scripts', 'clients', 'librdkafka', 'consume.mjs');

interface Consumed {
  readonly librdkafka: string;
  readonly records: { key: string | null; headers: Record<string, string>; value: string | null }[];
  readonly error?: { code: number | string; message: string };
}

describe('a librdkafka-based client signs in as a force principal', () => {
  let backbone: RunningBackbone;
  let rdkafkaDir: string;
  const admin = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING }).admin();
  let granted: kafkajs.AclEntry[] = [];

  async function consume(topic: string, group: string, expected: number, password = kafkaPassword(forcePrincipal(A))): Promise<Consumed> {
    const { stdout } = await run('node', [CONSUME, topic, group, String(expected), '30000'], {
      env: {
        ...process.env,
        NOM_LIBRDKAFKA_DIR: rdkafkaDir,
        KAFKA_BROKERS: testKafka().brokers.join(','),
        KAFKA_USERNAME: forcePrincipal(A),
        KAFKA_PASSWORD: password,
      },
      maxBuffer: 64 << 20,
    }).catch((error: { code?: number; signal?: string; stdout?: string; stderr?: string }) => {
      // The client prints its one result line before it closes librdkafka; a crash while closing (seen once in a
      // CI run, exit without a message) does not change what the broker answered, so a complete line stands.
      const line = (error.stdout ?? '').split('\n').find((l) => l.startsWith('{"librdkafka"'));
      if (line !== undefined) return { stdout: line };
      throw new Error(`consume.mjs ended with code ${error.code} signal ${error.signal} and no result; stderr: ${error.stderr}`);
    });
    return JSON.parse(stdout) as Consumed;
  }

  beforeAll(async () => {
    rdkafkaDir = await integratorClient('librdkafka');
    backbone = await startBackbone(
      [A, B],
      [CasesApiModule, SuspectsApiModule, VictimsApiModule, PrivacyModule, RelayModule, ProjectorModule],
    );
    const http = request(backbone.app.getHttpServer());
    await admin.connect();
    granted = await grantForceTopic(admin, A, backbone.config.topicPrefix);
    await writeForceHistory(http, backbone, A);
    await writeForceHistory(http, backbone, B);
    await waitPublished(admin, backbone, A, (await storeEvents(backbone, A)).length);
    await waitPublished(admin, backbone, B, (await storeEvents(backbone, B)).length);
  }, 25 * 60_000);

  afterAll(async () => {
    if (granted.length > 0) await admin.deleteAcls({ filters: granted }).catch(() => undefined);
    await admin.disconnect();
    await backbone?.close();
  });

  it("reads its own force's whole topic and every record decodes to one of the force's events", async () => {
    const entitled = await storeEvents(backbone, A);
    const got = await consume(
      forceTopic(A, backbone.config.topicPrefix),
      `${forceGroupPrefix(A)}${uniqueName('rdkafka')}`,
      entitled.length,
    );
    expect(got.error).toBeUndefined();
    expect(got.librdkafka).toBe('2.12.0');
    const events = got.records.map((r) =>
      fromKafkaRecord({ key: r.key, value: r.value === null ? null : Buffer.from(r.value, 'base64'), headers: r.headers }),
    );
    expect(events.map((e) => e.id).sort()).toEqual(entitled.map((e) => e.id).sort());
    expect(events.every((e) => e.metadata.force === A)).toBe(true);
  });

  it("is refused another force's topic, a group outside its prefix and a wrong password", async () => {
    const other = await consume(forceTopic(B, backbone.config.topicPrefix), `${forceGroupPrefix(A)}${uniqueName('rdkafka')}`, 1);
    expect({ records: other.records.length, error: other.error }).toEqual({
      records: 0,
      error: { code: 29, message: 'Broker: Topic authorization failed' },
    });
    const group = await consume(forceTopic(A, backbone.config.topicPrefix), `${forceGroupPrefix(B)}${uniqueName('rdkafka')}`, 1);
    expect({ records: group.records.length, code: group.error?.code }).toEqual({ records: 0, code: 30 });
    const wrong = await consume(
      forceTopic(A, backbone.config.topicPrefix),
      `${forceGroupPrefix(A)}${uniqueName('rdkafka')}`,
      1,
      'not-the-password',
    );
    expect(wrong.records).toEqual([]);
    expect(wrong.error?.message).toMatch(/authentication|SASL/i);
  });

  it('refuses, with the right password, a SCRAM proof whose nonce repeats the client nonce (librdkafka before 2.6.1)', async () => {
    // kafkajs' own SCRAM exchange, its client-final-message built once as RFC 5802 says and once as librdkafka 2.0.2 does.
    const { SCRAM } = createRequire(import.meta.url)('kafkajs/src/broker/saslAuthenticator/scram.js') as {
      SCRAM: { prototype: { finalMessageWithoutProof(response: { r: string }): string; currentNonce: string } };
    };
    const rfc = SCRAM.prototype.finalMessageWithoutProof;
    const signIn = async (): Promise<string> => {
      const client = new Kafka({ ...testKafka(forcePrincipal(A)), logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
      try {
        await client.connect();
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      } finally {
        await client.disconnect();
      }
    };
    try {
      expect(await signIn()).toBe('accepted');
      SCRAM.prototype.finalMessageWithoutProof = function (this: { currentNonce: string }, response: { r: string }) {
        return `c=biws,r=${response.r}${this.currentNonce}`;
      };
      expect(await signIn()).toMatch(/invalid credentials with SASL mechanism SCRAM-SHA-512/);
    } finally {
      SCRAM.prototype.finalMessageWithoutProof = rfc;
    }
  });
});
