import { accreditedCoverage, holdsCurrentAccreditation } from '#kpis';

describe('accredited-investigator coverage', () => {
  const achieved = { ssaidp: { status: 'achieved' } };
  it('is the share of open investigations whose assigned investigator holds a current accreditation', () => {
    expect(
      accreditedCoverage([
        { officerId: 'AS-1', openCases: 3, accreditations: achieved },
        { officerId: 'AS-2', openCases: 2, accreditations: { ssaidp: { status: 'enrolled' } } },
        { officerId: 'AS-3', openCases: 1, accreditations: null },
        { officerId: null, openCases: 2, accreditations: null },
      ]),
    ).toEqual({ openInvestigations: 8, assigned: 6, accredited: 3, share: 0.375 });
  });
  it('does not count a lapsed accreditation, but any achieved programme counts', () => {
    expect(holdsCurrentAccreditation({ 'pip-2': { status: 'lapsed' } })).toBe(false);
    expect(holdsCurrentAccreditation({ 'pip-2': { status: 'lapsed' }, soit: { status: 'achieved' } })).toBe(true);
    expect(holdsCurrentAccreditation(null)).toBe(false);
  });
  it('has no share when no investigation is open', () => {
    expect(accreditedCoverage([])).toEqual({ openInvestigations: 0, assigned: 0, accredited: 0, share: null });
  });
});
