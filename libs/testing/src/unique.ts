import { randomBytes } from 'node:crypto';

/** A name no other test (or earlier run) uses: schemas, topics, consumer groups. Lower-case, PG-safe. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** The real services the integration tiers run against; scripts/test.sh provides them. */
export function requiredEnv(name: 'DATABASE_URL' | 'KAFKA_BROKERS' | 'KAFKA_CREDENTIALS_FILE'): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests with \`npm test\`, which starts PostgreSQL and Kafka first`);
  }
  return value;
}
