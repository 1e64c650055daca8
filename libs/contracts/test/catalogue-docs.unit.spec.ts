import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { EVENT_CATALOGUE, renderAsyncApi, renderEventCatalogue } from '../src/index.js';

describe('generated catalogue documents', () => {
  it('docs/events.md is up to date with the catalogue (run `npm run docs`)', () => {
    expect(readFileSync('docs/events.md', 'utf8')).toBe(renderEventCatalogue());
  });

  it('docs/asyncapi.json is up to date with the catalogue (run `npm run docs`)', () => {
    expect(readFileSync('docs/asyncapi.json', 'utf8')).toBe(renderAsyncApi());
  });

  it('lists every event type with its schema and example', () => {
    const markdown = renderEventCatalogue();
    for (const entry of EVENT_CATALOGUE) {
      expect(markdown).toContain(`### ${entry.type}`);
      expect(markdown).toContain(JSON.stringify(entry.example, null, 2));
    }
  });

  it('is a valid AsyncAPI 3 document according to the AsyncAPI parser', async () => {
    const { document, diagnostics } = await new Parser().parse(renderAsyncApi());
    const errors = diagnostics.filter((d) => Number(d.severity) === 0 /* error */);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    // Every event of the catalogue, and the signed checkpoint of the checkpoints topic (ADR 0023).
    expect(document?.messages().length).toBe(EVENT_CATALOGUE.length + 1);
    expect(document?.channels().get('auditCheckpoints')?.address()).toBe('nom.audit.checkpoints');
  });

  it('the AsyncAPI parser rejects a broken document (the check can fail)', async () => {
    const broken = JSON.parse(renderAsyncApi()) as { operations: { consumeForceEvents: { action: string } } };
    broken.operations.consumeForceEvents.action = 'listen';
    const { diagnostics } = await new Parser().parse(JSON.stringify(broken));
    expect(diagnostics.filter((d) => Number(d.severity) === 0 /* error */).length).toBeGreaterThan(0);
  });
});
