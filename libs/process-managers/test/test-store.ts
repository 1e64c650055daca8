import pg from 'pg';
import { assertValidEvents } from '#contracts';
import { PostgresEventStore, withValidation, type CheckpointStore, type DeadLetterStore, type EventStore } from '#event-store';
import { DecisionRunner, type Clock } from '#platform';
import { requiredEnv, uniqueName } from '#testing';

export const databaseUrl = requiredEnv('DATABASE_URL');

/** A store of its own (a fresh schema, validating) and a decision runner on the recording clock given. */
export interface TestStore {
  readonly raw: PostgresEventStore;
  readonly store: EventStore & CheckpointStore & DeadLetterStore;
  readonly runner: DecisionRunner;
  /** Closes the store and drops its schema. */
  drop(): Promise<void>;
}

export async function openTestStore(prefix: string, clock: Clock): Promise<TestStore> {
  const raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName(prefix) });
  const store = withValidation(raw, assertValidEvents);
  return {
    raw,
    store,
    runner: new DecisionRunner(store, clock),
    async drop() {
      await raw.close();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${raw.schema} CASCADE`);
      await client.end();
    },
  };
}
