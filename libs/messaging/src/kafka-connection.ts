import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { OauthbearerProviderResponse, SASLOptions } from 'kafkajs';

/** A principal's credentials, as the configuration holds them (KAFKA_SASL_MECHANISM and its companions). */
export type KafkaSaslCredentials =
  | { readonly mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain'; readonly username: string; readonly password: string }
  | {
      readonly mechanism: 'oauthbearer';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope?: string;
    };

/**
 * SASL/OAUTHBEARER for managed clusters (e.g. a cloud provider's Kafka with its identity provider): a token from the
 * OAuth 2.0 client-credentials grant (RFC 6749 §4.4), fetched again a minute before it expires. kafkajs calls the
 * provider on every (re)authentication.
 */
export function oauthBearerProvider(
  credentials: Extract<KafkaSaslCredentials, { mechanism: 'oauthbearer' }>,
  fetchToken: typeof fetch = fetch,
): () => Promise<OauthbearerProviderResponse> {
  let cached: { value: string; renewAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.renewAt) return { value: cached.value };
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...(credentials.scope ? { scope: credentials.scope } : {}) });
    const basic = Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString(
      'base64',
    );
    const response = await fetchToken(credentials.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    if (!response.ok) throw new Error(`Kafka OAuth token endpoint answered ${response.status}`);
    const token = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof token.access_token !== 'string') throw new Error('Kafka OAuth token endpoint returned no access_token');
    const lifetimeS = typeof token.expires_in === 'number' ? token.expires_in : 300;
    cached = { value: token.access_token, renewAt: Date.now() + Math.max(0, lifetimeS - 60) * 1000 };
    return { value: token.access_token };
  };
}

/** The credentials as kafkajs takes them. */
export function kafkaSasl(credentials: KafkaSaslCredentials): SASLOptions {
  if (credentials.mechanism === 'oauthbearer') return { mechanism: 'oauthbearer', oauthBearerProvider: oauthBearerProvider(credentials) };
  return { mechanism: credentials.mechanism, username: credentials.username, password: credentials.password };
}

/** TLS as kafkajs takes it: off, on with the system CA store, or on with a CA file (a managed cluster's private CA). */
export function kafkaTls(options: { readonly ssl: boolean; readonly caFile?: string }): boolean | ConnectionOptions {
  if (options.caFile !== undefined) return { ca: [readFileSync(options.caFile, 'utf8')] };
  return options.ssl;
}
