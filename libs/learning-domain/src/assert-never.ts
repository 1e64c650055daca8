/** The `never` check that ends every switch over a union (STYLE.md habit 1). */
export function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}
