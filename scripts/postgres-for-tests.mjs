// Finds the PostgreSQL the tests run against, printing its URL on stdout:
//   1. DATABASE_URL when set (must answer, or this fails);
//   2. else the machine's own server on 127.0.0.1:5432 (database nom_test, created if missing);
//   3. else nothing: prints "embedded" and scripts/test.sh starts the embedded PostgreSQL.
import pg from 'pg';

async function answers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const given = process.env.DATABASE_URL;
if (given) {
  if (!(await answers(given))) {
    console.error(`DATABASE_URL is set but PostgreSQL there does not answer: ${given.replace(/:[^:@/]*@/, ':***@')}`);
    process.exit(1);
  }
  console.log(given);
  process.exit(0);
}
const local = 'postgres://postgres@127.0.0.1:5432/postgres';
if (await answers(local)) {
  const admin = new pg.Client({ connectionString: local });
  await admin.connect();
  const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'nom_test'");
  if (rowCount === 0) await admin.query('CREATE DATABASE nom_test');
  await admin.end();
  console.log('postgres://postgres@127.0.0.1:5432/nom_test');
  process.exit(0);
}
console.log('embedded');
