import { z } from 'zod';
import { flag, integer, KAFKA_CLIENTS, list, text, variable, type Service } from './variable.js';

/** The processes that create topics (and need the right to). */
export const TOPIC_CREATORS = ['relay', 'projector', 'sealer', 'quickstart'] as const satisfies readonly Service[];

/** The Kafka connection: brokers, topics' partitions and replicas, SASL (SCRAM, PLAIN or OAUTHBEARER) and TLS (ADR 0010). */
export const KAFKA_VARIABLES = {
  KAFKA_BROKERS: variable({
    schema: list(),
    default: '– (quick start: in-process bus)',
    services: [...KAFKA_CLIENTS, 'kafka provisioning'],
    secret: false,
    description: 'comma-separated bootstrap servers (required by the relay and the projector)',
    example: '127.0.0.1:9092',
  }),
  KAFKA_PARTITIONS: variable({
    schema: integer(6, 1, 1000),
    default: '`6`',
    services: TOPIC_CREATORS,
    secret: false,
    description: 'partitions of each force topic created',
  }),
  KAFKA_REPLICATION_FACTOR: variable({
    schema: integer(1, 1, 10),
    default: '`1`',
    services: TOPIC_CREATORS,
    secret: false,
    description: 'replication factor of topics created (3 on a managed cluster)',
  }),
  KAFKA_SASL_MECHANISM: variable({
    schema: z.preprocess(
      (raw) => (typeof raw === 'string' && raw.trim() !== '' ? raw.trim().toLowerCase() : undefined),
      z
        .enum(['scram-sha-512', 'scram-sha-256', 'plain', 'oauthbearer'], {
          error: 'must be one of scram-sha-512, scram-sha-256, plain, oauthbearer',
        })
        .optional(),
    ),
    default: '– (no authentication)',
    services: [...KAFKA_CLIENTS, 'kafka provisioning'],
    secret: false,
    description:
      '`scram-sha-512`, `scram-sha-256` or `plain` (need `KAFKA_USERNAME` and `KAFKA_PASSWORD`), or `oauthbearer` (needs the ' +
      '`KAFKA_OAUTH_*` client credentials)',
  }),
  KAFKA_USERNAME: variable({
    schema: text(),
    default: '–',
    services: [...KAFKA_CLIENTS, 'kafka provisioning'],
    secret: false,
    description:
      "the process's own Kafka principal (`nom-relay`, `nom-projector`; the sealer publishes checkpoints as `nom-relay`; a verifier " +
      "reads them as its force's `force-<code>`; ADR 0010, ADR 0023)",
  }),
  KAFKA_PASSWORD: variable({
    schema: text(),
    default: '–',
    services: [...KAFKA_CLIENTS, 'kafka provisioning'],
    secret: true,
    description: 'its password',
  }),
  KAFKA_CREDENTIALS_FILE: variable({
    schema: text(),
    default: '–',
    services: ['kafka provisioning'],
    secret: false,
    description: 'a file of `principal=password` lines (`scripts/kafka/broker.sh` writes one), read when `KAFKA_PASSWORD` is unset',
  }),
  KAFKA_SSL: variable({
    schema: flag(false),
    default: '`false`',
    services: KAFKA_CLIENTS,
    secret: false,
    description: '`true`: TLS to the brokers, verified against the system CA store (or `KAFKA_SSL_CA_FILE`)',
  }),
  KAFKA_SSL_CA_FILE: variable({
    schema: text(),
    default: '–',
    services: KAFKA_CLIENTS,
    secret: false,
    description: "PEM file of the CA(s) that signed the brokers' certificates (a managed cluster's private CA); implies TLS",
  }),
  KAFKA_OAUTH_TOKEN_URL: variable({
    schema: text().pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
    default: '–',
    services: KAFKA_CLIENTS,
    secret: false,
    description:
      "with `KAFKA_SASL_MECHANISM=oauthbearer`: the OAuth 2.0 token endpoint (client-credentials grant) of the cluster's identity provider",
  }),
  KAFKA_OAUTH_CLIENT_ID: variable({
    schema: text(),
    default: '–',
    services: KAFKA_CLIENTS,
    secret: false,
    description: "the OAuth client id of this process's principal",
  }),
  KAFKA_OAUTH_CLIENT_SECRET: variable({
    schema: text(),
    default: '–',
    services: KAFKA_CLIENTS,
    secret: true,
    description: 'its client secret',
  }),
  KAFKA_OAUTH_SCOPE: variable({
    schema: text(),
    default: '–',
    services: KAFKA_CLIENTS,
    secret: false,
    description: 'the scope asked for, if the provider needs one',
  }),
};
