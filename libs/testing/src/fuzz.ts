import fc from 'fast-check';

/**
 * The fuzzing tier's run parameters: a fixed seed, so that every run tries the same inputs and a failure on CI
 * fails the same way on a laptop, overridable from the environment to explore further or to replay:
 *   FUZZ_SEED  another seed (an integer);
 *   FUZZ_RUNS  how many inputs each property tries (default: the suite's own, sized for a loaded 2-core machine);
 *   FUZZ_PATH  the path fast-check printed with a counterexample, to replay only that case (with its FUZZ_SEED).
 */
export const DEFAULT_FUZZ_SEED = 20_261_204;

export function fuzzParameters<T>(defaultRuns: number, options: { shrink?: boolean } = {}): fc.Parameters<T> {
  const seed = integerEnv('FUZZ_SEED') ?? DEFAULT_FUZZ_SEED;
  const numRuns = integerEnv('FUZZ_RUNS') ?? defaultRuns;
  const path = process.env['FUZZ_PATH'];
  // Without shrinking (a live server whose state each command changes), the first failure is reported as found;
  // the seed and path printed are enough to replay it.
  return { seed, numRuns, endOnFailure: options.shrink === false, ...(path ? { path } : {}) };
}

function integerEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d{1,10}$/.test(text)) throw new Error(`${name}=${text} is not an integer`);
  return Number(text);
}

/** How to replay a failure: the environment to set (fast-check's own report names the seed and path too). */
export function replayHint(details: { seed: number; counterexamplePath: string | null }): string {
  return `replay with FUZZ_SEED=${details.seed}${details.counterexamplePath ? ` FUZZ_PATH=${details.counterexamplePath}` : ''}`;
}

/** Strings that break naive code: control and NUL characters, lone surrogates, right-to-left marks, emoji, SQL and path text. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\u202e\u0041\u0042',
  '\ufeff',
  '👩‍👩‍👧‍👦',
  'Ω≈ç√∫˜µ≤≥÷',
  "'; DROP TABLE events; --",
  '../../../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z',
  '0000-00-00',
  '2026-02-30',
  '2026-13-01T00:00:00Z',
  'null',
  'true',
];

/** Keys that pollute prototypes or shadow built-ins when code copies objects naively. */
export const NASTY_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'then',
  'length',
  '',
  ' ',
  '\u0000',
];

/** Numbers out of every range a field might have: huge, tiny, negative zero, fractions, beyond 2^53. */
export const NASTY_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  0.5,
  1e-320,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.EPSILON,
];

export const nastyString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    // Long, up to well past every maxLength in the DTOs (the body limit is tried apart).
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('a', 'é', '\u0000', '👍'), fc.integer({ min: 200, max: 5000 })).map(([c, n]) => c.repeat(n)),
    },
  );

export const nastyNumber = (): fc.Arbitrary<number> =>
  fc.oneof(fc.constantFrom(...NASTY_NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());

/** Any JSON value, with nasty strings, keys and numbers among the ordinary ones. */
export const nastyJson = (maxDepth = 3): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      nastyNumber(),
      nastyString(),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
    ),
  })).value;
