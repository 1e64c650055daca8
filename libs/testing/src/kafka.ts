import { readFileSync } from 'node:fs';
import type { Kafka, SASLOptions } from 'kafkajs';
import { parseKafkaCredentials } from '#messaging';
import { requiredEnv } from './unique.js';
import { waitFor } from './wait-for.js';

/** Brokers and SASL settings for a kafkajs client (`new Kafka({ ...testKafka(), ... })`) or a KafkaMessageBus. */
export interface TestKafkaConnection {
  readonly brokers: string[];
  readonly sasl?: SASLOptions;
  readonly ssl?: boolean;
}

const MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

function mechanism(): (typeof MECHANISMS)[number] | undefined {
  const raw = process.env['KAFKA_SASL_MECHANISM']?.trim().toLowerCase();
  if (!raw) return undefined;
  const found = MECHANISMS.find((m) => m === raw);
  if (!found) throw new Error(`KAFKA_SASL_MECHANISM ${raw} is not one of ${MECHANISMS.join(', ')}`);
  return found;
}

/** The password of a principal of the test broker, from the credentials file that scripts/kafka/broker.sh wrote. */
export function kafkaPassword(principal: string): string {
  if (principal === process.env['KAFKA_USERNAME'] && process.env['KAFKA_PASSWORD']) return process.env['KAFKA_PASSWORD'];
  const file = requiredEnv('KAFKA_CREDENTIALS_FILE');
  const password = parseKafkaCredentials(readFileSync(file, 'utf8')).get(principal);
  if (!password) throw new Error(`no password for Kafka principal ${principal} in ${file}`);
  return password;
}

/**
 * The connection to the tests' broker (KAFKA_BROKERS, KAFKA_SASL_MECHANISM, KAFKA_USERNAME, KAFKA_PASSWORD,
 * KAFKA_SSL). By default as the principal of the environment (the super user `nom-admin` in `npm test`); with
 * `principal`, as that SCRAM user (password from KAFKA_CREDENTIALS_FILE).
 */
export function testKafka(principal?: string): TestKafkaConnection {
  const brokers = requiredEnv('KAFKA_BROKERS')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const ssl = process.env['KAFKA_SSL'] === 'true' ? { ssl: true } : {};
  const saslMechanism = mechanism();
  const username = principal ?? process.env['KAFKA_USERNAME'];
  if (!saslMechanism || !username) {
    if (principal)
      throw new Error(
        `Kafka principal ${principal} asked for, but KAFKA_SASL_MECHANISM is not set: run the tests against the SASL broker of scripts/kafka/broker.sh`,
      );
    return { brokers, ...ssl };
  }
  return { brokers, sasl: { mechanism: saslMechanism, username, password: kafkaPassword(username) }, ...ssl };
}

/** The KAFKA_* variables of the environment's principal (or `principal`), for loadConfig or a child process. */
export function testKafkaEnv(principal?: string): Record<string, string> {
  const { brokers, sasl, ssl } = testKafka(principal);
  return {
    KAFKA_BROKERS: brokers.join(','),
    ...(sasl && 'username' in sasl
      ? { KAFKA_SASL_MECHANISM: sasl.mechanism, KAFKA_USERNAME: sasl.username, KAFKA_PASSWORD: sasl.password }
      : {}),
    ...(ssl ? { KAFKA_SSL: 'true' } : {}),
  };
}

/**
 * Waits until every topic exists (the relay creates the force and national topics at start-up: a test that
 * created them too would race it), through a short-lived admin client.
 */
export async function waitForTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(`topics ${topics.join(', ')}`, async () => {
      const existing = await admin.listTopics();
      return topics.every((t) => existing.includes(t));
    });
  } finally {
    await admin.disconnect();
  }
}
