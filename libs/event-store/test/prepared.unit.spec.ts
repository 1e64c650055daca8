import { prepared, statementName } from '../src/index.js';

describe('prepared statements named by their text', () => {
  it('gives one text one name, the same on every call, and another text another name', () => {
    const append = 'SELECT outcome FROM nom_event_store.append_to_stream($1, $2)';
    expect(statementName(append)).toBe(statementName(`${append}`));
    expect(statementName(append)).not.toBe(statementName(append.replace('nom_event_store', 'nom_es_durham')));
    expect(statementName(append)).not.toBe(statementName(`${append} `));
  });

  it('fits PostgreSQL identifiers (at most 63 bytes) and says whose it is', () => {
    const name = statementName('x'.repeat(10_000));
    expect(name).toMatch(/^nom_[A-Za-z0-9_-]{22}$/);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
  });

  it('carries the text and the values as they are', () => {
    const values = ['case-1', 3n.toString(), null];
    expect(prepared('SELECT $1, $2, $3', values)).toEqual({ name: statementName('SELECT $1, $2, $3'), text: 'SELECT $1, $2, $3', values });
  });
});
