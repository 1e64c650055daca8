import { bodyViolations, isStorableText, MAX_BODY_DEPTH } from '../src/body-limits.js';

describe(bodyViolations.name, () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  };
  const TOO_DEEP = `nested deeper than ${MAX_BODY_DEPTH} levels`;
  const BAD_TEXT = 'must be text without NUL characters or unpaired surrogates';

  it('passes what a command nests (objects in arrays in objects), scalars and any well-formed text', () => {
    expect(bodyViolations({ rules: { victimUpdateDeadline: { standardWorkingDays: 1 } }, lines: [{ lineId: 'x' }] })).toEqual([]);
    expect(bodyViolations(null)).toEqual([]);
    expect(bodyViolations({ notes: 'Line one\nline two\t👩‍👩‍👧‍👦 Ω ﻿' })).toEqual([]);
    expect(bodyViolations(nested(MAX_BODY_DEPTH))).toEqual([]);
  });

  it('names the first value past the depth limit, as a JSON pointer', () => {
    expect(bodyViolations(nested(MAX_BODY_DEPTH + 1))).toEqual([{ field: '/a'.repeat(MAX_BODY_DEPTH), reason: TOO_DEEP }]);
    expect(bodyViolations({ ok: 1, list: [[[[1]]]] }, 3)).toEqual([{ field: '/list/0/0', reason: 'nested deeper than 3 levels' }]);
  });

  it('walks a body nested far deeper than the stack would allow a recursive walk', () => {
    expect(bodyViolations(nested(200_000))).toEqual([{ field: '/a'.repeat(MAX_BODY_DEPTH), reason: TOO_DEEP }]);
  });

  it('names every value and key holding a NUL or an unpaired surrogate, in order', () => {
    expect(bodyViolations({ court: 'a\u0000b', notes: ['ok', 'x\ud800'], 'k\udc00': 1 })).toEqual([
      { field: '/k\udc00', reason: 'must be a name without NUL characters or unpaired surrogates' },
      { field: '/court', reason: BAD_TEXT },
      { field: '/notes/1', reason: BAD_TEXT },
    ]);
  });
});

describe(isStorableText.name, () => {
  it('takes paired surrogates (emoji) and control characters other than NUL, refuses NUL and unpaired surrogates', () => {
    expect(['', 'plain', '😀', '\ud83d\ude00', 'tab\tand\nnewline', '\u0001'].map(isStorableText)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['\u0000', 'a\u0000', '\ud800', 'x\udfff', '\ude00\ud83d'].map(isStorableText)).toEqual([false, false, false, false, false]);
  });
});
