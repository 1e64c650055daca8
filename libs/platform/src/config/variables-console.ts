import { z } from 'zod';
import { text, variable } from './variable.js';

/** An absolute http(s) URL without a trailing slash; plain http only on a loopback address (T38). */
function consoleUrl(): z.ZodType<string | undefined> {
  return z.preprocess(
    (raw) => (typeof raw === 'string' && raw.trim() === '' ? undefined : raw),
    z
      .string()
      .optional()
      .refine((value) => {
        if (value === undefined) return true;
        try {
          const url = new URL(value);
          return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
        } catch {
          return false;
        }
      }, 'must be an https:// URL (http:// only on a loopback address)')
      .transform((value) => value?.replace(/\/+$/, '')),
  );
}

/** The console on its own (apps/console, ADR 0040); the quick start wires its console to itself and reads none of these. */
export const CONSOLE_VARIABLES = {
  NOM_CONSOLE_PUBLIC_URL: variable({
    schema: consoleUrl(),
    default: '–',
    services: ['console'],
    secret: false,
    description:
      "the console's URL as browsers reach it, ending in `/console` (the OIDC redirect URI is `<it>/callback`); its cookie is `Secure` unless it is a loopback address",
    example: 'https://nom.example.police.uk/console',
  }),
  NOM_CONSOLE_API_URL: variable({
    schema: consoleUrl(),
    default: '–',
    services: ['console'],
    secret: false,
    description: "the query API the console reads with the signed-in user's token",
  }),
  NOM_CONSOLE_OIDC_ISSUER: variable({
    schema: consoleUrl(),
    default: '–',
    services: ['console'],
    secret: false,
    description:
      "the identity provider's issuer URL (OIDC discovery); it must put `nom_force` and `nom_roles` in the ID or access token, and its access token must be one the API accepts",
  }),
  NOM_CONSOLE_OIDC_CLIENT_ID: variable({
    schema: text(),
    default: '–',
    services: ['console'],
    secret: false,
    description: "the console's client id at that provider (authorization code flow with PKCE)",
  }),
  NOM_CONSOLE_OIDC_CLIENT_SECRET: variable({
    schema: text(),
    default: '– (a public client: PKCE alone)',
    services: ['console'],
    secret: true,
    description: 'its client secret, when the provider registers it as a confidential client',
  }),
} as const;
