import { z } from 'zod';
import { base64Key, forceList, httpsUrl, integer, text, textOr, TOKEN_SERVICES, variable } from './variable.js';
import { issuersFromJson } from '../auth-config.js';
import { ConfigError } from '../config-error.js';

/** Who may call (identity providers) and the keys the processes hold. */
export const IDENTITY_AND_KEY_VARIABLES = {
  NOM_AUTH_JWKS_URL: variable({
    schema: httpsUrl(),
    default: '–',
    services: TOKEN_SERVICES,
    secret: false,
    description:
      'JWKS of the identity provider (ES256 tokens); `https://` only (refused at start otherwise; `http://` only on a loopback address)',
  }),
  NOM_AUTH_PUBLIC_KEY: variable({
    schema: text(),
    default: '–',
    services: TOKEN_SERVICES,
    secret: false,
    description: "or: the issuer's public key (PEM, ES256)",
  }),
  NOM_AUTH_ISSUER: variable({
    schema: textOr('urn:uk:police:nom:local-issuer'),
    default: '`urn:uk:police:nom:local-issuer`',
    services: [...TOKEN_SERVICES, 'dev-issuer'],
    secret: false,
    description: 'required `iss` of that one issuer',
  }),
  NOM_AUTH_ISSUER_FORCES: variable({
    schema: forceList({ national: true }),
    default: '– (required with one of the two above)',
    services: TOKEN_SERVICES,
    secret: false,
    description:
      'the `nom_force` values that issuer may vouch for: force codes, `all` and/or `national`, comma-separated; a token claiming another is refused (401)',
  }),
  NOM_AUTH_ISSUERS: variable({
    schema: text().transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      try {
        return issuersFromJson(raw);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
    default: '–',
    services: TOKEN_SERVICES,
    secret: false,
    description:
      'instead of the four above, one identity provider per force (or group of forces): JSON `{"<iss>": {"forces": ["avon-somerset"], "jwksUrl": ' +
      '"https://…"}, "<national iss>": {"forces": ["national"], "publicKey": "<PEM>"}}`; a force claim is accepted only from an issuer listed for it',
  }),
  NOM_AUTH_MAX_TOKEN_LIFETIME_S: variable({
    schema: integer(3600, 60, 86_400),
    default: '`3600`',
    services: TOKEN_SERVICES,
    secret: false,
    description: 'longest token accepted: a token whose `exp - iat` exceeds it, or with no `iat`, is refused (60 to 86400)',
  }),
  NOM_AUTH_AUDIENCE: variable({
    schema: textOr('nom-backbone'),
    default: '`nom-backbone`',
    services: [...TOKEN_SERVICES, 'dev-issuer'],
    secret: false,
    description: 'required `aud`',
  }),
  NOM_KEK: variable({
    schema: base64Key(32),
    default: '– (quick start on its embedded database: generated once into `<NOM_DATA_DIR>/kek`)',
    services: ['cases', 'suspects', 'victims', 'learning', 'process-manager', 'national', 'sealer', 'quickstart', 'simulate', 'nom keys'],
    secret: true,
    description:
      "key-encryption key wrapping each data subject's key (32 bytes, base64: `openssl rand -base64 32`); required by every process that reads " +
      'or writes personal data (not the relay or the projector); losing it makes all personal fields unreadable (ADR 0011)',
  }),
  NOM_NEW_KEK: variable({
    schema: base64Key(32),
    default: '–',
    services: ['nom keys'],
    secret: true,
    description:
      'the new key-encryption key `nom keys rotate-kek` rewraps every subject key under; afterwards start the apps with `NOM_KEK` set to it ' +
      '([backup policy](docs/security.md#key-rotation-and-backups-t22))',
  }),
  NOM_MATCHING_KEY: variable({
    schema: base64Key(32, true),
    default: '– (quick start on its embedded database: made once, kept in `NOM_DATA_DIR`)',
    services: ['national', 'quickstart'],
    secret: true,
    description: 'base64 of ≥ 32 random bytes: HMAC key of the repeat-suspect index; a secret of the national service only',
  }),
  NOM_AUDIT_SIGNING_KEY: variable({
    schema: text(),
    default: '– (quick start on its embedded database: made once, kept in `NOM_DATA_DIR`)',
    services: ['sealer', 'quickstart'],
    secret: true,
    description: 'Ed25519 private key (PKCS#8 PEM, or a path to one) that signs checkpoints; the sealer refuses to start without it',
  }),
  NOM_SEAL_INTERVAL_MS: variable({
    schema: integer(10_000, 100, 3_600_000),
    default: '`10000`',
    services: ['sealer', 'quickstart'],
    secret: false,
    description: 'pause between sealing runs of the event log and the access log',
  }),
  NOM_AUDIT_ANCHOR_FILE: variable({
    schema: text(),
    default: '–',
    services: ['sealer'],
    secret: false,
    description:
      "a file of checkpoints kept outside the database (JSON array, the checkpoints endpoint's answer, or JSON Lines from `nom.audit.checkpoints`): " +
      'the sealer refuses to extend a chain that lost one of them, also after a restart (ADR 0023)',
  }),
  NOM_AUDIT_PUBLIC_KEY: variable({
    schema: text(),
    default: '–',
    services: ['nom audit verify'],
    secret: false,
    description: "the checkpoints' public key (PEM, or a path to one); same as `--public-key`",
  }),
  NOM_AUDIT_MAX_HEAD_AGE: variable({
    schema: text().refine((raw) => raw === undefined || /^\d{1,12}(ms|s|m|h|d)?$/.test(raw.trim()), {
      error: 'must be a duration such as 90s, 15m, 2h or 1d (or milliseconds)',
    }),
    default: '–',
    services: ['nom audit verify'],
    secret: false,
    description:
      'fail when a record has waited behind the newest signed checkpoint for longer (`90s`, `15m`, `2h`, `1d`); same as `--max-head-age`',
  }),
  NOM_RESEARCH_KEY: variable({
    schema: text(),
    default: '–',
    services: ['nom research'],
    secret: true,
    description:
      "national research secret, base64 of at least 32 random bytes; each study's pseudonym key is derived from it (HKDF) and never written. " +
      'Required for exports',
  }),
} as const;
