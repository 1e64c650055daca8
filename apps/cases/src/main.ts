import 'reflect-metadata';
import { CasesApiModule } from '#cases-api';
import { closeOnSignals, createHttpApp, createInfrastructure, loadConfig } from '#platform';
import { PrivacyModule } from '#privacy';

/** The cases service: HTTP commands and queries over the event store, and erasure of personal data (ADR 0011). */
const config = loadConfig();
const infrastructure = await createInfrastructure(config);
const app = await createHttpApp('NOM cases service', infrastructure, [CasesApiModule, PrivacyModule]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(`cases service on http://localhost:${config.port} (docs at /docs)`);
