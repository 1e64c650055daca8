import { randomUUID } from 'node:crypto';
import { BASELINE_MODEL, validateEvent, VictimEventTypes as T, type VictimEvent } from '#contracts';
import { specFor, testMetadata } from '#testing';
import { VictimCommandRefused, victimDecider, type VictimCommand, type VictimState } from '../src/index.js';

// The victim's evidence (docs/evidence-and-court.md): the ABE interview and the forensic medical examination; the court's
// part in victim-court-evidence.unit.spec.ts. Given-when-then for every rule, refusals included.

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
const withdrawn: VictimEvent = {
  type: T.SupportWithdrawn,
  data: { ...ids, reason: 'emotional-toll', stage: 'early-investigation', withdrawnAt: '2026-11-04T10:00:00Z' },
};
const planned: VictimEvent = {
  type: T.AbeInterviewPlanned,
  data: { ...ids, interviewId, plannedFor: '2026-11-06T10:00:00Z', withIntermediary: false, plannedAt: at },
};
const conducted: VictimEvent = {
  type: T.AbeInterviewConducted,
  data: { ...ids, interviewId, recordingReference: 'AS-VRI-2026-004417', conductedAt: at },
};
const sarc = { name: 'The Bridge SARC, Bristol', serviceKind: 'all-age-sarc' as const };
const referred: VictimEvent = { type: T.ForensicExaminationReferred, data: { ...ids, examinationId, sarc, referredAt: at } };
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

