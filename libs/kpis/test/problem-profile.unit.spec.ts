import { CaseEventTypes as C, type AgeBand, type DomesticAbuseFlag, type RelationshipToSuspect } from '#contracts';
import {
  forceProblemProfile,
  NotWholeQuarters,
  parsePeriod,
  problemProfileCountsOf,
  problemProfileFactsOf,
  PROFILE,
  quarter,
  reportingDelayBand,
  type Count,
} from '#kpis';

interface Profile {
  readonly offenceDate?: string;
  readonly relationshipToSuspect?: RelationshipToSuspect;
  readonly domesticAbuse?: DomesticAbuseFlag;
  readonly victimAgeBand?: AgeBand;
  readonly suspectAgeBand?: AgeBand;
}
let n = 0;
/** A recorded crime (reported and recorded on `recordedOn`) with its problem profile: the events as decrypted from the log. */
function aProfiledCase(recordedOn: string, profile: Profile = {}) {
  n += 1;
  const caseId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const at = `${recordedOn}T12:00:00Z`;
  return [
    { type: C.CrimeRecorded, data: { caseId, offence: 'rape-of-female-16-plus', reportedAt: at, recordedAt: at } },
    {
      type: C.ProblemProfileRecorded,
      data: {
        caseId,
        offenceDate: recordedOn,
        relationshipToSuspect: 'friend-or-acquaintance',
        domesticAbuse: 'not-flagged',
        victimAgeBand: '18-24',
        suspectAgeBand: '25-34',
        ...profile,
        recordedAt: at,
      },
    },
  ];
}
const times = <T>(count: number, make: () => T[]): T[] => Array.from({ length: count }, make).flat();
const Q1 = quarter(2026, 1);
const shown = (count: Count): number => {
  if ('suppressed' in count) throw new Error(`suppressed (${count.suppressed})`);
  return count.value;
};

