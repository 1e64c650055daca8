import 'reflect-metadata';
import { closeOnSignals, createHttpApp, createInfrastructure, loadConfig } from '#platform';
import { SuspectsApiModule } from '#suspects-api';

/** The suspects service: HTTP commands and queries over the event store. */
const config = loadConfig();
const infrastructure = await createInfrastructure(config);
const app = await createHttpApp('NOM suspects service', infrastructure, [SuspectsApiModule]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(`suspects service on http://localhost:${config.port} (docs at /docs)`);
