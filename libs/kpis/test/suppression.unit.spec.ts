import { CELL, CELLS, nationalKpis, suppressCells, type KpiCounts, type KpiFacts } from '#kpis';
import { foldKpiFacts } from '#kpis';
import { aCase } from '#testing';

const counts = (cells: Record<string, number>): KpiCounts => ({
  cells: Object.fromEntries(CELLS.map((name) => [name, cells[name] ?? 0])),
  days: { toReferral: [], toCharge: [], toClosure: [] },
});
const sum = (...all: KpiCounts[]): KpiCounts =>
  counts(Object.fromEntries(CELLS.map((n) => [n, all.reduce((s, c) => s + (c.cells[n] ?? 0), 0)])));

describe('small-count suppression of the national KPIs', () => {
  it('hides every cell below the threshold (primary), a zero included', () => {
    const a = counts({ [CELL.recorded]: 9, [CELL.closed]: 10 });
    const hidden = suppressCells(new Map([['a', a]]), a, 10);
    expect(hidden.forces.get('a')!.get(CELL.recorded)).toBe('primary');
    expect(hidden.forces.get('a')!.has(CELL.closed)).toBe(false);
    expect(hidden.national.get(CELL.outcome(1))).toBe('primary');
  });

  it('within a scope, a lone hidden member of a shown total hides the smallest shown member too', () => {
    // 30 closed = 12 (outcome 14) + 15 (outcome 16) + 3 (outcome 1): 3 alone would be 30 - 12 - 15.
    const a = counts({ [CELL.closed]: 30, [CELL.outcome(14)]: 12, [CELL.outcome(16)]: 15, [CELL.outcome(1)]: 3 });
    const hidden = suppressCells(new Map([['a', a]]), a, 10).forces.get('a')!;
    // Every other outcome code is 0, so already hidden: more than one member is hidden, nothing more to do.
    expect(hidden.has(CELL.outcome(14))).toBe(false);
    const b = counts({ [CELL.dutiesDecided]: 25, [CELL.dutiesMetOnTime]: 20, [CELL.dutiesMissed]: 5 });
    const hb = suppressCells(new Map([['b', b]]), b, 10).forces.get('b')!;
    expect(hb.get(CELL.dutiesMissed)).toBe('primary');
    expect(hb.get(CELL.dutiesMetOnTime)).toBe('secondary');
  });

  it('across forces, a lone hidden force cell under a shown national sum hides the smallest other force cell', () => {
    const a = counts({ [CELL.recorded]: 50 });
    const b = counts({ [CELL.recorded]: 4 });
    const c = counts({ [CELL.recorded]: 20 });
    const hidden = suppressCells(
      new Map([
        ['a', a],
        ['b', b],
        ['c', c],
      ]),
      sum(a, b, c),
      10,
    );
    expect(hidden.forces.get('b')!.get(CELL.recorded)).toBe('primary');
    expect(hidden.forces.get('c')!.get(CELL.recorded)).toBe('secondary');
    expect(hidden.forces.get('a')!.has(CELL.recorded)).toBe(false);
    expect(hidden.national.has(CELL.recorded)).toBe(false);
  });

  it('secondary suppression repeats until no hidden value can be derived (a cross-force hide can open a group)', () => {
    // Force b: duties 20 = 15 + 5 -> 5 hidden, then 15 (secondary). Nation: met on time 15 + 40 = 55 shown; a's 40
    // is now the only other force cell: b's 15 alone hidden -> a's 40 hidden too; then a's group hides its missed 12.
    const a = counts({ [CELL.dutiesDecided]: 52, [CELL.dutiesMetOnTime]: 40, [CELL.dutiesMissed]: 12 });
    const b = counts({ [CELL.dutiesDecided]: 20, [CELL.dutiesMetOnTime]: 15, [CELL.dutiesMissed]: 5 });
    const hidden = suppressCells(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      sum(a, b),
      10,
    );
    expect(hidden.forces.get('a')!.get(CELL.dutiesMetOnTime)).toBe('secondary');
    expect(hidden.forces.get('a')!.get(CELL.dutiesMissed)).toBe('secondary');
    expect(hidden.national.has(CELL.dutiesMetOnTime)).toBe(false);
  });

  it('a rate is shown only when its numerator and denominator are; medians only over a shown sample size', () => {
    const facts = new Map<string, KpiFacts>();
    const many = Array.from({ length: 12 }, () => aCase('kent').recorded(0).outcome(18, 10));
    facts.set('kent', foldKpiFacts(many.flatMap((c) => c.events)));
    const kpis = nationalKpis(facts, 10);
    expect(kpis.national.outcomeMix['18']).toEqual({ numerator: 12, denominator: 12, rate: 1 });
    expect(kpis.national.chargeRate).toEqual({ suppressed: 'primary' });
    expect(kpis.national.medianDays.toClosure).toEqual({ n: 12, days: 10 });
    expect(kpis.forces['kent']!.medianDays.toCharge).toEqual({ suppressed: 'primary' });
  });
});
