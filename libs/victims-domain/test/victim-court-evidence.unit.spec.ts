import { randomUUID } from 'node:crypto';
import { VictimEventTypes as T, type SpecialMeasure, type SpecialMeasureSection, type VictimEvent } from '#contracts';
import { specFor } from '#testing';
import { VictimCommandRefused, victimDecider, type VictimCommand, type VictimState } from '../src/index.js';

// The victim's evidence at court (docs/evidence-and-court.md): special measures, s28, withdrawal after charge.
// Given-when-then for every rule, refusals included.

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const victimId = '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e';
const ids = { caseId, victimId };
const interviewId = '0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d';
const examinationId = '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a';
const applicationId = '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b';
const at = '2027-03-20T10:00:00.000Z';
const spec = specFor<VictimCommand, VictimEvent, VictimState>(victimDecider);

const contacted: VictimEvent = {
  type: T.FirstContactMade,
  data: { ...ids, offence: 'rape-of-female-16-plus', officerId: 'AS-4471', channel: 'in-person', madeAt: '2026-11-03T10:15:00Z' },
};
const planned: VictimEvent = {
  type: T.AbeInterviewPlanned,
  data: { ...ids, interviewId, plannedFor: '2026-11-06T10:00:00Z', withIntermediary: false, plannedAt: at },
};
const conducted: VictimEvent = {
  type: T.AbeInterviewConducted,
  data: { ...ids, interviewId, recordingReference: 'AS-VRI-2026-004417', conductedAt: at },
};
/** What the process manager records on the victim's stream when a suspect of the case is charged. */
const chargeDuty: VictimEvent = {
  type: T.UpdateDutyOpened,
  data: {
    ...ids,
    trigger: 'suspect-charged',
    triggerEventId: randomUUID(),
    triggeredAt: '2027-03-02T12:00:00Z',
    enhancedRights: true,
    workingDays: 1,
    dueDate: '2027-03-03',
    dueBy: '2027-03-03T23:59:59.999Z',
  },
};
const arrestDuty: VictimEvent = { type: T.UpdateDutyOpened, data: { ...chargeDuty.data, trigger: 'suspect-arrested' } };
const applied = (measures: SpecialMeasure[], sections: SpecialMeasureSection[]): VictimEvent => ({
  type: T.SpecialMeasuresAppliedFor,
  data: { ...ids, applicationId, measures, sections, eligibility: ['s17-4-sexual-offence-complainant'], appliedAt: at },
});
const s27s28 = applied(['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'], ['s27', 's28']);
const s28granted: VictimEvent = {
  type: T.SpecialMeasuresDecided,
  data: {
    ...ids,
    applicationId,
    granted: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'],
    refused: [],
    decidedAt: at,
  },
};
const ordered: VictimEvent = { type: T.PreRecordedCrossExaminationOrdered, data: { ...ids, hearingDate: '2027-05-10', orderedAt: at } };
const atCourt = [contacted, planned, conducted, chargeDuty];

