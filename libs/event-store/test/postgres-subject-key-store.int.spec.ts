import pg from 'pg';
import { requiredEnv, uniqueName } from '#testing';
import { KeyWrapperError, LocalKeyWrapper, PostgresSubjectKeyStore } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

describe('PostgresSubjectKeyStore: wrapped keys, lazy race-safe creation, erasure with a tombstone', () => {
  const schema = uniqueName('keys');
  const kek = LocalKeyWrapper.generateKek();
  let keys: PostgresSubjectKeyStore;
  let db: pg.Client;

  beforeAll(async () => {
    keys = await PostgresSubjectKeyStore.open({ connectionString: databaseUrl, schema, wrapper: LocalKeyWrapper.fromBase64(kek) });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await keys.close();
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.end();
  });

  it('creates one key per subject even under concurrent first writers, and stores it only wrapped', async () => {
    const subject = uniqueName('victim');
    const results = await Promise.all(Array.from({ length: 8 }, () => keys.keysForWriting([subject])));
    const distinct = new Set(
      results.map((r) => {
        const k = r.get(subject);
        return k?.state === 'active' ? k.key.toString('hex') : 'none';
      }),
    );
    expect(distinct.size).toBe(1);
    const [key] = [...distinct];
    const { rows } = await db.query<{ wrapped_key: Buffer }>(`SELECT wrapped_key FROM ${schema}.subject_keys WHERE subject_id = $1`, [
      subject,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.wrapped_key.toString('hex')).not.toContain(key);
    const read = (await keys.keysForReading([subject])).get(subject);
    expect(read?.state === 'active' && read.key.toString('hex')).toBe(key);
  });

  it('reads many subjects in one call; a subject without a key is absent', async () => {
    const [a, b, none] = [uniqueName('suspect'), uniqueName('suspect'), uniqueName('suspect')];
    await keys.keysForWriting([a, b]);
    const read = await keys.keysForReading([a, b, none]);
    expect([...read.keys()].sort()).toEqual([a, b].sort());
  });

  it('erasure deletes the key row, keeps a tombstone (the first erasure of record), and no key is ever made again', async () => {
    const subject = uniqueName('suspect');
    await keys.keysForWriting([subject]);
    const [first] = await keys.erase([subject], {
      force: 'avon-somerset',
      erasedBy: 'AS-ADM1',
      reason: 'dpa-s47-erasure',
      reference: 'REF-1',
    });
    const [second] = await keys.erase([subject], { force: 'avon-somerset', erasedBy: 'AS-ADM2', reason: 'court-order' });
    expect(second).toEqual(first);
    expect(first).toMatchObject({ subjectId: subject, erasedBy: 'AS-ADM1', reason: 'dpa-s47-erasure', reference: 'REF-1' });
    expect((await db.query(`SELECT 1 FROM ${schema}.subject_keys WHERE subject_id = $1`, [subject])).rowCount).toBe(0);
    expect((await keys.keysForReading([subject])).get(subject)).toEqual({ state: 'erased' });
    expect((await keys.keysForWriting([subject])).get(subject)).toEqual({ state: 'erased' });
    expect((await db.query(`SELECT 1 FROM ${schema}.subject_keys WHERE subject_id = $1`, [subject])).rowCount).toBe(0);
  });

  it('erasure racing a first key creation leaves no key behind', async () => {
    for (let i = 0; i < 10; i++) {
      const subject = uniqueName('victim');
      await Promise.all([
        keys.keysForWriting([subject]),
        keys.erase([subject], { force: 'avon-somerset', erasedBy: 'AS-ADM1', reason: 'dpa-s47-erasure' }),
        keys.keysForWriting([subject]),
      ]);
      expect((await db.query(`SELECT 1 FROM ${schema}.subject_keys WHERE subject_id = $1`, [subject])).rowCount).toBe(0);
    }
  });

  it('a process holding another KEK cannot unwrap the keys', async () => {
    const subject = uniqueName('officer');
    await keys.keysForWriting([subject]);
    const other = await PostgresSubjectKeyStore.open({
      connectionString: databaseUrl,
      schema,
      wrapper: LocalKeyWrapper.fromBase64(LocalKeyWrapper.generateKek()),
    });
    try {
      await expect(other.keysForReading([subject])).rejects.toThrow(KeyWrapperError);
    } finally {
      await other.close();
    }
  });
});
