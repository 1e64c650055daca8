import 'reflect-metadata';
import { closeOnSignals, createHttpApp, createInfrastructure, loadConfig } from '#platform';
import { LearningApiModule } from '#learning-api';

/** The learning service: HTTP commands and queries (officer development, operating model) over the event store. */
const config = loadConfig();
const infrastructure = await createInfrastructure(config);
const app = await createHttpApp('NOM learning service', infrastructure, [LearningApiModule]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(`learning service on http://localhost:${config.port} (docs at /docs)`);
