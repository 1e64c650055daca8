import { DataSource } from 'typeorm';
import { buildTables, col, createTableSql, declareTable, insertRows, upsertRows, type RowOf } from '#projections';
import { requiredEnv, uniqueName } from '#testing';

const databaseUrl = requiredEnv('DATABASE_URL');

/** Every column type a read model table can have. */
const EVERY_TYPE = declareTable(
  'every_type',
  {
    id: col.uuid(),
    label: col.text().nullable(),
    count: col.integer().nullable(),
    big: col.bigint().nullable(),
    amount: col.numeric().nullable(),
    flag: col.boolean().nullable(),
    at: col.instant().nullable(),
    day: col.date().nullable(),
    doc: col.json<unknown>().nullable(),
  },
  { key: ['id'], indexes: [['label']] },
);
type Row = RowOf<typeof EVERY_TYPE.declared>;

const texts = ['tab\there', 'new\nline', 'cr\rreturn', 'back\\slash', '\\N', '', 'ünïcødé ✓ 𝄞', `quote'"`, ' spaced ', 'a,b;c|d'];

/** Rows with the values COPY's text format must escape or spell out, and the ones JSON turns into null. */
function rows(): Row[] {
  return texts.map((label, i): Row => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    label,
    count: [0, -5, 2147483647, Number.NaN][i % 4]!,
    big: i % 3 === 0 ? null : '9007199254740993',
    amount: [0.1 + 0.2, 1e21, -0, Number.POSITIVE_INFINITY, 12.5][i % 5]!,
    flag: i % 3 === 2 ? null : i % 2 === 0,
    at: [
      '2026-01-01T00:00:00Z',
      '2026-06-01T12:34:56.789+02:00',
      new Date(Date.UTC(2026, 1, 28, 23, 59, 59, 1)) as unknown as string,
      null,
    ][i % 4]!,
    day: i % 2 === 0 ? '2026-02-28' : null,
    doc: [{ a: 'x\ty', b: [1, null, '\\N'], c: { 'k\n': 'v' } }, 'plain', 3, null, [texts], undefined][i % 6],
  }));
}

describe('rows written by COPY (a rebuild’s bulk path)', () => {
  const schema = uniqueName('copy_rows');
  let db: DataSource;

  beforeAll(async () => {
    db = new DataSource({ type: 'postgres', url: databaseUrl, extra: { max: 2 } });
    await db.initialize();
    await db.query(`CREATE SCHEMA ${schema}`);
  });

  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.destroy();
  });

  it('are stored exactly as the live path’s set-based statements store them', async () => {
    const live = buildTables(schema, 1);
    const bulk = buildTables(schema, 2, true);
    for (const t of [live, bulk]) for (const ddl of createTableSql(t, EVERY_TYPE)) await db.query(ddl);
    await db.transaction((em) => upsertRows(em, live, EVERY_TYPE, rows()));
    await db.transaction((em) => insertRows(em, bulk, EVERY_TYPE, [...rows(), ...rows()]));
    const read = (t: typeof live): Promise<{ row: string }[]> =>
      db.query(`SELECT to_jsonb(x)::text AS row FROM ${t.table('every_type')} x ORDER BY id`);
    const stored = await read(live);
    expect(stored).toHaveLength(texts.length);
    expect(await read(bulk)).toEqual(stored);
  });

  it('fail the transaction on a key already there, as COPY does (the batch then takes the live path)', async () => {
    const bulk = buildTables(schema, 3, true);
    for (const ddl of createTableSql(bulk, EVERY_TYPE)) await db.query(ddl);
    await db.transaction((em) => insertRows(em, bulk, EVERY_TYPE, rows().slice(0, 1)));
    await expect(db.transaction((em) => insertRows(em, bulk, EVERY_TYPE, rows().slice(0, 2)))).rejects.toThrow(/duplicate key/);
    const [{ n }] = await db.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM ${bulk.table('every_type')}`);
    expect(n).toBe(1);
  });
});
