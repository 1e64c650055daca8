import 'reflect-metadata';
import { closeOnSignals, createHttpApp, createInfrastructure, loadConfig } from '#platform';
import { VictimsApiModule } from '#victims-api';

/** The victims service: HTTP commands and queries over the event store. */
const config = loadConfig();
const infrastructure = await createInfrastructure(config);
const app = await createHttpApp('NOM victims service', infrastructure, [VictimsApiModule]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(`victims service on http://localhost:${config.port} (docs at /docs)`);
