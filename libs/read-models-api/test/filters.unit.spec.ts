import { parseFilters, type FilterRule } from '#read-models-api';

const RULES: Readonly<Record<string, FilterRule>> = {
  status: { kind: 'enum', values: ['open', 'closed'] },
  from: { kind: 'instant' },
  on: { kind: 'date' },
  officerId: { kind: 'officer-id' },
  caseId: { kind: 'uuid' },
  flag: { kind: 'boolean' },
  limit: { kind: 'integer', min: 1, max: 500 },
};

const problemOf = (query: Record<string, unknown>): { status: number; errors: { field: string; reason: string }[] } => {
  try {
    parseFilters(query, RULES);
  } catch (error) {
    return (error as { problem: { status: number; errors: { field: string; reason: string }[] } }).problem;
  }
  throw new Error('expected a problem');
};

describe(parseFilters.name, () => {
  it('converts valid values (instants to UTC ISO, booleans, integers, lower-case uuids)', () => {
    expect(
      parseFilters(
        {
          status: 'open',
          from: '2026-01-01T10:00:00+01:00',
          on: '2026-02-03',
          officerId: 'AS-4471',
          caseId: '3F0C6A0E-8A3B-4F65-9D7E-1B2C3D4E5F60',
          flag: 'false',
          limit: '20',
        },
        RULES,
      ),
    ).toEqual({
      status: 'open',
      from: '2026-01-01T09:00:00.000Z',
      on: '2026-02-03',
      officerId: 'AS-4471',
      caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60',
      flag: false,
      limit: 20,
    });
  });

  it('answers 422 naming every unknown, repeated or malformed filter', () => {
    const problem = problemOf({
      status: 'lost',
      from: 'yesterday',
      on: '2026-13-45',
      officerId: 'x',
      caseId: '1',
      flag: 'yes',
      limit: '0',
      colour: 'red',
      extra: ['a', 'b'],
    });
    expect(problem.status).toBe(422);
    expect(problem.errors.map((e) => e.field).sort()).toEqual([
      '/caseId',
      '/colour',
      '/extra',
      '/flag',
      '/from',
      '/limit',
      '/officerId',
      '/on',
      '/status',
    ]);
  });
});
