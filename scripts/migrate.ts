import { ConfigError, createInfrastructure, loadConfig } from '#platform';

/**
 * The migration job (Compose, Kubernetes, scripts/stack.sh): migrates the event store, the idempotency store, the
 * access log (and the subject keys when NOM_KEK is given) to this build's schema, then exits 0. Services migrate on
 * start too, under the same advisory locks, so running it first only moves that work (and its failures) out of the
 * services' start. `node dist/scripts/migrate.js`; DATABASE_URL as the schema owner's role.
 */
try {
  const config = loadConfig();
  const infrastructure = await createInfrastructure(config, { requireAuth: false, personalData: config.kek !== undefined });
  await infrastructure.close();
  console.log(`migrated ${config.eventStoreSchema} and ${config.auditSchema}`);
} catch (error) {
  console.error(`migration failed: ${error instanceof ConfigError ? error.message : String(error)}`);
  process.exitCode = 1;
}
