import { CATALOGUE_VERSION, EVENT_CATALOGUE, dataSchemaUri } from './catalogue.js';
import { ENCRYPTED_PREFIX, publishedSchema } from './personal-data.js';
import { FORCE_CODES } from './forces.js';
import { NATIONAL } from './scope.js';
import { auditCheckpointsTopic, forceTopic, nationalTopic } from './topics.js';

/** The CloudEvents headers every record carries (the Kafka binding, binary mode). */
export const KAFKA_HEADERS: readonly { name: string; meaning: string }[] = [
  { name: 'ce_specversion', meaning: 'always `1.0`' },
  { name: 'ce_id', meaning: 'event id (UUID); unique across the whole log' },
  { name: 'ce_source', meaning: '`/uk/police/nom/forces/<force>`, or `/uk/police/nom/national` for national events' },
  { name: 'ce_type', meaning: 'event type, e.g. `uk.police.nom.cases.crime-recorded.v1`' },
  { name: 'ce_time', meaning: 'when the event store committed it (RFC 3339)' },
  { name: 'ce_subject', meaning: 'stream id, e.g. `case-<uuid>`; also the record key' },
  {
    name: 'ce_dataschema',
    meaning: 'URL of the JSON Schema of the data, `<schema base URL>/<type>`, served without a token (`GET /schemas/<type>`)',
  },
  { name: 'content-type', meaning: '`application/json`' },
  { name: 'ce_nomforce', meaning: 'owning force code, or `national` for national events' },
  { name: 'ce_nomstreamrevision', meaning: '0-based revision within the stream; dedupe on (ce_subject, this)' },
  { name: 'ce_nomposition', meaning: 'position in the global log (decimal, up to 63 bits)' },
  { name: 'ce_nomcorrelationid', meaning: 'correlation id (UUID) of the request that caused it' },
  { name: 'ce_nomcausationid', meaning: 'causation id (UUID)' },
  { name: 'ce_nomactor', meaning: 'officer id, or `system:<component>`' },
  { name: 'ce_nommodelversion', meaning: 'operating-model version it was recorded under' },
  { name: 'ce_nomclassification', meaning: '`OFFICIAL` or `OFFICIAL-SENSITIVE`' },
  { name: 'ce_nomoccurredat', meaning: 'when it happened in the world (RFC 3339)' },
];

const json = (value: unknown): string => JSON.stringify(value, null, 2);

