import { EVENT_CATALOGUE } from '#contracts';
import { FORCE_READ_MODELS, NATIONAL_READ_MODELS, snake, type ReadModelTables } from '#projections';

/** Column names of every table a read model creates, parsed from its own DDL. */
function columnsOf(ddl: readonly string[]): { table: string; columns: string[] }[] {
  return ddl
    .map((statement) => /^CREATE TABLE IF NOT EXISTS (\S+) \((.*), PRIMARY KEY/s.exec(statement))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ table: m[1]!, columns: m[2]!.split(',').map((c) => c.trim().split(/\s+/)[0]!) }));
}

/** Every catalogue personal field, by its last name and its whole path (`/safeContact/phone` -> phone, safe_contact_phone). */
const PERSONAL = new Set(
  EVENT_CATALOGUE.flatMap((entry) =>
    entry.personalFields.flatMap((pointer) => {
      const parts = pointer.split('/').filter(Boolean);
      return [snake(parts[parts.length - 1]!), parts.map(snake).join('_')];
    }),
  ),
);

describe('read models hold no personal data', () => {
  const tables: ReadModelTables = { schema: 's', table: (base) => `s."${base}_v1"` };
  const all = [...FORCE_READ_MODELS, ...NATIONAL_READ_MODELS].flatMap((model) =>
    columnsOf(model.createTables(tables)).map((t) => ({ model: model.name, ...t })),
  );

  it('knows the personal fields (the check is not vacuous)', () => {
    expect([...PERSONAL]).toEqual(
      expect.arrayContaining(['name', 'date_of_birth', 'pnc_id', 'cro_number', 'conditions', 'account', 'summary', 'phone', 'holder']),
    );
  });

  it('parses a table for every base name each read model declares', () => {
    for (const model of [...FORCE_READ_MODELS, ...NATIONAL_READ_MODELS]) {
      expect(columnsOf(model.createTables(tables)).map((t) => t.table)).toEqual(model.tables.map((base) => `s."${base}_v1"`));
    }
  });

  it('has no column named after a catalogue personal field', () => {
    const offending = all.flatMap(({ model, table, columns }) =>
      columns.filter((c) => PERSONAL.has(c)).map((c) => `${model}: ${table}.${c}`),
    );
    expect(offending).toEqual([]);
  });
});
