import { readFileSync, writeFileSync } from 'node:fs';
import { renderAsyncApi, renderEventCatalogue } from '#contracts';
import { renderEnvExample, withConfigurationTable } from '#platform';

/**
 * `npm run docs`: regenerates docs/events.md and docs/asyncapi.json from the event catalogue, and the README's
 * configuration table and .env.example from the configuration schema (libs/platform/src/config).
 */
writeFileSync('docs/events.md', renderEventCatalogue());
writeFileSync('docs/asyncapi.json', renderAsyncApi());
writeFileSync('README.md', withConfigurationTable(readFileSync('README.md', 'utf8')));
writeFileSync('.env.example', renderEnvExample());
console.log('wrote docs/events.md, docs/asyncapi.json, the configuration table of README.md and .env.example');
