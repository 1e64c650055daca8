import { databaseUrlFor, defaultForcePlacement } from '../src/placement.js';

describe('force placement', () => {
  it('places a force in its own schema, or its own database of the same name', () => {
    expect(defaultForcePlacement({ projectionSchemaPrefix: 'force_' }, 'avon-somerset', 'schema')).toEqual({
      isolation: 'schema',
      schema: 'force_avon_somerset',
      database: null,
    });
    expect(defaultForcePlacement({ projectionSchemaPrefix: 'p_' }, 'kent', 'database')).toEqual({
      isolation: 'database',
      schema: 'p_kent',
      database: 'p_kent',
    });
    expect(databaseUrlFor('postgres://u:p@db:5432/nom?sslmode=require', 'force_kent')).toBe(
      'postgres://u:p@db:5432/force_kent?sslmode=require',
    );
  });
});
