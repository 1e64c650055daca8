const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Guards every schema name that is interpolated into SQL: only plain lower-case identifiers pass. */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a safe PostgreSQL identifier: ${JSON.stringify(name)}`);
  return name;
}
