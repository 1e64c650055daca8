import { cohortQuarters, foldKpiFacts, nationalKpis, NotWholeQuarters, type Count, type KpiFacts } from '#kpis';
import { aCase } from '#testing';

/** Kent: 3 cases recorded in 2026-Q1 (days 0-89), 12 in 2026-Q2 (day 100 on); Essex: 20 in each. Each closed as 18. */
function history(): Map<string, KpiFacts> {
  const cases = (force: string, n: number, day: number) =>
    Array.from({ length: n }, () =>
      aCase(force)
        .recorded(day)
        .outcome(18, day + 5),
    );
  return new Map([
    ['essex', foldKpiFacts([...cases('essex', 20, 10), ...cases('essex', 20, 100)].flatMap((c) => c.events))],
    ['kent', foldKpiFacts([...cases('kent', 3, 10), ...cases('kent', 12, 100)].flatMap((c) => c.events))],
  ]);
}
const Q1 = { recordedFrom: '2026-01-01T00:00:00Z', recordedTo: '2026-04-01T00:00:00Z' };
const Q2 = { recordedFrom: '2026-04-01T00:00:00Z', recordedTo: '2026-07-01T00:00:00Z' };
const H1 = { recordedFrom: '2026-01-01T00:00:00Z', recordedTo: '2026-07-01T00:00:00Z' };

describe('national cohorts by whole quarters (suppression across cohorts)', () => {
  it('refuses a cohort that is not whole calendar quarters, or gives one end only', () => {
    const facts = history();
    expect(() => cohortQuarters(facts, { recordedFrom: '2026-01-02T00:00:00Z', recordedTo: '2026-04-01T00:00:00Z' })).toThrow(
      NotWholeQuarters,
    );
    expect(() => cohortQuarters(facts, { recordedFrom: '2026-01-01T00:00:00Z', recordedTo: '2026-03-31T23:00:00Z' })).toThrow(
      NotWholeQuarters,
    );
    expect(() => cohortQuarters(facts, { recordedFrom: '2026-04-01T00:00:00Z', recordedTo: '2026-04-01T00:00:00Z' })).toThrow(
      NotWholeQuarters,
    );
    expect(() => cohortQuarters(facts, { recordedFrom: '2026-01-01T00:00:00Z' })).toThrow(NotWholeQuarters);
    expect(cohortQuarters(facts, H1)).toEqual([2026 * 4, 2026 * 4 + 1]);
    // The whole history: every quarter with a case recorded in it.
    expect(cohortQuarters(facts, {})).toEqual([2026 * 4, 2026 * 4 + 1]);
  });

  it("shows a cohort's count only where every quarter in it shows it, so no difference of cohorts reveals a hidden one", () => {
    const facts = history();
    const casesOf = (cohort: object, force: 'kent' | 'essex'): Count => nationalKpis(facts, 10, cohort).forces[force]!.cases.closed;
    // Kent's 3 in Q1 are hidden; its 12 in Q2 shown.
    expect(casesOf(Q1, 'kent')).toEqual({ suppressed: 'primary' });
    expect(casesOf(Q2, 'kent')).toEqual({ value: 12 });
    // Were the half year (15) or the whole history (15) shown, 15 - 12 would be Kent's hidden Q1: both are hidden.
    expect(casesOf(H1, 'kent')).toEqual({ suppressed: 'primary' });
    expect(casesOf({}, 'kent')).toEqual({ suppressed: 'primary' });
    // The nation's Q1 (23) minus Essex's Q1 (20) would be Kent's: across scopes, Essex's Q1 is hidden too (secondary),
    // and so are its half year and whole history (40), which less its shown Q2 (20) would be its Q1.
    expect(nationalKpis(facts, 10, Q1).national.cases.closed).toEqual({ value: 23 });
    expect(casesOf(Q1, 'essex')).toEqual({ suppressed: 'secondary' });
    expect(casesOf(Q2, 'essex')).toEqual({ value: 20 });
    expect(casesOf(H1, 'essex')).toEqual({ suppressed: 'secondary' });
    expect(casesOf({}, 'essex')).toEqual({ suppressed: 'secondary' });
    // The nation's, shown in both quarters, is shown for their sum.
    expect(nationalKpis(facts, 10, H1).national.cases.closed).toEqual({ value: 55 });
  });

  it('keeps to one offence group when asked', () => {
    const facts = history();
    const other = nationalKpis(facts, 10, { ...Q2, offence: 'sexual-assault' });
    expect(other.forces['essex']!.cases.closed).toEqual({ suppressed: 'primary' });
    expect(nationalKpis(facts, 10, { ...Q2, offence: 'rape-of-female-16-plus' }).forces['essex']!.cases.closed).toEqual({ value: 20 });
  });
});
