import { LearningEventTypes as T, type OfficerDevelopmentEvent } from '#contracts';
import { specFor } from '#testing';
import {
  OfficerDevelopmentRefused,
  officerDevelopmentDecider,
  SUPERVISORY_REVIEW_CYCLE_DAYS,
  type OfficerDevelopmentCommand,
  type OfficerDevelopmentState,
} from '../src/index.js';

const officerId = 'AS-4471';
const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const otherCase = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const at = '2026-12-02T00:01:00.000Z';
const spec = specFor<OfficerDevelopmentCommand, OfficerDevelopmentEvent, OfficerDevelopmentState>(officerDevelopmentDecider);

const command: OfficerDevelopmentCommand = { kind: 'record-case-review-overdue', officerId, caseId, dueBy: '2026-12-01', at };
const overdue: OfficerDevelopmentEvent = { type: T.CaseReviewOverdue, data: { officerId, caseId, dueBy: '2026-12-01', detectedAt: at } };

describe('record-case-review-overdue (the supervisory review timer)', () => {
  it('takes a 28-day cycle as its model rule', () => expect(SUPERVISORY_REVIEW_CYCLE_DAYS).toBe(28));
  it('records a case review overdue', () => spec.given([]).when(command).then([overdue]));
  it('refuses to record the same cycle overdue twice', () =>
    spec.given([overdue]).when(command).thenThrows(OfficerDevelopmentRefused, 'already recorded overdue'));
  it('records the next cycle of the same case overdue', () =>
    spec
      .given([overdue])
      .when({ ...command, dueBy: '2026-12-31' })
      .then([{ type: T.CaseReviewOverdue, data: { officerId, caseId, dueBy: '2026-12-31', detectedAt: at } }]));
  it("records another case's cycle with the same due date", () =>
    spec
      .given([overdue])
      .when({ ...command, caseId: otherCase })
      .then([{ type: T.CaseReviewOverdue, data: { officerId, caseId: otherCase, dueBy: '2026-12-01', detectedAt: at } }]));
});
