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
  const admin = new Kafka({ brokers: brokers!.split(','), logLevel: logLevel.NOTHING, retry: { retries: 3 } }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw new Error(`Kafka at KAFKA_BROKERS=${brokers} is not reachable: ${(error as Error).message}`, { cause: error });
  } finally {
    await admin.disconnect();
  }
}
