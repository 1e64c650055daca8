// Starts the embedded PostgreSQL (real binaries from npm) for the tests, prints its URL, and keeps it
// running until this process receives SIGTERM/SIGINT. Used by scripts/test.sh when no server is configured.
import { startEmbeddedPostgres } from '../dist/libs/platform/src/embedded-postgres.js';

const db = await startEmbeddedPostgres({
  dataDir: '.local/test-pg',
  port: Number(process.env.NOM_TEST_PG_PORT ?? 54330),
  database: 'nom_test',
});
console.log(db.url);
const stop = () => db.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
setInterval(() => undefined, 1 << 30);
