import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { FORCE_CODES } from '#contracts';
import { kafkaAclBindings, parseKafkaCredentials, toKafkajsAcl, KAFKA_PROJECTOR_PRINCIPAL, KAFKA_RELAY_PRINCIPAL } from '#messaging';
import type { KafkaPrincipal } from '#platform';

/** The relay's and the projector's own principals for an end-to-end backbone, and how to take their ACLs away. */
export interface E2eKafkaPrincipals {
  readonly relay: KafkaPrincipal;
  readonly projector: KafkaPrincipal;
  removeAcls(): Promise<void>;
}

/**
 * Runs the end-to-end relay as `nom-relay` and the projector as `nom-projector` (issue 12 item 7), never as the
 * admin: gives them, as the admin, exactly the ACLs `scripts/kafka/broker.sh` gives them, for the test's own topic
 * prefix (every force, so that an onboarded force is covered too). Undefined on a broker without SASL.
 * `kafkaEnv`: the KAFKA_* settings the backbone is configured with (the tests' broker, or a test's own broker).
 */
export async function e2eKafkaPrincipals(
  topicPrefix: string,
  kafkaEnv: Record<string, string | undefined>,
): Promise<E2eKafkaPrincipals | undefined> {
  const { KAFKA_BROKERS: brokers, KAFKA_SASL_MECHANISM: mechanism, KAFKA_USERNAME: username, KAFKA_PASSWORD: password } = kafkaEnv;
  const file = kafkaEnv['KAFKA_CREDENTIALS_FILE'] ?? process.env['KAFKA_CREDENTIALS_FILE'];
  if (!brokers || mechanism?.toLowerCase() !== 'scram-sha-512' || !username || !password || !file) return undefined;
  const credentials = parseKafkaCredentials(readFileSync(file, 'utf8'));
  const principal = (name: string): KafkaPrincipal => {
    const secret = credentials.get(name);
    if (!secret) throw new Error(`no password for Kafka principal ${name} in ${file}`);
    return { username: name, password: secret };
  };
  const principals = new Set([`User:${KAFKA_RELAY_PRINCIPAL}`, `User:${KAFKA_PROJECTOR_PRINCIPAL}`]);
  const acl = kafkaAclBindings(FORCE_CODES, topicPrefix)
    .filter((b) => principals.has(b.principal))
    .map(toKafkajsAcl);
  const kafka = new Kafka({
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    sasl: { mechanism: 'scram-sha-512', username, password },
    ...(kafkaEnv['KAFKA_SSL'] === 'true' ? { ssl: true } : {}),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl });
  } finally {
    await admin.disconnect();
  }
  return {
    relay: principal(KAFKA_RELAY_PRINCIPAL),
    projector: principal(KAFKA_PROJECTOR_PRINCIPAL),
    async removeAcls() {
      const remover = kafka.admin();
      await remover.connect();
      try {
        await remover.deleteAcls({ filters: acl });
      } finally {
        await remover.disconnect();
      }
    },
  };
}
