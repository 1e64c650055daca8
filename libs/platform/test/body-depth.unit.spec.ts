import { MAX_BODY_DEPTH, tooDeepAt } from '../src/body-depth.js';

describe(tooDeepAt.name, () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  };

  it('passes what a command nests (objects in arrays in objects) and scalars', () => {
    expect(tooDeepAt({ rules: { victimUpdateDeadline: { standardWorkingDays: 1 } }, lines: [{ lineId: 'x' }] })).toBeUndefined();
    expect(tooDeepAt(null)).toBeUndefined();
    expect(tooDeepAt('text')).toBeUndefined();
    expect(tooDeepAt(nested(MAX_BODY_DEPTH))).toBeUndefined();
  });

  it('names the first value past the limit, as a JSON pointer', () => {
    expect(tooDeepAt(nested(MAX_BODY_DEPTH + 1))).toEqual({ field: '/a'.repeat(MAX_BODY_DEPTH), reason: `nested deeper than ${MAX_BODY_DEPTH} levels` });
    expect(tooDeepAt({ ok: 1, list: [[[[1]]]] }, 3)).toEqual({ field: '/list/0/0', reason: 'nested deeper than 3 levels' });
  });

  it('walks a body nested far deeper than the stack would allow a recursive walk', () => {
    expect(tooDeepAt(nested(200_000))?.reason).toBe(`nested deeper than ${MAX_BODY_DEPTH} levels`);
  });
});
