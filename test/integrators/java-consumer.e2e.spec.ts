import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import request from 'supertest';
import { forceTopic, type ForceCode } from '#contracts';
import { CasesApiModule } from '#cases-api';
import { forceGroupPrefix, forcePrincipal } from '#messaging';
import { ProjectorModule } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { PrivacyModule } from '#privacy';
import { SuspectsApiModule } from '#suspects-api';
import { freePort } from '#platform';
import { kafkaPassword, testKafka, uniqueName } from '#testing';
import { VictimsApiModule } from '#victims-api';
import { startBackbone, type RunningBackbone } from '../support/backbone.js';
import { grantForceTopic, integratorClient, storeEvents, waitPublished, writeForceHistory } from '../support/integrators.js';

const { Kafka, logLevel } = kafkajs;
const run = promisify(execFile);

/**
 * The Java consumer of the integrators' kit (examples/java-consumer, issue 18 item 3), built with Maven and run as a
 * force integration team would run it, against the real SASL broker and the backbone over real HTTP: it decodes every
 * event the backbone published for its force with the CloudEvents SDK, validates each one's data against the schema
 * its `ce_dataschema` URL serves, decrypts the personal fields with the subject keys from the API, reports no error,
 * no gap and no duplicate; and it can read no other force's topic.
 */
const A: ForceCode = 'kent';
const B: ForceCode = 'essex';

interface Report {
  readonly applied: string[];
  readonly errors: { at: string; kind: string; message: string }[];
  readonly gaps: unknown[];
  readonly decrypted: { id: string; pointer: string; value: unknown }[];
  readonly duplicates: number;
  readonly types: Record<string, number>;
  readonly timedOut?: boolean;
  readonly refused?: { kind: string; message: string };
}

describe('the Java consumer decodes, validates and decrypts its force topic', () => {
  let backbone: RunningBackbone;
  let jar: string;
  let baseUrl: string;
  let integrationToken: string;
  const admin = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING }).admin();
  let granted: kafkajs.AclEntry[] = [];

  async function javaConsumer(topic: string, stopAfter: number): Promise<{ exit: number; report: Report }> {
    const env = {
      ...process.env,
      KAFKA_BROKERS: testKafka().brokers.join(','),
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      KAFKA_USERNAME: forcePrincipal(A),
      KAFKA_PASSWORD: kafkaPassword(forcePrincipal(A)),
      NOM_FORCE: A,
      NOM_TOPIC: topic,
      NOM_GROUP_ID: `${forceGroupPrefix(A)}${uniqueName('java')}`,
      NOM_API_URL: baseUrl,
      NOM_API_TOKEN: integrationToken,
      NOM_STOP_AFTER: String(stopAfter),
      NOM_TIMEOUT_MS: '60000',
    };
    try {
      const { stdout } = await run('java', ['-Xmx256m', '-jar', jar], { env, maxBuffer: 16 << 20 });
      return { exit: 0, report: JSON.parse(stdout) as Report };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      if (!failed.stdout)
        throw new Error(`the Java consumer printed no report (exit ${failed.code}): ${failed.stderr ?? ''}`, { cause: error });
      return { exit: failed.code ?? -1, report: JSON.parse(failed.stdout) as Report };
    }
  }

  beforeAll(async () => {
    jar = await integratorClient('java');
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    backbone = await startBackbone(
      [A, B],
      [CasesApiModule, SuspectsApiModule, VictimsApiModule, PrivacyModule, RelayModule, ProjectorModule],
      {
        NOM_SCHEMA_BASE_URL: `${baseUrl}/schemas`,
      },
    );
    await backbone.app.listen(port, '127.0.0.1');
    integrationToken = await backbone.token(A, ['force-integration'], 'KT-INT1');
    const http = request(backbone.app.getHttpServer());
    await admin.connect();
    granted = await grantForceTopic(admin, A, backbone.config.topicPrefix);
    await writeForceHistory(http, backbone, A);
    await writeForceHistory(http, backbone, A);
    await writeForceHistory(http, backbone, B);
    await waitPublished(admin, backbone, A, (await storeEvents(backbone, A)).length);
  }, 10 * 60_000);

  afterAll(async () => {
    if (granted.length > 0) await admin.deleteAcls({ filters: granted }).catch(() => undefined);
    await admin.disconnect();
    await backbone?.close();
  });

  it('applies every event of its force once, each valid against its served schema, with its personal fields decrypted', async () => {
    const entitled = await storeEvents(backbone, A);
    const { exit, report } = await javaConsumer(forceTopic(A, backbone.config.topicPrefix), entitled.length);
    expect({ exit, errors: report.errors, gaps: report.gaps, duplicates: report.duplicates, timedOut: report.timedOut }).toEqual({
      exit: 0,
      errors: [],
      gaps: [],
      duplicates: 0,
      timedOut: undefined,
    });
    expect([...report.applied].sort()).toEqual(entitled.map((e) => e.id).sort());
    const byType: Record<string, number> = {};
    for (const e of entitled) byType[e.type] = (byType[e.type] ?? 0) + 1;
    expect(report.types).toEqual(byType);
    // The victim's safe contact and the suspect's name, in clear only after decryption with the subject key.
    expect(report.decrypted).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/safeContact/name', value: 'Zephyrine Q' }),
        expect.objectContaining({ pointer: '/name', value: 'Ambrose K' }),
      ]),
    );
  });

  it("is refused another force's topic and reads nothing of it", async () => {
    const { exit, report } = await javaConsumer(forceTopic(B, backbone.config.topicPrefix), 1);
    expect({ exit, applied: report.applied, refused: report.refused?.kind }).toEqual({
      exit: 2,
      applied: [],
      refused: 'TopicAuthorizationException',
    });
  });
});
