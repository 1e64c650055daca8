import { cohortOf, forceKpis, type CaseFacts, type KpiFacts } from '../src/index.js';

const kase = (caseId: string, recordedAt: string | null, offence: string, outcomeCode: number | null = null): CaseFacts => ({
  caseId,
  force: 'wiltshire',
  offence,
  reportedAt: recordedAt,
  recordedAt,
  cancelled: false,
  earlyAdviceAt: null,
  referredAt: null,
  chargedAt: null,
  firstArrestAt: null,
  firstInterviewAt: null,
  outcomeCode,
  closedAt: outcomeCode === null ? null : '2026-06-01T00:00:00.000Z',
  reopenedCount: 0,
});
const facts: KpiFacts = {
  cases: [
    kase('a', '2025-01-15T00:00:00.000Z', 'rape-of-female-16-plus', 1),
    kase('b', '2025-03-31T23:59:59.999Z', 'sexual-assault'),
    kase('c', '2025-04-01T00:00:00.000Z', 'rape-of-female-16-plus', 16),
    kase('d', null, 'rape-of-female-16-plus'),
  ],
  victims: [
    {
      victimId: 'va',
      caseId: 'a',
      force: 'wiltshire',
      firstContactAt: null,
      isvaReferredAt: null,
      abeInterviewAt: null,
      withdrawn: false,
      withdrawalStage: null,
      withdrawalCount: 0,
    },
  ],
  duties: [{ dutyId: 'dc', victimId: 'vc', caseId: 'c', force: 'wiltshire', dueBy: null, status: 'open', missed: false, metOnTime: false }],
  occurrences: [],
};

describe(cohortOf.name, () => {
  it('is every fact when no cohort is asked for', () => {
    expect(cohortOf(facts, {})).toBe(facts);
  });

  it('keeps the cases recorded in [from, to), with their victims and duties', () => {
    const q1 = cohortOf(facts, { recordedFrom: '2025-01-01T00:00:00.000Z', recordedTo: '2025-04-01T00:00:00.000Z' });
    expect(q1.cases.map((c) => c.caseId)).toEqual(['a', 'b']);
    expect(q1.victims.map((v) => v.caseId)).toEqual(['a']);
    expect(q1.duties).toEqual([]);
    expect(cohortOf(facts, { recordedFrom: '2025-04-01T00:00:00.000Z' }).duties.map((d) => d.caseId)).toEqual(['c']);
  });

  it('keeps one offence group, and a case never recorded only when no period is asked for', () => {
    expect(cohortOf(facts, { offence: 'rape-of-female-16-plus' }).cases.map((c) => c.caseId)).toEqual(['a', 'c', 'd']);
    expect(
      cohortOf(facts, { offence: 'rape-of-female-16-plus', recordedTo: '2025-04-01T00:00:00.000Z' }).cases.map((c) => c.caseId),
    ).toEqual(['a']);
    expect(forceKpis(cohortOf(facts, { offence: 'sexual-assault' })).cases.closed).toEqual({ value: 0 });
  });
});
