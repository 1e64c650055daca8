import 'reflect-metadata';
import { CasesApiModule } from '#cases-api';
import { closeOnSignals, createHttpApp, createInfrastructure, loadConfig } from '#platform';

/** The cases service: HTTP commands and queries over the event store. */
const config = loadConfig();
const infrastructure = await createInfrastructure(config);
const app = await createHttpApp('NOM cases service', infrastructure, [CasesApiModule]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(`cases service on http://localhost:${config.port} (docs at /docs)`);
