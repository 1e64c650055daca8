import 'reflect-metadata';
import { loadNationalOptions, NationalModule } from '#national';
import { closeOnSignals, createHttpApp, createInfrastructure, loadConfig } from '#platform';

/**
 * The national service (one active instance): the repeat-suspect index, which tells both forces concerned of a
 * match, and the national views (GET /national/conformance). Needs NOM_MATCHING_KEY, and NOM_KEK (it reads suspects'
 * identifiers in clear to hash them, ADR 0011).
 */
const config = loadConfig();
const options = loadNationalOptions();
const infrastructure = await createInfrastructure(config);
const app = await createHttpApp('NOM national views', infrastructure, [NationalModule.forRoot(options)]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(`national views running on http://localhost:${config.port} (API docs at /docs)`);
