import 'reflect-metadata';
import { closeOnSignals, createHttpApp, createInfrastructure, loadConfig } from '#platform';
import { RelayModule } from '#relay-runtime';

/**
 * The relay: publishes the event store's global log to Kafka, one topic per force (personal fields as stored:
 * encrypted, so it needs no NOM_KEK). Serves /health.
 */
const config = loadConfig();
if (!config.kafkaBrokers) throw new Error('KAFKA_BROKERS is required by the relay');
const infrastructure = await createInfrastructure(config, { requireAuth: false, personalData: false });
const app = await createHttpApp('NOM relay', infrastructure, [RelayModule]);
closeOnSignals(app, infrastructure);
await app.listen(config.port);
console.log(`relay running (health on http://localhost:${config.port}/health)`);