describe('the problem profile (docs/kpis.md, "Problem profile")', () => {
  it('bands the delay from the offence to its report by UK dates', () => {
    expect(reportingDelayBand('2026-11-01', '2026-11-08T23:30:00Z')).toBe('within-7-days');
    // 23:30 UTC on 8 November in winter is still 8 November in London; in summer, 23:30 UTC is the next day.
    expect(reportingDelayBand('2026-06-01', '2026-06-08T23:30:00Z')).toBe('8-to-30-days');
    expect(reportingDelayBand('2026-01-01', '2026-01-31T10:00:00Z')).toBe('8-to-30-days');
    expect(reportingDelayBand('2026-01-01', '2026-02-01T10:00:00Z')).toBe('31-days-to-1-year');
    expect(reportingDelayBand('2025-01-01', '2026-01-01T10:00:00Z')).toBe('31-days-to-1-year');
    expect(reportingDelayBand('2021-01-01', '2026-01-01T10:00:00Z')).toBe('1-to-5-years');
    expect(reportingDelayBand('1998-05-01', '2026-01-01T10:00:00Z')).toBe('over-5-years');
  });

  it('counts the crimes recorded in the period by each dimension, the latest profile of each, never a cancelled one', () => {
    const corrected = aProfiledCase('2026-02-10');
    const caseId = (corrected[0]!.data as { caseId: string }).caseId;
    const cancelled = aProfiledCase('2026-02-11');
    const facts = problemProfileFactsOf([
      ...corrected,
      { type: C.ProblemProfileRecorded, data: { ...corrected[1]!.data, relationshipToSuspect: 'stranger' } },
      ...cancelled,
      { type: C.RecordingCancelled, data: { caseId: (cancelled[0]!.data as { caseId: string }).caseId } },
      ...aProfiledCase('2026-04-01'), // the next quarter
      ...aProfiledCase('2026-03-31', { offenceDate: '2010-06-01', domesticAbuse: 'flagged', relationshipToSuspect: 'family-member' }),
      aProfiledCase('2026-03-01')[0]!, // recorded, never profiled
    ]);
    expect(facts.map((f) => f.caseId)).toContain(caseId);
    const cells = problemProfileCountsOf(facts, Q1);
    expect(cells[PROFILE.total]).toBe(2);
    expect(cells[PROFILE.relationship('stranger')]).toBe(1);
    expect(cells[PROFILE.relationship('friend-or-acquaintance')]).toBe(0);
    expect(cells[PROFILE.relationship('family-member')]).toBe(1);
    expect(cells[PROFILE.domesticAbuse('flagged')]).toBe(1);
    expect(cells[PROFILE.delay('over-5-years')]).toBe(1);
    expect(cells[PROFILE.delay('within-7-days')]).toBe(1);
    expect(cells[PROFILE.victimAge('18-24')]).toBe(2);
  });

  it('does not count a profile whose values were erased (crypto-shredding leaves a marker, not a band)', () => {
    const [crime, profile] = aProfiledCase('2026-02-10');
    const erased = { ...profile!, data: { ...profile!.data, relationshipToSuspect: '[erased]', offenceDate: '[erased]' } };
    expect(problemProfileFactsOf([crime!, erased])).toEqual([]);
  });

  it('shows counts at or over the threshold and suppresses the smaller ones', () => {
    const cases = [
      ...times(12, () => aProfiledCase('2026-02-01')),
      ...times(3, () => aProfiledCase('2026-02-02', { victimAgeBand: '25-34' })),
    ];
    const report = forceProblemProfile(problemProfileFactsOf(cases), Q1, 10);
    expect(report.quarters).toEqual(['2026-Q1']);
    expect(shown(report.profiled)).toBe(15);
    expect(shown(report.relationshipToSuspect['friend-or-acquaintance'])).toBe(15);
    expect(report.relationshipToSuspect.stranger).toEqual({ suppressed: 'primary' });
    expect(shown(report.victimAgeBand['18-24'])).toBe(12);
    expect(report.victimAgeBand['25-34']).toEqual({ suppressed: 'primary' });
    // Several members of the group are hidden (every other band is 0), so none of them can be derived from the total.
    const two = [
      ...times(14, () => aProfiledCase('2026-02-01')),
      ...times(11, () => aProfiledCase('2026-02-03', { suspectAgeBand: '18-24' })),
    ];
    const bands = forceProblemProfile(problemProfileFactsOf(two), Q1, 10);
    expect(shown(bands.suspectAgeBand['25-34'])).toBe(14);
    expect(shown(bands.suspectAgeBand['18-24'])).toBe(11);
    expect(bands.suspectAgeBand['35-44']).toEqual({ suppressed: 'primary' });
  });

  it('hides the smallest shown member when a group has exactly one hidden member', () => {
    // Two flags only: 25 not flagged and 1 flagged would show 25 of a total of 26, so the 1 could be derived.
    const cases = [
      ...times(25, () => aProfiledCase('2026-02-01')),
      ...aProfiledCase('2026-02-01', { domesticAbuse: 'flagged', relationshipToSuspect: 'partner-or-ex-partner' }),
    ];
    const report = forceProblemProfile(problemProfileFactsOf(cases), Q1, 10);
    expect(shown(report.profiled)).toBe(26);
    expect(report.domesticAbuse.flagged).toEqual({ suppressed: 'primary' });
    expect(report.domesticAbuse['not-flagged']).toEqual({ suppressed: 'secondary' });
  });

  it('shows a cell of a longer period only if every quarter shows it, so overlapping periods cannot be differenced', () => {
    const cases = [...times(20, () => aProfiledCase('2026-02-01')), ...times(4, () => aProfiledCase('2026-05-01'))];
    const facts = problemProfileFactsOf(cases);
    const half = forceProblemProfile(facts, parsePeriod({ from: '2026-01-01', to: '2026-06-30' }, '2026-12-05'), 10);
    expect(half.quarters).toEqual(['2026-Q1', '2026-Q2']);
    // 24 would be shown were the half-year suppressed on its own totals; 24 - 20 would then reveal Q2's hidden 4.
    expect(half.profiled).toEqual({ suppressed: 'primary' });
    expect(shown(forceProblemProfile(facts, Q1, 10).profiled)).toBe(20);
  });

  it('refuses a period not made of whole quarters', () => {
    expect(() => forceProblemProfile([], parsePeriod({ from: '2026-01-01', to: '2026-02-28' }, '2026-12-05'))).toThrow(NotWholeQuarters);
  });
});
