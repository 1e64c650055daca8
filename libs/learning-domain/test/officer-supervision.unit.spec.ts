import { BASELINE_MODEL, LearningEventTypes as T, type OfficerDevelopmentEvent } from '#contracts';
import { specFor } from '#testing';
import {
  OfficerDevelopmentRefused,
  officerDevelopmentDecider,
  type OfficerDevelopmentCommand,
  type OfficerDevelopmentState,
} from '../src/index.js';

const officerId = 'AS-4471';
const supervisor = 'AS-SUP1';
const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const otherCase = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const lessonId = '9b2d7c1e-4f3a-4e8b-a6d5-0c1f2e3d4b5a';
const at = '2026-12-09T11:00:00.000Z';
const spec = specFor<OfficerDevelopmentCommand, OfficerDevelopmentEvent, OfficerDevelopmentState>(officerDevelopmentDecider);

const reviewed: OfficerDevelopmentEvent = {
  type: T.CaseReviewHeld,
  data: { officerId, caseId, reviewerId: supervisor, findings: 'improvement-needed', actionsRaised: 3, reviewedAt: at },
};
const lesson: OfficerDevelopmentEvent = {
  type: T.LessonLearnedRecorded,
  data: { officerId, lessonId, caseId, category: 'victim-engagement', shareNationally: true, recordedAt: at },
};

describe('officer supervision and wellbeing', () => {
  describe('record-training', () => {
    const command: OfficerDevelopmentCommand = { kind: 'record-training', officerId, courseCode: 'RASSO-NOM-101', hours: 7.5, at };
    it('records a completed course with its hours', () =>
      spec
        .given([])
        .when(command)
        .then([{ type: T.TrainingCompleted, data: { officerId, courseCode: 'RASSO-NOM-101', hours: 7.5, completedAt: at } }]));
    it('adds the hours up across courses', () => {
      const events = [command, { ...command, courseCode: 'PIP2-REFRESH', hours: 3 }].flatMap((c) =>
        officerDevelopmentDecider.decide(c, officerDevelopmentDecider.initialState, BASELINE_MODEL),
      );
      expect(events.reduce(officerDevelopmentDecider.evolve, officerDevelopmentDecider.initialState).trainingHours).toBe(10.5);
    });
  });

  describe('record-caseload', () => {
    const command: OfficerDevelopmentCommand = { kind: 'record-caseload', officerId, asOf: '2026-11-30', openCases: 14, threshold: 12 };
    it('flags a caseload above the force threshold', () =>
      spec
        .given([])
        .when(command)
        .then([
          { type: T.CaseloadRecorded, data: { officerId, asOf: '2026-11-30', openCases: 14, threshold: 12, thresholdExceeded: true } },
        ]));
    it('does not flag a caseload at the threshold', () =>
      spec
        .given([])
        .when({ ...command, openCases: 12 })
        .then([
          { type: T.CaseloadRecorded, data: { officerId, asOf: '2026-11-30', openCases: 12, threshold: 12, thresholdExceeded: false } },
        ]));
    it('keeps the count with the latest date as the latest, even when an older one arrives after it', () => {
      const newer = officerDevelopmentDecider.decide(command, officerDevelopmentDecider.initialState, BASELINE_MODEL);
      const older = officerDevelopmentDecider.decide(
        { ...command, asOf: '2026-10-31', openCases: 9 },
        officerDevelopmentDecider.initialState,
        BASELINE_MODEL,
      );
      const state = [...newer, ...older].reduce(officerDevelopmentDecider.evolve, officerDevelopmentDecider.initialState);
      expect(state.latestCaseload).toEqual({ asOf: '2026-11-30', openCases: 14, thresholdExceeded: true });
    });
  });

  describe('hold-wellbeing-check-in', () => {
    const command: OfficerDevelopmentCommand = {
      kind: 'hold-wellbeing-check-in',
      officerId,
      heldBy: supervisor,
      heldOn: '2026-12-02',
      outcome: 'workload-adjusted',
    };
    it('records the outcome category of a check-in', () =>
      spec
        .given([])
        .when(command)
        .then([
          { type: T.WellbeingCheckInHeld, data: { officerId, heldOn: '2026-12-02', heldBy: supervisor, outcome: 'workload-adjusted' } },
        ]));
    it('refuses a check-in the officer holds with themselves', () =>
      spec
        .given([])
        .when({ ...command, heldBy: officerId })
        .thenThrows(OfficerDevelopmentRefused, 'someone other than the officer'));
  });

  describe('hold-case-review', () => {
    const command: OfficerDevelopmentCommand = {
      kind: 'hold-case-review',
      officerId,
      caseId,
      reviewerId: supervisor,
      findings: 'improvement-needed',
      actionsRaised: 3,
      at,
    };
    it("records a supervisor's review of the officer's case", () => spec.given([]).when(command).then([reviewed]));
    it('records a later review of the same case', () => spec.given([reviewed]).when(command).then([reviewed]));
    it('refuses a review by the officer in the case: nobody audits their own work', () =>
      spec
        .given([])
        .when({ ...command, reviewerId: officerId })
        .thenThrows(OfficerDevelopmentRefused, 'is the officer in the case and cannot review it'));
  });

  describe('record-lesson-learned', () => {
    const command: OfficerDevelopmentCommand = {
      kind: 'record-lesson-learned',
      officerId,
      lessonId,
      caseId,
      category: 'victim-engagement',
      shareNationally: true,
      at,
    };
    it('records a lesson from a reviewed case', () => spec.given([reviewed]).when(command).then([lesson]));
    it('refuses a lesson from a case with no review', () =>
      spec.given([]).when(command).thenThrows(OfficerDevelopmentRefused, 'has had no supervisory review'));
    it('refuses a lesson from another case than the reviewed one', () =>
      spec
        .given([reviewed])
        .when({ ...command, caseId: otherCase })
        .thenThrows(OfficerDevelopmentRefused, `case ${otherCase} has had no supervisory review`));
    it('refuses the same lesson twice', () =>
      spec.given([reviewed, lesson]).when(command).thenThrows(OfficerDevelopmentRefused, 'already recorded'));
  });
});
