import { CaseEventTypes as T, type CaseEvent } from '#contracts';
import { CaseCommandRefused, type CaseCommand } from '../src/index.js';
import { at, caseId, cancelled, closed, open, recorded, reported, spec } from './case.fixtures.js';

// The fixtures' crime was reported at 2026-11-02T21:14Z: 2 November in London.
const command: CaseCommand = {
  kind: 'record-problem-profile',
  caseId,
  offenceDate: '2026-11-01',
  relationshipToSuspect: 'friend-or-acquaintance',
  domesticAbuse: 'not-flagged',
  victimAgeBand: '18-24',
  suspectAgeBand: '25-34',
  at,
};
const profiled: CaseEvent = {
  type: T.ProblemProfileRecorded,
  data: {
    caseId,
    offenceDate: '2026-11-01',
    relationshipToSuspect: 'friend-or-acquaintance',
    domesticAbuse: 'not-flagged',
    victimAgeBand: '18-24',
    suspectAgeBand: '25-34',
    recordedAt: at,
  },
};

describe('the problem profile', () => {
  it("records a recorded crime's profile", () => spec.given([recorded]).when(command).then([profiled]));
  it('records it during the investigation and corrects it later', () => {
    spec.given(open).when(command).then([profiled]);
    spec
      .given([...open, profiled])
      .when({ ...command, suspectAgeBand: '35-44' })
      .then([{ ...profiled, data: { ...profiled.data, suspectAgeBand: '35-44' } }]);
  });
  it('records it on a closed case', () =>
    spec
      .given([...open, closed])
      .when(command)
      .then([profiled]));
  it('accepts an offence on the day of the report', () =>
    spec
      .given([recorded])
      .when({ ...command, offenceDate: '2026-11-02' })
      .then([{ ...profiled, data: { ...profiled.data, offenceDate: '2026-11-02' } }]));
  it('refuses an offence after its report', () =>
    spec
      .given([recorded])
      .when({ ...command, offenceDate: '2026-11-03' })
      .thenThrows(CaseCommandRefused, 'cannot be after its report (2026-11-02)'));
  it('refuses an offence date that is not a calendar date', () =>
    spec
      .given([recorded])
      .when({ ...command, offenceDate: '2026-02-30' })
      .thenThrows(CaseCommandRefused, 'offenceDate'));
  it('refuses an N100 report not recorded as a crime', () =>
    spec.given([reported]).when(command).thenThrows(CaseCommandRefused, 'not recorded as a crime'));
  it('refuses a cancelled recording', () => spec.given([recorded, cancelled]).when(command).thenThrows(CaseCommandRefused, 'cancelled'));
  it('refuses an unknown case', () => spec.given([]).when(command).thenThrows(CaseCommandRefused, 'no such case'));

  describe('the domestic-abuse flag (Domestic Abuse Act 2021 ss1-2)', () => {
    const partner = { ...command, relationshipToSuspect: 'partner-or-ex-partner' } as const;
    it('records a partner, both 16 or over, flagged', () =>
      spec
        .given([recorded])
        .when({ ...partner, domesticAbuse: 'flagged' })
        .then([{ ...profiled, data: { ...profiled.data, relationshipToSuspect: 'partner-or-ex-partner', domesticAbuse: 'flagged' } }]));
    it('refuses a partner, both 16 or over, not flagged', () =>
      spec.given([recorded]).when(partner).thenThrows(CaseCommandRefused, 'is domestic abuse'));
    it('refuses a relative, both 16 or over, not flagged', () =>
      spec
        .given([recorded])
        .when({ ...command, relationshipToSuspect: 'family-member', victimAgeBand: '16-17' })
        .thenThrows(CaseCommandRefused, 'is domestic abuse'));
    it("leaves a relative's case unflagged while the suspect's age is not known", () =>
      spec
        .given([recorded])
        .when({ ...command, relationshipToSuspect: 'family-member', suspectAgeBand: 'not-known' })
        .then([{ ...profiled, data: { ...profiled.data, relationshipToSuspect: 'family-member', suspectAgeBand: 'not-known' } }]));
    it('refuses a stranger flagged', () =>
      spec
        .given([recorded])
        .when({ ...command, relationshipToSuspect: 'stranger', domesticAbuse: 'flagged' })
        .thenThrows(CaseCommandRefused, 'stranger'));
    it('refuses a flag where a party is under 16', () =>
      spec
        .given([recorded])
        .when({ ...partner, domesticAbuse: 'flagged', victimAgeBand: '13-15' })
        .thenThrows(CaseCommandRefused, 'each aged 16 or over'));
    it("records a child's abuse by a relative unflagged (a child victim is not within s1)", () =>
      spec
        .given([recorded])
        .when({ ...command, relationshipToSuspect: 'family-member', victimAgeBand: 'under-13' })
        .then([{ ...profiled, data: { ...profiled.data, relationshipToSuspect: 'family-member', victimAgeBand: 'under-13' } }]));
  });
});