describe("the victim's evidence", () => {
  describe('ABE interview', () => {
    const plan: VictimCommand = {
      kind: 'plan-abe-interview',
      ...ids,
      interviewId,
      plannedFor: '2026-11-06T10:00:00Z',
      withIntermediary: false,
      at,
    };
    const record: VictimCommand = { kind: 'record-abe-interview', ...ids, interviewId, recordingReference: 'AS-VRI-2026-004417', at };
    it('plans a video-recorded interview', () => spec.given([contacted]).when(plan).then([planned]));
    it('records the planned interview as conducted, with the reference of its recording', () =>
      spec.given([contacted, planned]).when(record).then([conducted]));
    it('plans a further interview under a new id', () =>
      spec
        .given([contacted, planned, conducted])
        .when({ ...plan, interviewId: examinationId })
        .then([{ type: T.AbeInterviewPlanned, data: { ...planned.data, interviewId: examinationId } }]));
    it('refuses an interview not planned', () => spec.given([contacted]).when(record).thenThrows(VictimCommandRefused, 'plan the'));
    it('refuses an interview conducted twice', () =>
      spec.given([contacted, planned, conducted]).when(record).thenThrows(VictimCommandRefused, 'already recorded as conducted'));
    it('refuses planning the same interview twice', () =>
      spec.given([contacted, planned]).when(plan).thenThrows(VictimCommandRefused, 'already planned'));
    it('refuses while the victim has withdrawn support', () =>
      spec.given([contacted, withdrawn]).when(plan).thenThrows(VictimCommandRefused, 'withdrawn support'));
    it('refuses before first contact', () => spec.given([]).when(plan).thenThrows(VictimCommandRefused, 'no first contact'));
    it('refuses a malformed planned time', () =>
      spec
        .given([contacted])
        .when({ ...plan, plannedFor: 'next Tuesday' })
        .thenThrows(VictimCommandRefused, 'plannedFor'));
  });

  describe('forensic medical examination', () => {
    const refer: VictimCommand = { kind: 'refer-for-forensic-examination', ...ids, examinationId, sarc, at };
    const examine: VictimCommand = {
      kind: 'record-forensic-examination',
      ...ids,
      examinationId,
      consentedTo: ['examination', 'forensic-samples'],
      consentRecordedAt: '2027-03-20T09:30:00Z',
      at,
    };
    const decline: VictimCommand = { kind: 'decline-forensic-examination', ...ids, examinationId, at };
    it('refers the victim to a SARC', () => spec.given([contacted]).when(refer).then([referred]));
    it("records the examination with the victim's consent, recorded before it", () =>
      spec
        .given([contacted, referred])
        .when(examine)
        .then([
          {
            type: T.ForensicExaminationCompleted,
            data: {
              ...ids,
              examinationId,
              consentedTo: ['examination', 'forensic-samples'],
              consentRecordedAt: '2027-03-20T09:30:00Z',
              examinedAt: at,
            },
          },
        ]));
    it('records that the victim declined the examination', () =>
      spec
        .given([contacted, referred])
        .when(decline)
        .then([{ type: T.ForensicExaminationDeclined, data: { ...ids, examinationId, declinedAt: at } }]));
    it('refuses an examination without consent to it', () =>
      spec
        .given([contacted, referred])
        .when({ ...examine, consentedTo: ['forensic-samples'] })
        .thenThrows(VictimCommandRefused, 'consent to the examination'));
    it('refuses consent recorded after the examination', () =>
      spec
        .given([contacted, referred])
        .when({ ...examine, consentRecordedAt: '2027-03-20T11:00:00Z' })
        .thenThrows(VictimCommandRefused, 'before the examination'));
    it('refuses an examination or a decline without a referral', () => {
      spec.given([contacted]).when(examine).thenThrows(VictimCommandRefused, 'no referral');
      spec.given([contacted]).when(decline).thenThrows(VictimCommandRefused, 'no referral');
    });
    it('refuses a decline after the examination, and an examination after a decline', () => {
      const examined: VictimEvent = {
        type: T.ForensicExaminationCompleted,
        data: { ...ids, examinationId, consentedTo: ['examination'], consentRecordedAt: at, examinedAt: at },
      };
      spec.given([contacted, referred, examined]).when(decline).thenThrows(VictimCommandRefused, 'already examined');
      const declined: VictimEvent = { type: T.ForensicExaminationDeclined, data: { ...ids, examinationId, declinedAt: at } };
      spec.given([contacted, referred, declined]).when(examine).thenThrows(VictimCommandRefused, 'already declined');
    });
    it('refuses the same referral twice, and a referral while support is withdrawn', () => {
      spec.given([contacted, referred]).when(refer).thenThrows(VictimCommandRefused, 'already referred');
      spec.given([contacted, withdrawn]).when(refer).thenThrows(VictimCommandRefused, 'withdrawn support');
    });
  });

  it('records only events that satisfy the catalogue', () => {
    const story: VictimCommand[] = [
      { kind: 'plan-abe-interview', ...ids, interviewId, plannedFor: '2026-11-06T10:00:00Z', withIntermediary: true, at },
      { kind: 'record-abe-interview', ...ids, interviewId, recordingReference: 'AS-VRI-2026-004417', at },
      { kind: 'refer-for-forensic-examination', ...ids, examinationId, sarc, at },
      { kind: 'record-forensic-examination', ...ids, examinationId, consentedTo: ['examination'], consentRecordedAt: at, at },
      {
        kind: 'apply-for-special-measures',
        ...ids,
        applicationId,
        measures: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'],
        at,
      },
      {
        kind: 'record-special-measures-decision',
        ...ids,
        applicationId,
        granted: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'],
        refused: [],
        at,
      },
      { kind: 'order-pre-recorded-cross-examination', ...ids, hearingDate: '2027-05-10', at },
      { kind: 'record-pre-recorded-cross-examination', ...ids, recordingReference: 'CC-S28-2027-000912', at },
    ];
    let state = [contacted, chargeDuty].reduce(victimDecider.evolve, victimDecider.initialState);
    for (const command of story) {
      const events = victimDecider.decide(command, state, BASELINE_MODEL);
      expect(events).toHaveLength(1);
      for (const event of events) {
        expect(validateEvent({ id: randomUUID(), type: event.type, data: event.data, metadata: testMetadata() })).toEqual([]);
        state = victimDecider.evolve(state, event);
      }
    }
    expect(state.evidence).toMatchObject({
      abeInterviews: { [interviewId]: 'conducted' },
      examinations: { [examinationId]: 'examined' },
      grantedMeasures: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'],
      preRecordedCrossExamination: 'recorded',
      chargeKnown: true,
    });
  });
});
