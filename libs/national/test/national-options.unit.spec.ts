import { randomBytes } from 'node:crypto';
import { loadNationalOptions } from '../src/national.module.js';

describe(loadNationalOptions.name, () => {
  const key = randomBytes(32).toString('base64');
  it('caps match disclosures at 20 per officer per day unless configured', () => {
    expect(loadNationalOptions({ NOM_MATCHING_KEY: key }).disclosuresPerOfficerPerDay).toBe(20);
    expect(loadNationalOptions({ NOM_MATCHING_KEY: key, NOM_MATCH_DISCLOSURES_PER_OFFICER_PER_DAY: '3' }).disclosuresPerOfficerPerDay).toBe(
      3,
    );
    expect(() => loadNationalOptions({ NOM_MATCHING_KEY: key, NOM_MATCH_DISCLOSURES_PER_OFFICER_PER_DAY: 'lots' })).toThrow(
      'NOM_MATCH_DISCLOSURES_PER_OFFICER_PER_DAY must be a whole number',
    );
  });
});