/** docs/events.md: the human-readable event catalogue, generated from the code (`npm run docs`). */
export function renderEventCatalogue(): string {
  const lines = [
    '# Event catalogue',
    '',
    `Generated from \`libs/contracts\` by \`npm run docs\`; do not edit by hand. Catalogue version **${CATALOGUE_VERSION}**.`,
    '',
    `Every event travels on its force's topic \`${forceTopic('<force>')}\` as a CloudEvents 1.0 record in binary`,
    'mode: the value is the JSON `data` below; the attributes are headers. National events (scope `national`:',
    `the operating model's versions, which no force owns) travel on the national topic \`${nationalTopic()}\` instead.`,
    'The machine-readable description of the topics and messages is [`asyncapi.json`](asyncapi.json) (AsyncAPI 3).',
    '',
    `The sealer's signed checkpoints (ADR 0023) travel on \`${auditCheckpointsTopic()}\`, readable by every force`,
    "principal: plain JSON `{log, type, position, hash, signedAt, keyId, signature}` keyed by the log's name, not an",
    'event of this catalogue. Keep them; `audit verify --witness` checks the national database against them.',
    '',
    '## Personal data fields',
    '',
    'The fields each event lists under "personal data fields" are stored and published encrypted (ADR 0011): the',
    `JSON value is replaced by the string \`${ENCRYPTED_PREFIX}<base64url(iv 12 bytes | ciphertext | tag 16 bytes)>\`,`,
    'AES-256-GCM under the data key of the stream (key id = `ce_subject`), additional authenticated data',
    "`nom-enc:v1|<event id>|<JSON pointer of the field>`, plaintext the field's JSON value. A force integration team",
    "fetches a stream's key with `GET /forces/<force>/subject-keys/<stream id>` (role force-integration) until the",
    'subject is erased; `uk.police.nom.privacy.subject-erased.v1` then says which keys were destroyed, and the',
    'integrator must delete the keys and every clear copy it made. Examples below show the fields in clear.',
    '',
    '## Headers',
    '',
    '| header | meaning |',
    '|---|---|',
    ...KAFKA_HEADERS.map((h) => `| \`${h.name}\` | ${h.meaning} |`),
    '',
    '## Events',
    '',
    '| type | context | summary |',
    '|---|---|---|',
    ...EVENT_CATALOGUE.map((e) => `| [\`${e.type}\`](#${e.type.replaceAll('.', '')}) | ${e.context} | ${e.summary} |`),
    '',
  ];
  for (const entry of EVENT_CATALOGUE) {
    lines.push(
      `### ${entry.type}`,
      '',
      entry.summary,
      '',
      `* context: \`${entry.context}\``,
      `* topic: \`${entry.scope === NATIONAL ? nationalTopic() : forceTopic('<force>')}\``,
      `* schema (ce_dataschema): <${dataSchemaUri(entry.type)}>, served by the backbone at \`GET /schemas/${entry.type}\``,
      `* personal data fields: ${entry.personalFields.length === 0 ? 'none' : entry.personalFields.map((f) => `\`${f}\``).join(', ')}`,
      '',
      'Schema:',
      '',
      '```json',
      json(entry.schema),
      '```',
      '',
      'Example `data`:',
      '',
      '```json',
      json(entry.example),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

const messageName = (type: string): string =>
  type
    .replace(/^uk\.police\.nom\./, '')
    .split(/[.-]/)
    .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');

const hexSchema = (bytes: number) => ({ type: 'string', pattern: `^[0-9a-f]{${bytes * 2}}$` });

/** A signed checkpoint on the checkpoints topic: the JSON the sealer publishes (and `GET /national/audit/checkpoints` lists). */
const SIGNED_CHECKPOINT_MESSAGE = {
  name: 'signed-checkpoint',
  title: 'Signed checkpoint',
  summary: 'The chain hash of a sealed log after a position, signed with Ed25519 by the sealer (ADR 0009, ADR 0023).',
  contentType: 'application/json',
  payload: {
    type: 'object',
    additionalProperties: false,
    required: ['log', 'type', 'position', 'hash', 'signedAt', 'keyId', 'signature'],
    properties: {
      log: { type: 'string', enum: ['event-log', 'access-log'] },
      type: {
        type: 'string',
        enum: ['nom.event-log.checkpoint.v1', 'nom.access-log.checkpoint.v1'],
        description: 'inside the signed bytes',
      },
      position: { type: 'string', pattern: '^\\d{1,19}$' },
      hash: hexSchema(32),
      signedAt: { type: 'string', format: 'date-time' },
      keyId: hexSchema(8),
      signature: hexSchema(64),
    },
  },
  examples: [
    {
      name: 'example',
      payload: {
        log: 'access-log',
        type: 'nom.access-log.checkpoint.v1',
        position: '811654676037632',
        hash: '5f'.repeat(32),
        signedAt: '2026-12-04T21:40:00.000Z',
        keyId: '3f2a9c0d1e4b5a68',
        signature: '9c'.repeat(64),
      },
    },
  ],
  bindings: {
    kafka: { key: { type: 'string', enum: ['event-log', 'access-log'], description: "the log's name" }, bindingVersion: '0.5.0' },
  },
};

/** docs/asyncapi.json: AsyncAPI 3.0 description of the force topics, the national topic and every message, from the catalogue. */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const headers = {
    type: 'object',
    required: KAFKA_HEADERS.map((h) => h.name),
    properties: Object.fromEntries(KAFKA_HEADERS.map((h) => [h.name, { type: 'string', description: h.meaning.replaceAll('`', '') }])),
  };
  const messages = Object.fromEntries(
    EVENT_CATALOGUE.map((entry) => [
      messageName(entry.type),
      {
        name: entry.type,
        title: entry.type,
        summary: entry.summary,
        contentType: 'application/json',
        headers,
        payload: publishedSchema(entry.schema, entry.personalFields),
        examples: [{ name: 'example', payload: entry.example }],
        externalDocs: { description: 'JSON Schema of the data, served by the backbone (ce_dataschema)', url: dataSchemaUri(entry.type) },
        bindings: { kafka: { key: { type: 'string', description: 'stream id' }, bindingVersion: '0.5.0' } },
      },
    ]),
  );
  // Each message travels on exactly one channel: national events on the national topic, the rest on a force's.
  const namesOf = (national: boolean): string[] =>
    EVENT_CATALOGUE.filter((entry) => (entry.scope === NATIONAL) === national).map((entry) => messageName(entry.type));
  const channelMessages = (names: string[]) => Object.fromEntries(names.map((name) => [name, { $ref: `#/components/messages/${name}` }]));
  const forceMessages = namesOf(false);
  const nationalMessages = namesOf(true);
  return {
    asyncapi: '3.0.0',
    id: 'urn:uk:police:nom:backbone',
    info: {
      title: 'NOM Backbone force and national event topics',
      version: CATALOGUE_VERSION,
      description:
        'Domain events of the National Operating Model for RASSO investigations, one topic per force, and one ' +
        "national topic for national reference data (the operating model's published versions). " +
        'CloudEvents 1.0, Kafka binary mode: the value is the JSON data, attributes are ce_* headers. ' +
        'Delivery is at least once: dedupe on (ce_subject, ce_nomstreamrevision).',
    },
    defaultContentType: 'application/json',
    servers: {
      production: {
        host: '{bootstrap}',
        protocol: 'kafka-secure',
        description:
          'SASL_SSL. Each force integration team authenticates as its own principal `force-<force>` and may read only ' +
          'its force topic, with consumer groups named `force-<force>.<anything>`; nothing may be written (ADR 0010, ' +
          'docs/integrators.md).',
        variables: { bootstrap: { default: 'kafka.nom.police.uk:9093', description: 'bootstrap servers given to the force' } },
        security: [{ $ref: '#/components/securitySchemes/scram' }],
      },
      local: {
        host: 'localhost:9092',
        protocol: 'kafka',
        description: 'The broker of scripts/kafka/broker.sh (tests, development): SASL_PLAINTEXT with the same principals and ACLs.',
        security: [{ $ref: '#/components/securitySchemes/scram' }],
      },
    },
    channels: {
      forceEvents: {
        address: forceTopic('{force}'),
        title: "A force's events",
        description: "Every event of the force's streams; record key = stream id (order is kept per stream).",
        parameters: { force: { enum: [...FORCE_CODES], description: 'force code (forces.csv)' } },
        messages: channelMessages(forceMessages),
      },
      nationalEvents: {
        address: nationalTopic(),
        title: 'National events',
        description:
          "Every event of the national streams (ce_nomforce `national`): the operating model's versions as the " +
          "national team publishes and supersedes them. Record key = stream id. Forces' principals are not granted it " +
          'yet (one LITERAL READ ACL per force when an integrator needs it, ADR 0010).',
        messages: channelMessages(nationalMessages),
      },
      auditCheckpoints: {
        address: auditCheckpointsTopic(),
        title: 'Signed checkpoints of the sealed logs',
        description:
          'Every checkpoint the sealer signs over the event log and the access log (ADR 0023), published outside the ' +
          "database. Record key = the log's name. Every force principal may read it (consumer groups " +
          '`force-<force>.<anything>`); only the sealer (as `nom-relay`) writes. Keep the copies: ' +
          '`audit verify --witness <file>` or `--witness-topic` checks the national database against them.',
        messages: { signedCheckpoint: { $ref: '#/components/messages/signedCheckpoint' } },
      },
    },
    operations: {
      consumeForceEvents: {
        action: 'receive',
        title: "Consume your force's events",
        channel: { $ref: '#/channels/forceEvents' },
        messages: forceMessages.map((name) => ({ $ref: `#/channels/forceEvents/messages/${name}` })),
      },
      consumeNationalEvents: {
        action: 'receive',
        title: 'Consume the national events',
        channel: { $ref: '#/channels/nationalEvents' },
        messages: nationalMessages.map((name) => ({ $ref: `#/channels/nationalEvents/messages/${name}` })),
      },
      keepAuditCheckpoints: {
        action: 'receive',
        title: "Keep the sealer's signed checkpoints",
        channel: { $ref: '#/channels/auditCheckpoints' },
        messages: [{ $ref: '#/channels/auditCheckpoints/messages/signedCheckpoint' }],
      },
    },
    components: {
      messages: { ...messages, signedCheckpoint: SIGNED_CHECKPOINT_MESSAGE },
      securitySchemes: {
        scram: { type: 'scramSha512', description: 'SASL/SCRAM-SHA-512 with the principal and password issued to the force.' },
      },
    },
  };
}

export function renderAsyncApi(): string {
  return `${json(buildAsyncApiDocument())}\n`;
}
