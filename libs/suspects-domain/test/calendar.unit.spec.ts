import { addDays, isInstant, isIsoDate, periodEnd, ukDate } from '#calendar';
import { BASELINE_MODEL } from '#contracts';
import { authorityFor, bailAuthority, bailStartDate, policeBailLimitMonths, rankAtLeast } from '../src/index.js';

const RULE = BASELINE_MODEL.rules.preChargeBail;

describe('calendar arithmetic', () => {
  it.each([
    ['2026-11-06', 3, '2027-02-05'],
    ['2026-11-06', 6, '2027-05-05'],
    ['2026-11-06', 9, '2027-08-05'],
    ['2026-05-31', 3, '2026-08-30'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2027-11-29', 3, '2028-02-28'],
    ['2026-01-01', 3, '2026-03-31'],
    ['2026-12-15', 24, '2028-12-14'],
  ])('a period beginning %s of %i months ends on %s', (start, months, end) => {
    expect(periodEnd(start, months)).toBe(end);
  });

  it.each([
    ['2026-03-29T00:59:59Z', '2026-03-29'],
    ['2026-06-30T23:30:00Z', '2026-07-01'],
    ['2026-10-24T23:30:00Z', '2026-10-25'],
    ['2026-10-25T00:59:00Z', '2026-10-25'],
    ['2026-10-25T23:30:00Z', '2026-10-25'],
    ['2026-12-31T23:59:00Z', '2026-12-31'],
    ['2026-07-01T00:30:00+01:00', '2026-07-01'],
  ])('the UK civil date of %s is %s', (instant, date) => {
    expect(ukDate(instant)).toBe(date);
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('accepts instants only with an offset, and real calendar dates only', () => {
    expect(isInstant('2026-11-05T06:45:00Z')).toBe(true);
    expect(isInstant('2026-11-05T06:45:00.123+01:00')).toBe(true);
    expect(isInstant('2026-11-05T06:45:00')).toBe(false);
    expect(isInstant('2026-11-05')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-2-1')).toBe(false);
  });
});

describe('bail authority', () => {
  it('is 3 months for the custody officer, 6 for an inspector, 9 for a superintendent, then a court (baseline)', () => {
    expect(bailAuthority(RULE).map((s) => [s.upToMonths, s.minimumRank])).toEqual([
      [3, 'sergeant'],
      [6, 'inspector'],
      [9, 'superintendent'],
    ]);
    expect(policeBailLimitMonths(RULE)).toBe(9);
  });

  it('starts the day after arrest, by the UK civil date', () => {
    expect(bailStartDate('2026-11-05T06:45:00Z')).toBe('2026-11-06');
    expect(bailStartDate('2026-06-30T23:30:00Z')).toBe('2026-07-02');
  });

  it.each([
    ['2027-02-05', 'sergeant'],
    ['2027-02-06', 'inspector'],
    ['2027-05-05', 'inspector'],
    ['2027-05-06', 'superintendent'],
    ['2027-08-05', 'superintendent'],
  ])('bail to %s from a start of 2026-11-06 needs a %s', (endsOn, rank) => {
    expect(authorityFor('2026-11-06', endsOn, RULE)?.minimumRank).toBe(rank);
  });

  it('leaves bail beyond 9 months to a court', () => {
    expect(authorityFor('2026-11-06', '2027-08-06', RULE)).toBeUndefined();
  });

  it("follows the model's months: a version with 2/4/6 months leaves bail beyond 6 months to a court", () => {
    const rule = { initialPeriodMonths: 2, inspectorLimitMonths: 4, superintendentLimitMonths: 6 };
    expect(authorityFor('2026-11-06', '2027-01-05', rule)?.minimumRank).toBe('sergeant');
    expect(authorityFor('2026-11-06', '2027-01-06', rule)?.minimumRank).toBe('inspector');
    expect(authorityFor('2026-11-06', '2027-05-05', rule)?.minimumRank).toBe('superintendent');
    expect(authorityFor('2026-11-06', '2027-05-06', rule)).toBeUndefined();
  });

  it('orders ranks from constable to chief constable', () => {
    expect(rankAtLeast('superintendent', 'inspector')).toBe(true);
    expect(rankAtLeast('inspector', 'inspector')).toBe(true);
    expect(rankAtLeast('chief-inspector', 'superintendent')).toBe(false);
    expect(rankAtLeast('constable', 'sergeant')).toBe(false);
  });
});
