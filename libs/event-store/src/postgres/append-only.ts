/**
 * An append-only table in PostgreSQL: a plpgsql function that refuses the change with
 * `'<message> (<operation> refused)'` (SQLSTATE insufficient_privilege), a row trigger that calls it BEFORE UPDATE
 * OR DELETE, and a statement trigger BEFORE TRUNCATE (TRUNCATE bypasses row triggers). A table owner can still
 * lift the triggers; the sealed logs (ADR 0009, ADR 0012) are what show that it happened.
 *
 * The event log, the Section 62 access log and the research disclosure log share this one definition.
 */
export interface AppendOnlyNames {
  /** The refusal, before ` (% refused)`. Default: `<table> is append-only`. */
  readonly message?: string;
  /** The refusing function. Default: `<table>_append_only`. */
  readonly functionName?: string;
  /** The BEFORE UPDATE OR DELETE row trigger. Default: `<table>_append_only`. */
  readonly rowTrigger?: string;
  /** The BEFORE TRUNCATE statement trigger. Default: `<table>_no_truncate`. */
  readonly truncateTrigger?: string;
}

interface Resolved {
  readonly message: string;
  readonly functionName: string;
  readonly rowTrigger: string;
  readonly truncateTrigger: string;
}

function resolve(table: string, names: AppendOnlyNames): Resolved {
  return {
    message: names.message ?? `${table} is append-only`,
    functionName: names.functionName ?? `${table}_append_only`,
    rowTrigger: names.rowTrigger ?? `${table}_append_only`,
    truncateTrigger: names.truncateTrigger ?? `${table}_no_truncate`,
  };
}

/** The refusing trigger function (one statement). */
export function refuseChangeFunctionSql(schema: string, table: string, names: AppendOnlyNames = {}): string {
  const n = resolve(table, names);
  if (n.message.includes("'")) throw new Error('an append-only refusal message may not contain a quote');
  return `
      CREATE FUNCTION ${schema}.${n.functionName}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '${n.message} (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`;
}

/** The row trigger refusing UPDATE and DELETE (one statement; the function must exist). */
export function refuseRowChangeTriggerSql(schema: string, table: string, names: AppendOnlyNames = {}): string {
  const n = resolve(table, names);
  return `
      CREATE TRIGGER ${n.rowTrigger} BEFORE UPDATE OR DELETE ON ${schema}.${table}
      FOR EACH ROW EXECUTE FUNCTION ${schema}.${n.functionName}()`;
}

/** The statement trigger refusing TRUNCATE (one statement; the function must exist). */
export function refuseTruncateTriggerSql(schema: string, table: string, names: AppendOnlyNames = {}): string {
  const n = resolve(table, names);
  return `
      CREATE TRIGGER ${n.truncateTrigger} BEFORE TRUNCATE ON ${schema}.${table}
      FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.${n.functionName}()`;
}

/** The statements that make `<schema>.<table>` append-only, in order: function, row trigger, truncate trigger. */
export function appendOnlyTableSql(schema: string, table: string, names: AppendOnlyNames = {}): string[] {
  return [
    refuseChangeFunctionSql(schema, table, names),
    refuseRowChangeTriggerSql(schema, table, names),
    refuseTruncateTriggerSql(schema, table, names),
  ];
}