describe("the victim's evidence at court", () => {
  describe('special measures at court', () => {
    const apply: VictimCommand = {
      kind: 'apply-for-special-measures',
      ...ids,
      applicationId,
      measures: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'],
      at,
    };
    const decide = (granted: SpecialMeasure[], refused: SpecialMeasure[]): VictimCommand => ({
      kind: 'record-special-measures-decision',
      ...ids,
      applicationId,
      granted,
      refused,
      at,
    });
    it('applies for measures naming their sections, every sexual-offence complainant eligible (s17(4))', () =>
      spec.given(atCourt).when(apply).then([s27s28]));
    it('adds the grounds the officer names to s17(4)', () =>
      spec
        .given(atCourt)
        .when({ ...apply, measures: ['screens', 'intermediary'], grounds: ['s16-1-a-under-18'] })
        .then([
          {
            type: T.SpecialMeasuresAppliedFor,
            data: {
              ...ids,
              applicationId,
              measures: ['screens', 'intermediary'],
              sections: ['s23', 's29'],
              eligibility: ['s17-4-sexual-offence-complainant', 's16-1-a-under-18'],
              appliedAt: at,
            },
          },
        ]));
    it('refuses an application with no charge known (no proceedings)', () =>
      spec.given([contacted, planned, conducted, arrestDuty]).when(apply).thenThrows(VictimCommandRefused, 'no suspect of this case'));
    it('refuses video-recorded evidence in chief (s27) with no conducted interview', () =>
      spec.given([contacted, planned, chargeDuty]).when(apply).thenThrows(VictimCommandRefused, 'conducted video-recorded interview'));
    it('refuses s28 without video-recorded evidence in chief (s28(1))', () =>
      spec
        .given(atCourt)
        .when({ ...apply, measures: ['pre-recorded-cross-examination'] })
        .thenThrows(VictimCommandRefused, 'needs video-recorded evidence in chief'));
    it('refuses an empty application and the same application twice', () => {
      spec
        .given(atCourt)
        .when({ ...apply, measures: [] })
        .thenThrows(VictimCommandRefused, 'at least one');
      spec
        .given([...atCourt, s27s28])
        .when(apply)
        .thenThrows(VictimCommandRefused, 'already recorded');
    });
    it('records the court granting some measures and refusing others', () =>
      spec
        .given([...atCourt, s27s28])
        .when(decide(['video-recorded-evidence-in-chief'], ['pre-recorded-cross-examination']))
        .then([
          {
            type: T.SpecialMeasuresDecided,
            data: {
              ...ids,
              applicationId,
              granted: ['video-recorded-evidence-in-chief'],
              refused: ['pre-recorded-cross-examination'],
              decidedAt: at,
            },
          },
        ]));
    it('refuses a decision that leaves out a measure, adds one, or both grants and refuses one', () => {
      spec
        .given([...atCourt, s27s28])
        .when(decide(['video-recorded-evidence-in-chief'], []))
        .thenThrows(VictimCommandRefused, 'decide each measure');
      spec
        .given([...atCourt, s27s28])
        .when(decide(['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination', 'screens'], []))
        .thenThrows(VictimCommandRefused);
      spec
        .given([...atCourt, s27s28])
        .when(decide(['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'], ['pre-recorded-cross-examination']))
        .thenThrows(VictimCommandRefused, 'decide each measure');
    });
    it('refuses deciding an unknown application, or one already decided', () => {
      spec
        .given(atCourt)
        .when(decide(['screens'], []))
        .thenThrows(VictimCommandRefused, 'no such special measures application');
      spec
        .given([...atCourt, s27s28, s28granted])
        .when(decide(['video-recorded-evidence-in-chief'], []))
        .thenThrows(VictimCommandRefused, 'already decided');
    });
    it('applies for s28 alone once video-recorded evidence in chief was granted', () =>
      spec
        .given([...atCourt, s27s28, s28granted])
        .when({ ...apply, applicationId: examinationId, measures: ['pre-recorded-cross-examination'] })
        .then([
          {
            type: T.SpecialMeasuresAppliedFor,
            data: {
              ...ids,
              applicationId: examinationId,
              measures: ['pre-recorded-cross-examination'],
              sections: ['s28'],
              eligibility: ['s17-4-sexual-offence-complainant'],
              appliedAt: at,
            },
          },
        ]));
  });

  describe('section 28 pre-recorded cross-examination', () => {
    const order: VictimCommand = { kind: 'order-pre-recorded-cross-examination', ...ids, hearingDate: '2027-05-10', at };
    const record: VictimCommand = { kind: 'record-pre-recorded-cross-examination', ...ids, recordingReference: 'CC-S28-2027-000912', at };
    const recorded: VictimEvent = {
      type: T.PreRecordedCrossExaminationRecorded,
      data: { ...ids, recordingReference: 'CC-S28-2027-000912', recordedAt: at },
    };
    it('records the hearing ordered once the court granted s28', () =>
      spec
        .given([...atCourt, s27s28, s28granted])
        .when(order)
        .then([ordered]));
    it('records the cross-examination recorded at the ordered hearing', () =>
      spec
        .given([...atCourt, s27s28, s28granted, ordered])
        .when(record)
        .then([recorded]));
    it('moves the hearing before it is recorded', () =>
      spec
        .given([...atCourt, s27s28, s28granted, ordered])
        .when({ ...order, hearingDate: '2027-05-17' })
        .then([{ type: T.PreRecordedCrossExaminationOrdered, data: { ...ids, hearingDate: '2027-05-17', orderedAt: at } }]));
    it('refuses an order when s28 was not granted (applied for only, or refused)', () => {
      spec
        .given([...atCourt, s27s28])
        .when(order)
        .thenThrows(VictimCommandRefused, 'has not directed');
      const refused: VictimEvent = {
        type: T.SpecialMeasuresDecided,
        data: {
          ...ids,
          applicationId,
          granted: ['video-recorded-evidence-in-chief'],
          refused: ['pre-recorded-cross-examination'],
          decidedAt: at,
        },
      };
      spec
        .given([...atCourt, s27s28, refused])
        .when(order)
        .thenThrows(VictimCommandRefused, 'has not directed');
    });
    it('refuses a recording with no hearing ordered, and a second recording', () => {
      spec
        .given([...atCourt, s27s28, s28granted])
        .when(record)
        .thenThrows(VictimCommandRefused, 'has not listed');
      spec
        .given([...atCourt, s27s28, s28granted, ordered, recorded])
        .when(record)
        .thenThrows(VictimCommandRefused, 'already recorded');
      spec
        .given([...atCourt, s27s28, s28granted, ordered, recorded])
        .when(order)
        .thenThrows(VictimCommandRefused, 'already recorded');
    });
    it('refuses a hearing date that is not a date', () =>
      spec
        .given([...atCourt, s27s28, s28granted])
        .when({ ...order, hearingDate: '10/05/2027' })
        .thenThrows(VictimCommandRefused, 'calendar date'));
  });

  describe('withdrawal after charge', () => {
    const withdraw: VictimCommand = { kind: 'withdraw-support', ...ids, reason: 'emotional-toll', stage: 'post-charge', at };
    it('records a withdrawal at the post-charge or trial stage once a charge is known', () => {
      spec
        .given([contacted, chargeDuty])
        .when(withdraw)
        .then([{ type: T.SupportWithdrawn, data: { ...ids, reason: 'emotional-toll', stage: 'post-charge', withdrawnAt: at } }]);
      spec
        .given([contacted, chargeDuty])
        .when({ ...withdraw, stage: 'trial' })
        .then([{ type: T.SupportWithdrawn, data: { ...ids, reason: 'emotional-toll', stage: 'trial', withdrawnAt: at } }]);
    });
    it('refuses a post-charge or trial stage when no charge is known', () => {
      spec.given([contacted, arrestDuty]).when(withdraw).thenThrows(VictimCommandRefused, 'cannot be post-charge');
      spec
        .given([contacted])
        .when({ ...withdraw, stage: 'trial' })
        .thenThrows(VictimCommandRefused, 'cannot be trial');
    });
    it('still records a pre-charge stage before a charge', () =>
      spec
        .given([contacted])
        .when({ ...withdraw, stage: 'early-investigation' })
        .then([{ type: T.SupportWithdrawn, data: { ...ids, reason: 'emotional-toll', stage: 'early-investigation', withdrawnAt: at } }]));
  });
});
