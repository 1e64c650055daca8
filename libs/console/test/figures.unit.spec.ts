import type { KpiReport, NationalKpis } from '#kpis';
import { forceName, scorecard, SUPPRESSED_TEXT } from '../src/figures.js';

const report = (overrides: Partial<KpiReport> = {}): KpiReport =>
  ({
    cases: { recorded: { value: 1234 }, closed: { suppressed: 'primary' } },
    chargeRate: { suppressed: 'secondary' },
    outcomeMix: {},
    medianDays: { toReferral: { n: 12, days: 30 }, toCharge: { n: 0, days: null }, toClosure: { n: 40, days: 158.5 } },
    victimWithdrawal: { share: { numerator: 27, denominator: 50, rate: 0.54 }, stages: {} },
    ...overrides,
  }) as KpiReport;

describe(scorecard.name, () => {
  const kpis: NationalKpis = { threshold: 10, national: report(), forces: { wiltshire: report() } };
  const card = scorecard(kpis);

  it('lists all 43 forces, those without facts as absent, and the nation', () => {
    expect(card.forces).toHaveLength(43);
    expect(card.forces.find((row) => row.force === 'kent')!.cells).toBeNull();
    expect(card.national.name).toBe('England and Wales');
  });

  it('shows each figure as the API gives it: counts, rates, medians, and both kinds of suppression', () => {
    const cells = card.forces.find((row) => row.force === 'wiltshire')!.cells!;
    expect(cells.recorded).toEqual({ text: '1,234', value: '1234', suppressed: false, plot: 1234 });
    expect(cells.closed).toEqual({ text: SUPPRESSED_TEXT, value: 'suppressed:primary', suppressed: true, plot: null });
    expect(cells.chargeRate).toEqual({ text: SUPPRESSED_TEXT, value: 'suppressed:secondary', suppressed: true, plot: null });
    expect(cells.withdrawal).toEqual({ text: '54.0%', value: '0.54', suppressed: false, plot: 54 });
    expect(cells.toCharge).toEqual({ text: 'No cases', value: 'none', suppressed: false, plot: null });
    expect(cells.toClosure.text).toBe('158.5 days');
    expect(card.suppressedCells).toBe(4);
  });

  it('names forces from their codes', () => {
    expect(forceName('city-of-london')).toBe('City of London');
    expect(forceName('avon-somerset')).toBe('Avon Somerset');
  });
});
