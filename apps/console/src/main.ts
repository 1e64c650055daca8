import express from 'express';
import { createConsole } from '#console';
import { ConfigError, readEnvironment, type Environment } from '#platform';

/**
 * The console on its own (ADR 0040): the GOV.UK pages at /console, reading the query API at NOM_CONSOLE_API_URL with
 * the token of whoever signed in at NOM_CONSOLE_OIDC_ISSUER. The quick start serves the same console beside its API.
 */
let env: Environment;
try {
  env = readEnvironment();
  if (!env.NOM_CONSOLE_PUBLIC_URL || !env.NOM_CONSOLE_API_URL || !env.NOM_CONSOLE_OIDC_ISSUER || !env.NOM_CONSOLE_OIDC_CLIENT_ID) {
    throw new ConfigError(
      'the console needs NOM_CONSOLE_PUBLIC_URL, NOM_CONSOLE_API_URL, NOM_CONSOLE_OIDC_ISSUER and NOM_CONSOLE_OIDC_CLIENT_ID',
    );
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`the console refuses to start: ${error.message}`);
  process.exit(1);
}
const settings = {
  publicUrl: env.NOM_CONSOLE_PUBLIC_URL,
  apiUrl: env.NOM_CONSOLE_API_URL,
  identityProvider: {
    issuer: env.NOM_CONSOLE_OIDC_ISSUER,
    clientId: env.NOM_CONSOLE_OIDC_CLIENT_ID,
    ...(env.NOM_CONSOLE_OIDC_CLIENT_SECRET ? { clientSecret: env.NOM_CONSOLE_OIDC_CLIENT_SECRET } : {}),
  },
};
const app = express();
app.disable('x-powered-by');
app.set('trust proxy', 'loopback');
app.use('/console', createConsole({ settings: () => settings, now: () => new Date() }));
app.get('/health/live', (_req, res) => {
  res.json({ status: 'ok' });
});
const server = app.listen(env.PORT, () => console.log(`NOM console on port ${env.PORT}: ${settings.publicUrl}/`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());
