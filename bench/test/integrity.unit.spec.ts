import { assertIntegrity, verdictOf } from '../src/integrity.js';

describe(assertIntegrity.name, () => {
  it('passes a phase where every command was accepted and projected', () => {
    expect(() =>
      assertIntegrity(
        'measured phase',
        [
          { status: 201, projectedAt: 1 },
          { status: 201, projectedAt: 2 },
        ],
        true,
      ),
    ).not.toThrow();
  });

  it('fails on throttled commands, naming how many and the status (the 2,700 of 3,000 refused by the rate limit)', () => {
    const commands = [
      ...Array.from({ length: 3 }, () => ({ status: 201, projectedAt: 1 })),
      ...Array.from({ length: 27 }, () => ({ status: 429 })),
    ];
    expect(() => assertIntegrity('measured phase', commands, true)).toThrow('27 of 30 commands refused (status 429: 27)');
  });

  it('fails on commands that got no answer', () => {
    expect(() => assertIntegrity('warm-up', [{ status: 0 }, { status: 201, projectedAt: 1 }], true)).toThrow(
      '1 of 2 commands refused (status none: 1)',
    );
  });

  it('fails on accepted commands that never reached the projection', () => {
    expect(() => assertIntegrity('measured phase', [{ status: 201 }, { status: 201, projectedAt: 1 }], false)).toThrow(
      '1 accepted commands never reached the projection',
    );
  });

  it('fails a phase that sent nothing', () => {
    expect(() => assertIntegrity('warm-up', [], true)).toThrow('no command was sent');
  });
});

describe(verdictOf.name, () => {
  const met = { bench: 'relay', meetsTarget: true };
  const missed = { bench: 'command-to-projection', meetsTarget: false };
  const errored = { bench: 'read-all', meetsTarget: false, error: 'read 10 events, expected 20' };

  it('is 0 when every bench met its target, or has none', () => {
    expect(verdictOf([met, { bench: 'append-1', meetsTarget: null }], false)).toEqual({ status: 0, reasons: [] });
  });

  it('is 1 with the reason when a bench errored, smoke run or not', () => {
    expect(verdictOf([met, errored], false)).toEqual({ status: 1, reasons: ['read-all: read 10 events, expected 20'] });
    expect(verdictOf([met, errored], true).status).toBe(1);
  });

  it('is 1 when nothing was emitted', () => {
    expect(verdictOf([], true).status).toBe(1);
  });

  it('is 2 on a missed target, but only reports it in a smoke run', () => {
    expect(verdictOf([met, missed], false)).toEqual({ status: 2, reasons: ['command-to-projection: target missed'] });
    expect(verdictOf([met, missed], true).status).toBe(0);
    expect(verdictOf([met, missed], true).reasons).toHaveLength(1);
  });
});
