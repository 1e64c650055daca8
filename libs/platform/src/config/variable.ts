import { z } from 'zod';
import { FORCE_CODES, isForceCode, NATIONAL, type ForceCode, type National } from '#contracts';

/** The processes and tools that read the environment (the configuration table's "used by"). */
export const SERVICES = [
  'cases',
  'suspects',
  'victims',
  'learning',
  'relay',
  'projector',
  'process-manager',
  'national',
  'sealer',
  'quickstart',
  'simulate',
  'projections:rebuild',
  'nom research',
  'nom audit verify',
  'nom keys',
  'kafka provisioning',
  'nom migrate',
  'dev-issuer',
  'console',
] as const;
export type Service = (typeof SERVICES)[number];

/** The HTTP services that verify bearer tokens (the relay and the process manager serve only public routes). */
export const TOKEN_SERVICES = [
  'cases',
  'suspects',
  'victims',
  'learning',
  'projector',
  'national',
  'sealer',
  'quickstart',
] as const satisfies readonly Service[];
/** Every long-running process. */
export const PROCESSES = [
  'cases',
  'suspects',
  'victims',
  'learning',
  'relay',
  'projector',
  'process-manager',
  'national',
  'sealer',
  'quickstart',
] as const satisfies readonly Service[];
/** The processes that talk to Kafka (the sealer publishes checkpoints; the quick start when KAFKA_BROKERS is set). */
export const KAFKA_CLIENTS = ['relay', 'projector', 'sealer', 'quickstart', 'nom audit verify'] as const satisfies readonly Service[];

/**
 * One environment variable, declared once: how it is parsed (a zod schema from the raw string, or undefined when
 * unset, to its typed value), its default as documented, who reads it, and whether it is a secret (never echoed in
 * an error, blank in `.env.example`).
 */
export interface Variable<T extends z.ZodType = z.ZodType> {
  readonly schema: T;
  /** The default as the table shows it ("–" when there is none). */
  readonly default: string;
  readonly services: readonly Service[];
  readonly secret: boolean;
  /** Markdown, one line. */
  readonly description: string;
  /** A value for `.env.example` (commented out) when the default is not a good example. */
  readonly example?: string;
}

export function variable<T extends z.ZodType>(declaration: Variable<T>): Variable<T> {
  return declaration;
}

/** An unset or empty variable is absent: an empty string never overrides a default. */
const blank = (raw: unknown): unknown => (typeof raw === 'string' && raw.trim() === '' ? undefined : raw);

export function text(): z.ZodType<string | undefined> {
  return z.preprocess(blank, z.string().optional());
}

export function textOr(fallback: string): z.ZodType<string> {
  return z.preprocess(blank, z.string().default(fallback));
}

export function integer(fallback: number, min: number, max: number): z.ZodType<number> {
  const error = `must be an integer from ${min} to ${max}`;
  return z.preprocess(blank, z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }).default(fallback));
}

/** `true`/`false` (also `1`/`0`, any case). */
export function flag(fallback: boolean): z.ZodType<boolean> {
  return z.preprocess(
    (raw) => (typeof blank(raw) === 'string' ? (raw as string).trim().toLowerCase() : undefined),
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .optional()
      .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1')),
  );
}

export function oneOf<const V extends readonly [string, ...string[]]>(values: V, fallback: V[number]): z.ZodType<V[number]> {
  return z.preprocess(blank, z.enum(values, { error: `must be ${values.slice(0, -1).join(', ')} or ${values.at(-1)}` }).default(fallback));
}

/** A PostgreSQL identifier made of lower-case letters, digits and underscores. */
export function identifier(fallback: string, maxLength = 63): z.ZodType<string> {
  const pattern = new RegExp(`^[a-z_][a-z0-9_]{0,${maxLength - 1}}$`);
  const error = maxLength < 63 ? `must be a lower-case identifier of at most ${maxLength} characters` : 'must be a lower-case identifier';
  return z.preprocess(blank, z.string().regex(pattern, { error }).default(fallback));
}

/** Comma-separated, trimmed, empty items dropped. */
export function list(): z.ZodType<string[] | undefined> {
  return z.preprocess(
    blank,
    z
      .string()
      .optional()
      .transform((raw) =>
        raw
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
  );
}

/** Exactly `bytes` random bytes, base64 (`openssl rand -base64 32`). */
export function base64Key(bytes: number, atLeast = false): z.ZodType<string | undefined> {
  const error = `must be ${atLeast ? 'at least ' : ''}${bytes} bytes, base64 encoded (e.g. \`openssl rand -base64 ${bytes}\`)`;
  return z.preprocess(
    (raw) => (typeof blank(raw) === 'string' ? (raw as string).trim() : undefined),
    z
      .string()
      .refine(
        (value) => {
          const decoded = Buffer.from(value, 'base64');
          return (atLeast ? decoded.length >= bytes : decoded.length === bytes) && decoded.toString('base64') === value;
        },
        { error },
      )
      .optional(),
  );
}

/** Force codes (`all` for every force; `national` where allowed), deduplicated. */
export function forceList(options: { national: boolean }): z.ZodType<(ForceCode | National)[] | undefined> {
  return list().pipe(
    z
      .array(z.string())
      .optional()
      .transform((items, ctx) => {
        if (!items) return undefined;
        const expanded = items.flatMap((f) => (f === 'all' ? FORCE_CODES : [f]));
        const unknown = expanded.filter((f) => !isForceCode(f) && !(options.national && f === NATIONAL));
        if (unknown.length > 0) {
          ctx.addIssue({ code: 'custom', message: `has unknown force codes: ${unknown.join(', ')} (see forces.csv)` });
          return z.NEVER;
        }
        return [...new Set(expanded as (ForceCode | National)[])];
      }),
  );
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An https:// URL. Keys fetched over plain HTTP could be swapped by anyone on the path, and with them every
 * identity; loopback is the one exception (traffic that never leaves the host).
 */
export function httpsUrl(): z.ZodType<string | undefined> {
  const error = 'must be an https:// URL (http:// only on a loopback address)';
  return text().refine(
    (raw) => {
      if (raw === undefined) return true;
      try {
        const url = new URL(raw);
        return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
      } catch {
        return false;
      }
    },
    { error },
  );
}
