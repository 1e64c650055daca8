import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import request from 'supertest';
import { EVENT_CATALOGUE, forceTopic, fromKafkaRecord, type ForceCode } from '#contracts';
import { CasesApiModule } from '#cases-api';
import { forcePrincipal } from '#messaging';
import { PrivacyModule } from '#privacy';
import { RelayModule } from '#relay-runtime';
import { SuspectsApiModule } from '#suspects-api';
import { testKafka, uniqueName, waitFor } from '#testing';
import { VictimsApiModule } from '#victims-api';
import { startBackbone, type RunningBackbone } from '../support/backbone.js';
import { grantForceTopic, storeEvents, waitPublished, writeForceHistory } from '../support/integrators.js';

const { Kafka, logLevel } = kafkajs;
const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..');

/**
 * The event package (issue 18 item 1, ADR 0033): `npm pack` of packages/events gives a tarball that a fresh project
 * installs from the file (its dependencies from the npm cache) with nothing of NestJS or TypeORM, and with it decodes
 * records captured from the broker exactly as the backbone does and decrypts a personal field with the subject key
 * from the API.
 */
const A: ForceCode = 'kent';

describe('the event package, packed and installed in a fresh project', () => {
  let backbone: RunningBackbone;
  let project: string;
  const admin = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING }).admin();
  let granted: kafkajs.AclEntry[] = [];
  const captured: { key: string | null; value: string | null; headers: Record<string, string> }[] = [];
  let subjectKey = '';

  beforeAll(async () => {
    const packs = mkdtempSync(join(tmpdir(), 'nom-events-pack-'));
    await run('npm', ['run', '--silent', 'build:events'], { cwd: REPO });
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', packs], {
      cwd: join(REPO, 'packages', 'events'),
    });
    const tarball = join(packs, stdout.trim().split('\n').pop()!);
    project = mkdtempSync(join(tmpdir(), 'nom-events-consumer-'));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'fresh-consumer', version: '1.0.0', private: true, type: 'module' }),
    );
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: project });

    backbone = await startBackbone([A], [CasesApiModule, SuspectsApiModule, VictimsApiModule, PrivacyModule, RelayModule]);
    const http = request(backbone.app.getHttpServer());
    await admin.connect();
    granted = await grantForceTopic(admin, A, backbone.config.topicPrefix);
    const { victimId } = await writeForceHistory(http, backbone, A);
    const count = (await storeEvents(backbone, A)).length;
    await waitPublished(admin, backbone, A, count);
    // Records as a force's consumer receives them, as its own principal.
    const consumer = new Kafka({ ...testKafka(forcePrincipal(A)), logLevel: logLevel.NOTHING }).consumer({
      groupId: `force-${A}.${uniqueName('pkg')}`,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: forceTopic(A, backbone.config.topicPrefix), fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        captured.push({ key: message.key?.toString() ?? null, value: message.value?.toString('base64') ?? null, headers });
        return Promise.resolve();
      },
    });
    await waitFor('the force topic read', () => captured.length >= count, { timeoutMs: 60_000 });
    await consumer.disconnect();
    const token = await backbone.token(A, ['force-integration'], 'KT-INT1');
    const key = await http.get(`/forces/${A}/subject-keys/victim-${victimId}`).set('Authorization', `Bearer ${token}`).expect(200);
    subjectKey = key.body.key as string;
  }, 10 * 60_000);

  afterAll(async () => {
    if (granted.length > 0) await admin.deleteAcls({ filters: granted }).catch(() => undefined);
    await admin.disconnect();
    await backbone?.close();
  });

  it('installs with no NestJS, TypeORM or other backbone dependency', () => {
    const installed = readdirSync(join(project, 'node_modules'))
      .filter((f) => !f.startsWith('.'))
      .sort();
    expect(installed).toEqual([
      '@nom-backbone',
      '@opentelemetry',
      'ajv',
      'ajv-formats',
      'fast-deep-equal',
      'fast-uri',
      'json-schema-traverse',
      'require-from-string',
    ]);
    expect(existsSync(join(project, 'node_modules', '@nom-backbone', 'events', 'dist', 'libs', 'contracts', 'src', 'index.d.ts'))).toBe(
      true,
    );
  });

  it("decodes the broker's records as the backbone does, validates them and decrypts a personal field", async () => {
    writeFileSync(join(project, 'records.json'), JSON.stringify({ records: captured, key: subjectKey }));
    const script = `
      import { readFileSync } from 'node:fs';
      import { EVENT_CATALOGUE, fromKafkaRecord, decryptField, isEncryptedToken, personalFieldsOf, readPointer, validateEvent } from '@nom-backbone/events';
      const { records, key } = JSON.parse(readFileSync('records.json', 'utf8'));
      const events = records.map((r) => fromKafkaRecord({ key: r.key, value: Buffer.from(r.value, 'base64'), headers: r.headers }));
      const clear = [];
      for (const e of events) for (const pointer of personalFieldsOf(e.type)) {
        const found = readPointer(e.data, pointer);
        if (found.found && isEncryptedToken(found.value) && e.streamId.startsWith('victim-')) clear.push([pointer, decryptField(Buffer.from(key, 'base64url'), e.id, pointer, found.value)]);
      }
      const invalid = events.filter((e) => validateEvent(e, { personalFieldsProtected: true }).length > 0).map((e) => e.type);
      console.log(JSON.stringify({ events: JSON.parse(JSON.stringify(events, (_, v) => typeof v === 'bigint' ? v.toString() : v)), clear, invalid, catalogue: EVENT_CATALOGUE.length }));
    `;
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: project, maxBuffer: 16 << 20 });
    const result = JSON.parse(stdout) as { events: unknown[]; clear: [string, unknown][]; invalid: string[]; catalogue: number };
    const ours = captured.map((r) =>
      fromKafkaRecord({ key: r.key, value: r.value === null ? null : Buffer.from(r.value, 'base64'), headers: r.headers }),
    );
    expect(result.events).toEqual(JSON.parse(JSON.stringify(ours, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))));
    expect(result.invalid).toEqual([]);
    expect(result.catalogue).toBe(EVENT_CATALOGUE.length);
    expect(result.clear).toEqual(expect.arrayContaining([['/safeContact/name', 'Zephyrine Q']]));
  });

  it("carries the backbone's own catalogue: the same types, schemas and personal fields", async () => {
    const script = `import { EVENT_CATALOGUE } from '@nom-backbone/events'; console.log(JSON.stringify(EVENT_CATALOGUE));`;
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: project, maxBuffer: 16 << 20 });
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(EVENT_CATALOGUE)));
    expect(JSON.parse(readFileSync(join(project, 'node_modules', '@nom-backbone', 'events', 'package.json'), 'utf8')).name).toBe(
      '@nom-backbone/events',
    );
  });
});
