import 'reflect-metadata';
import { closeOnSignals, createHttpApp, createInfrastructure, loadConfig } from '#platform';
import { ProjectorModule } from '#projections-api';
import { ReadModelsApiModule } from '#read-models-api';

/** The projector: one consumer group per force, each writing only its own schema; serves the read models (and the national KPIs). */
const config = loadConfig();
if (!config.kafkaBrokers) throw new Error('KAFKA_BROKERS is required by the projector');
// Force read models hold no personal data: the projector never decrypts, so it holds no NOM_KEK.
const infrastructure = await createInfrastructure(config, { personalData: false });
const app = await createHttpApp('NOM force projections', infrastructure, [ProjectorModule, ReadModelsApiModule]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(`projector for ${config.forces.length} force(s) on http://localhost:${config.port} (docs at /docs)`);
