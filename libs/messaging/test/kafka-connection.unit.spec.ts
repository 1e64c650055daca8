import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaSasl, kafkaTls, oauthBearerProvider } from '../src/kafka-connection.js';

describe('Kafka connection for managed clusters', () => {
  const credentials = {
    mechanism: 'oauthbearer' as const,
    tokenUrl: 'https://idp.example/token',
    clientId: 'nom relay',
    clientSecret: 's3cret',
    scope: 'kafka',
  };

  it('OAUTHBEARER: asks the token endpoint with the client-credentials grant and reuses the token until a minute before it expires', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchToken = (url: string, init?: RequestInit): Promise<Response> => {
      calls.push({ url, init: init ?? {} });
      return Promise.resolve(new Response(JSON.stringify({ access_token: `token-${calls.length}`, expires_in: 3600 }), { status: 200 }));
    };
    const provider = oauthBearerProvider(credentials, fetchToken as unknown as typeof fetch);
    await expect(provider()).resolves.toEqual({ value: 'token-1' });
    await expect(provider()).resolves.toEqual({ value: 'token-1' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://idp.example/token');
    expect(String(calls[0]!.init.body as URLSearchParams)).toBe('grant_type=client_credentials&scope=kafka');
    expect((calls[0]!.init.headers as Record<string, string>)['authorization']).toBe(
      `Basic ${Buffer.from('nom%20relay:s3cret').toString('base64')}`,
    );
  });

  it('OAUTHBEARER: a refused token request fails the authentication (kafkajs retries it)', async () => {
    const refuse = (): Promise<Response> => Promise.resolve(new Response('no', { status: 401 }));
    const provider = oauthBearerProvider(credentials, refuse);
    await expect(provider()).rejects.toThrow('answered 401');
  });

  it('SCRAM credentials pass through; OAUTHBEARER becomes a token provider', () => {
    expect(kafkaSasl({ mechanism: 'scram-sha-512', username: 'u', password: 'p' })).toEqual({
      mechanism: 'scram-sha-512',
      username: 'u',
      password: 'p',
    });
    expect(kafkaSasl(credentials)).toMatchObject({ mechanism: 'oauthbearer', oauthBearerProvider: expect.any(Function) });
  });

  it("TLS: off, the system CA store, or the CA file's certificates", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nom-ca-')), 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(kafkaTls({ ssl: false })).toBe(false);
    expect(kafkaTls({ ssl: true })).toBe(true);
    expect(kafkaTls({ ssl: false, caFile: file })).toEqual({ ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'] });
  });
});
