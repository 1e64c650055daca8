import { writeFileSync } from 'node:fs';
import { renderAsyncApi, renderEventCatalogue } from '#contracts';

/** `npm run docs`: regenerates docs/events.md and docs/asyncapi.json from the event catalogue. */
writeFileSync('docs/events.md', renderEventCatalogue());
writeFileSync('docs/asyncapi.json', renderAsyncApi());
console.log('wrote docs/events.md and docs/asyncapi.json');
