import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';

/**
 * The integration and e2e tiers need the real PostgreSQL and Kafka that `npm test` (scripts/test.sh) starts.
 * Fail loudly, never skip, when they are not there.
 */
export default async function globalSetup(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'];
  const brokers = process.env['KAFKA_BROKERS'];
  const missing = [!databaseUrl && 'DATABASE_URL', !brokers && 'KAFKA_BROKERS'].filter(Boolean);
  if (missing.length > 0) {
    throw new Error(`${missing.join(' and ')} not set: run \`npm test\`, which provisions PostgreSQL and Kafka first`);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL at DATABASE_URL is not reachable: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
  // The tests' broker (scripts/kafka/broker.sh) requires SASL/SCRAM (ADR 0010): KAFKA_SASL_MECHANISM, KAFKA_USERNAME
  // and KAFKA_PASSWORD are the super user's, KAFKA_CREDENTIALS_FILE holds the other principals' passwords.
  const mechanism = process.env['KAFKA_SASL_MECHANISM']?.toLowerCase();
  const username = process.env['KAFKA_USERNAME'];
  const password = process.env['KAFKA_PASSWORD'];
  const sasl = mechanism && username && password ? { sasl: { mechanism: mechanism as 'scram-sha-512', username, password } } : {};
  const admin = new Kafka({
    brokers: brokers!.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
    ...sasl,
    ...(process.env['KAFKA_SSL'] === 'true' ? { ssl: true } : {}),
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    const hint = mechanism
      ? ''
      : ' (the broker of scripts/kafka/broker.sh needs SASL: set the KAFKA_* lines that `broker.sh start` prints)';
    throw new Error(
      `Kafka at KAFKA_BROKERS=${brokers} is not reachable as ${username ?? 'an unauthenticated client'}: ${(error as Error).message}${hint}`,
      { cause: error },
    );
  } finally {
    await admin.disconnect();
  }
}
