import { LearningEventTypes as T, type OfficerDevelopmentEvent } from '#contracts';
import { specFor } from '#testing';
import {
  OfficerDevelopmentRefused,
  decideOfficerDevelopment,
  officerDevelopmentDecider,
  officerStreamId,
  type OfficerDevelopmentCommand,
  type OfficerDevelopmentState,
} from '../src/index.js';

const officerId = 'AS-4471';
const programme = 'ssaidp';
const at = '2026-09-01T09:00:00.000Z';
const spec = specFor<OfficerDevelopmentCommand, OfficerDevelopmentEvent, OfficerDevelopmentState>(officerDevelopmentDecider);

const enrolled: OfficerDevelopmentEvent = { type: T.AccreditationEnrolled, data: { officerId, programme, enrolledAt: at } };
const achieved: OfficerDevelopmentEvent = { type: T.AccreditationAchieved, data: { officerId, programme, achievedAt: at } };
const lapsed: OfficerDevelopmentEvent = {
  type: T.AccreditationLapsed,
  data: { officerId, programme, reason: 'expired', lapsedAt: at },
};

describe(decideOfficerDevelopment.name, () => {
  describe('enrol-on-accreditation', () => {
    const command: OfficerDevelopmentCommand = { kind: 'enrol-on-accreditation', officerId, programme, at };
    it('enrols an officer on a programme', () => spec.given([]).when(command).then([enrolled]));
    it('enrols again after the accreditation lapsed', () => spec.given([enrolled, achieved, lapsed]).when(command).then([enrolled]));
    it('enrols on another programme while accredited on one', () =>
      spec
        .given([enrolled, achieved])
        .when({ ...command, programme: 'pip-2' })
        .then([{ type: T.AccreditationEnrolled, data: { officerId, programme: 'pip-2', enrolledAt: at } }]));
    it('refuses a second enrolment on the same programme', () =>
      spec.given([enrolled]).when(command).thenThrows(OfficerDevelopmentRefused, 'already enrolled on ssaidp'));
    it('refuses enrolment on a programme the officer already holds', () =>
      spec.given([enrolled, achieved]).when(command).thenThrows(OfficerDevelopmentRefused, 'already holds ssaidp'));
  });

  describe('achieve-accreditation', () => {
    const command: OfficerDevelopmentCommand = { kind: 'achieve-accreditation', officerId, programme, at };
    it('accredits an enrolled officer', () => spec.given([enrolled]).when(command).then([achieved]));
    it('refuses an officer never enrolled on the programme', () =>
      spec.given([]).when(command).thenThrows(OfficerDevelopmentRefused, 'not enrolled on ssaidp'));
    it('refuses an officer enrolled on another programme only', () =>
      spec
        .given([enrolled])
        .when({ ...command, programme: 'pip-1' })
        .thenThrows(OfficerDevelopmentRefused, 'not enrolled on pip-1'));
    it('refuses after a lapse without a new enrolment', () =>
      spec.given([enrolled, achieved, lapsed]).when(command).thenThrows(OfficerDevelopmentRefused, 'not enrolled'));
    it('refuses an officer already accredited', () =>
      spec.given([enrolled, achieved]).when(command).thenThrows(OfficerDevelopmentRefused, 'already holds ssaidp'));
  });

  describe('lapse-accreditation', () => {
    const command: OfficerDevelopmentCommand = { kind: 'lapse-accreditation', officerId, programme, reason: 'expired', at };
    it('lapses an accreditation the officer holds', () => spec.given([enrolled, achieved]).when(command).then([lapsed]));
    it('refuses an accreditation only enrolled on', () =>
      spec.given([enrolled]).when(command).thenThrows(OfficerDevelopmentRefused, 'does not hold ssaidp'));
    it('refuses an accreditation already lapsed', () =>
      spec.given([enrolled, achieved, lapsed]).when(command).thenThrows(OfficerDevelopmentRefused, 'does not hold'));
  });

  it('names the refusal as a value, not only as text', () => {
    const command: OfficerDevelopmentCommand = { kind: 'achieve-accreditation', officerId, programme, at };
    expect(() => decideOfficerDevelopment(command, officerDevelopmentDecider.initialState)).toThrow(
      expect.objectContaining({ refusal: 'not-enrolled' }),
    );
  });

  it('keeps one stream per officer per force', () => {
    expect(officerStreamId('wiltshire', 'WI-0712')).toBe('officer-wiltshire-WI-0712');
  });
});
