import type { z } from 'zod';
import { ConfigError } from '../config-error.js';
import type { Variable } from './variable.js';
import { BEHAVIOUR_VARIABLES, CONNECTION_VARIABLES } from './variables-services.js';
import { IDENTITY_AND_KEY_VARIABLES } from './variables-keys.js';
import { OPERATIONS_VARIABLES } from './variables-operations.js';
import { DATABASE_ROLE_VARIABLES } from './variables-roles.js';
import { CONSOLE_VARIABLES } from './variables-console.js';
import { TRACING_VARIABLES } from './variables-tracing.js';

/**
 * The configuration schema (ADR 0029): every environment variable the project reads, declared once. This module is
 * the only place that reads `process.env` (lint rule `no-restricted-properties`); everything else is handed the
 * parsed, typed `Environment`, or passes its own variables (tests) to `readEnvironment`.
 */
export const VARIABLES = {
  ...CONNECTION_VARIABLES,
  ...DATABASE_ROLE_VARIABLES,
  ...BEHAVIOUR_VARIABLES,
  ...OPERATIONS_VARIABLES,
  ...IDENTITY_AND_KEY_VARIABLES,
  ...CONSOLE_VARIABLES,
  ...TRACING_VARIABLES,
} as const;

export type VariableName = keyof typeof VARIABLES;
/** The raw variables: `process.env`, or what a test or the quick start passes instead. */
export type RawEnvironment = Readonly<Record<string, string | undefined>>;
/** Every variable parsed: defaults applied, types checked. */
export type Environment = { readonly [K in VariableName]: z.output<(typeof VARIABLES)[K]['schema']> };

/** A rule over several variables: a problem to report, or undefined. */
type Check = (env: Environment) => string | undefined;

const CHECKS: readonly Check[] = [
  (env) => {
    const set = (
      ['NOM_CONSOLE_OIDC_ISSUER', 'NOM_CONSOLE_OIDC_CLIENT_ID', 'NOM_CONSOLE_PUBLIC_URL', 'NOM_CONSOLE_API_URL'] as const
    ).filter((n) => env[n] !== undefined);
    return set.length > 0 && set.length < 4
      ? 'the console needs NOM_CONSOLE_OIDC_ISSUER, NOM_CONSOLE_OIDC_CLIENT_ID, NOM_CONSOLE_PUBLIC_URL and NOM_CONSOLE_API_URL together'
      : undefined;
  },
  (env) => (env.NOM_RETRY_MAX_MS < env.NOM_RETRY_INITIAL_MS ? 'NOM_RETRY_MAX_MS must be at least NOM_RETRY_INITIAL_MS' : undefined),
  (env) => {
    const mechanism = env.KAFKA_SASL_MECHANISM;
    const credentials = env.KAFKA_USERNAME !== undefined || env.KAFKA_PASSWORD !== undefined;
    if (mechanism === undefined)
      return credentials ? 'KAFKA_USERNAME/KAFKA_PASSWORD need KAFKA_SASL_MECHANISM (scram-sha-512, scram-sha-256 or plain)' : undefined;
    if (mechanism === 'oauthbearer') {
      const missing = (['KAFKA_OAUTH_TOKEN_URL', 'KAFKA_OAUTH_CLIENT_ID', 'KAFKA_OAUTH_CLIENT_SECRET'] as const).filter(
        (name) => env[name] === undefined,
      );
      return missing.length > 0 ? `KAFKA_SASL_MECHANISM=oauthbearer needs ${missing.join(', ')}` : undefined;
    }
    return env.KAFKA_USERNAME === undefined || env.KAFKA_PASSWORD === undefined
      ? 'KAFKA_SASL_MECHANISM needs both KAFKA_USERNAME and KAFKA_PASSWORD'
      : undefined;
  },
  (env) =>
    env.NOM_AUTH_ISSUERS !== undefined && (env.NOM_AUTH_JWKS_URL !== undefined || env.NOM_AUTH_PUBLIC_KEY !== undefined)
      ? 'set NOM_AUTH_ISSUERS or NOM_AUTH_JWKS_URL/NOM_AUTH_PUBLIC_KEY, not both'
      : undefined,
  (env) =>
    (env.NOM_AUTH_JWKS_URL !== undefined || env.NOM_AUTH_PUBLIC_KEY !== undefined) &&
    env.NOM_AUTH_ISSUERS === undefined &&
    !env.NOM_AUTH_ISSUER_FORCES?.length
      ? "NOM_AUTH_ISSUER_FORCES is required with one issuer: the forces it vouches for (force codes, 'all' and/or 'national')"
      : undefined,
];

/** `NAME message`, with the value given unless the variable is a secret (an error message is logged). */
function problem(name: string, declaration: Variable, message: string, raw: string | undefined): string {
  const said = message.startsWith(name) ? message : `${name} ${message}`;
  return declaration.secret || raw === undefined ? said : `${said}, got ${JSON.stringify(raw)}`;
}

/**
 * Parses every declared variable of `env` and checks the rules between them. Throws one ConfigError listing every
 * problem (not only the first), so that an operator fixes a deployment in one pass.
 */
export function readEnvironment(env: RawEnvironment = process.env): Environment {
  const problems: string[] = [];
  const parsed: Record<string, unknown> = {};
  for (const [name, declaration] of Object.entries(VARIABLES) as [VariableName, Variable][]) {
    const result = declaration.schema.safeParse(env[name]);
    if (result.success) parsed[name] = result.data;
    else problems.push(...result.error.issues.map((issue) => problem(name, declaration, issue.message, env[name])));
  }
  if (problems.length === 0) {
    for (const check of CHECKS) {
      const found = check(parsed as Environment);
      if (found) problems.push(found);
    }
  }
  if (problems.length === 1) throw new ConfigError(problems[0]);
  if (problems.length > 1)
    throw new ConfigError(`${problems.length} configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return parsed as Environment;
}

/** The process's variables with some replaced (the quick start's generated keys, its embedded database). */
export function processEnvironmentWith(overrides: RawEnvironment): RawEnvironment {
  return { ...process.env, ...overrides };
}
