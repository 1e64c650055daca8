import 'reflect-metadata';
import { closeOnSignals, createHttpApp, createInfrastructure, loadConfig } from '#platform';
import { ProcessManagerModule } from '#process-managers';

/** Reactions between contexts and the Victims' Code timers (one active instance). Serves /health. */
const config = loadConfig();
const infrastructure = await createInfrastructure(config, { requireAuth: false });
const app = await createHttpApp('NOM process managers', infrastructure, [ProcessManagerModule]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(`process managers running (health on http://localhost:${config.port}/health)`);
