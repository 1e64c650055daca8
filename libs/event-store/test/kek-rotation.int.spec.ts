import pg from 'pg';
import { requiredEnv, uniqueName } from '#testing';
import { KeyWrapperError, LocalKeyWrapper, PostgresSubjectKeyStore, rotateKek } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/**
 * KEK rotation (issue 12, item 8; `nom keys rotate-kek`): every subject key is rewrapped under the new KEK, so the
 * old KEK is no longer needed to read; the data keys themselves do not change (events still decrypt); an erased
 * subject has no key to rewrap and stays erased.
 */
describe(rotateKek.name, () => {
  const schema = uniqueName('kek');
  const oldKek = LocalKeyWrapper.generateKek();
  const newKek = LocalKeyWrapper.generateKek();
  let before: PostgresSubjectKeyStore;
  let db: pg.Client;

  beforeAll(async () => {
    before = await PostgresSubjectKeyStore.open({ connectionString: databaseUrl, schema, wrapper: LocalKeyWrapper.fromBase64(oldKek) });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await before?.close();
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db?.end();
  });

  it('rewraps every key under the new KEK in batches, keeps the data keys, and leaves erased subjects erased', async () => {
    const subjects = Array.from({ length: 7 }, () => uniqueName('victim'));
    const written = await before.keysForWriting(subjects);
    const keyOf = (map: ReadonlyMap<string, { state: string; key?: Buffer }>, id: string): string | undefined =>
      map.get(id)?.key?.toString('hex');
    const erased = subjects[0]!;
    await before.erase([erased], { force: 'avon-somerset', erasedBy: 'AS-ADM1', reason: 'dpa-s47-erasure' });

    const result = await rotateKek({
      connectionString: databaseUrl,
      schema,
      from: LocalKeyWrapper.fromBase64(oldKek),
      to: LocalKeyWrapper.fromBase64(newKek),
      batchSize: 4,
    });
    expect(result).toEqual({ rewrapped: 6, remaining: 0, kekId: LocalKeyWrapper.fromBase64(newKek).kekId });

    const after = await PostgresSubjectKeyStore.open({
      connectionString: databaseUrl,
      schema,
      wrapper: LocalKeyWrapper.fromBase64(newKek),
    });
    try {
      const read = await after.keysForReading(subjects);
      for (const id of subjects.slice(1)) expect(keyOf(read, id)).toBe(keyOf(written, id));
      expect(read.get(erased)).toEqual({ state: 'erased' });
      expect((await after.keysForWriting([erased])).get(erased)).toEqual({ state: 'erased' });
    } finally {
      await after.close();
    }
    // The old KEK opens nothing any more.
    await expect(before.keysForReading([subjects[1]!])).rejects.toBeInstanceOf(KeyWrapperError);
    const { rows } = await db.query<{ kek_id: string }>(`SELECT DISTINCT kek_id FROM ${schema}.subject_keys`);
    expect(rows.map((r) => r.kek_id)).toEqual([LocalKeyWrapper.fromBase64(newKek).kekId]);
    // Run again (an interrupted rotation resumed): nothing left to do.
    expect(
      await rotateKek({
        connectionString: databaseUrl,
        schema,
        from: LocalKeyWrapper.fromBase64(oldKek),
        to: LocalKeyWrapper.fromBase64(newKek),
      }),
    ).toMatchObject({ rewrapped: 0, remaining: 0 });
  });

  it('refuses a key wrapped under a KEK it was not given, and changes nothing', async () => {
    const other = uniqueName('kek_other');
    const stranger = await PostgresSubjectKeyStore.open({
      connectionString: databaseUrl,
      schema: other,
      wrapper: LocalKeyWrapper.fromBase64(LocalKeyWrapper.generateKek()),
    });
    try {
      await stranger.keysForWriting([uniqueName('victim')]);
      await expect(
        rotateKek({
          connectionString: databaseUrl,
          schema: other,
          from: LocalKeyWrapper.fromBase64(oldKek),
          to: LocalKeyWrapper.fromBase64(newKek),
        }),
      ).rejects.toBeInstanceOf(KeyWrapperError);
      const { rows } = await db.query<{ kek_id: string }>(`SELECT DISTINCT kek_id FROM ${other}.subject_keys`);
      expect(rows.map((r) => r.kek_id)).toEqual([stranger['wrapper'].kekId]);
    } finally {
      await stranger.close();
      await db.query(`DROP SCHEMA IF EXISTS ${other} CASCADE`);
    }
  });
});
