/** The `never` check that ends every switch over a union (STYLE.md habit 1): the one copy the code base has. */
export function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}
