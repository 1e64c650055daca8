import { CaseEventTypes as T, type CaseEvent } from '#contracts';
import { CaseCommandRefused, type CaseCommand } from '../src/index.js';
import {
  at,
  caseId,
  closed,
  investigator,
  lineA,
  lineB,
  linked,
  open,
  recorded,
  reported,
  spec,
  supervisor,
  suspectId,
} from './case.fixtures.js';

const plan: CaseEvent = {
  type: T.InvestigationPlanSet,
  data: {
    caseId,
    linesOfEnquiry: [
      { lineId: lineA, category: 'suspect-history', status: 'open' },
      { lineId: lineB, category: 'cctv', status: 'open' },
    ],
    setAt: at,
  },
};
const lineADone: CaseEvent = { type: T.LineOfEnquiryCompleted, data: { caseId, lineId: lineA, completedAt: at } };

describe('investigation team, plan and suspects', () => {
  describe('assign-investigator', () => {
    const command: CaseCommand = { kind: 'assign-investigator', caseId, officerId: 'AS-1', at };
    it('assigns an investigator', () => spec.given(open).when(command).then([investigator]));
    it('reassigns to another officer', () =>
      spec
        .given([...open, investigator])
        .when({ ...command, officerId: 'AS-2' })
        .then([{ type: T.InvestigatorAssigned, data: { caseId, officerId: 'AS-2', assignedAt: at } }]));
    it('records nothing when the same officer is assigned again', () =>
      spec
        .given([...open, investigator])
        .when(command)
        .then([]));
    it('refuses the supervisor as investigator', () =>
      spec
        .given([...open, supervisor])
        .when({ ...command, officerId: 'AS-9' })
        .thenThrows(CaseCommandRefused, 'supervisor cannot'));
    it('refuses a malformed officer id', () =>
      spec
        .given(open)
        .when({ ...command, officerId: 'A' })
        .thenThrows(CaseCommandRefused, 'officerId'));
    it('refuses before an investigation is open', () =>
      spec.given([recorded]).when(command).thenThrows(CaseCommandRefused, 'no investigation is open'));
    it('refuses an unknown case', () => spec.given([]).when(command).thenThrows(CaseCommandRefused, 'no such case'));
    it('refuses a closed case', () =>
      spec
        .given([...open, closed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'closed'));
  });

  describe('assign-supervisor', () => {
    const command: CaseCommand = { kind: 'assign-supervisor', caseId, officerId: 'AS-9', at };
    it('assigns a supervisor', () =>
      spec
        .given([...open, investigator])
        .when(command)
        .then([supervisor]));
    it('records nothing when the same supervisor is assigned again', () =>
      spec
        .given([...open, supervisor])
        .when(command)
        .then([]));
    it('refuses the investigator as supervisor', () =>
      spec
        .given([...open, investigator])
        .when({ ...command, officerId: 'AS-1' })
        .thenThrows(CaseCommandRefused, 'own case'));
    it('refuses before an investigation is open', () =>
      spec.given([recorded]).when(command).thenThrows(CaseCommandRefused, 'no investigation is open'));
  });

  describe('set-investigation-plan', () => {
    const command: CaseCommand = {
      kind: 'set-investigation-plan',
      caseId,
      linesOfEnquiry: [
        { lineId: lineA, category: 'suspect-history' },
        { lineId: lineB, category: 'cctv' },
      ],
      at,
    };
    it('sets a suspect-focused plan', () => spec.given(open).when(command).then([plan]));
    it('keeps completed lines completed when the plan is revised', () =>
      spec
        .given([...open, plan, lineADone])
        .when(command)
        .then([
          {
            ...plan,
            data: {
              ...plan.data,
              linesOfEnquiry: [
                { lineId: lineA, category: 'suspect-history', status: 'completed' },
                { lineId: lineB, category: 'cctv', status: 'open' },
              ],
            },
          },
        ]));
    it('refuses an empty plan', () =>
      spec
        .given(open)
        .when({ ...command, linesOfEnquiry: [] })
        .thenThrows(CaseCommandRefused, 'at least one line'));
    it('refuses a line id used twice', () =>
      spec
        .given(open)
        .when({
          ...command,
          linesOfEnquiry: [
            { lineId: lineA, category: 'suspect-history' },
            { lineId: lineA, category: 'cctv' },
          ],
        })
        .thenThrows(CaseCommandRefused, 'its own lineId'));
    it('refuses a plan with no suspect-focused line', () =>
      spec
        .given(open)
        .when({ ...command, linesOfEnquiry: [{ lineId: lineB, category: 'cctv' }] })
        .thenThrows(CaseCommandRefused, 'suspect-focused'));
    it('refuses before an investigation is open', () =>
      spec.given([recorded]).when(command).thenThrows(CaseCommandRefused, 'no investigation is open'));
  });

  describe('complete-line-of-enquiry', () => {
    const command: CaseCommand = { kind: 'complete-line-of-enquiry', caseId, lineId: lineA, at };
    it('completes a line of the plan', () =>
      spec
        .given([...open, plan])
        .when(command)
        .then([lineADone]));
    it('refuses without a plan', () => spec.given(open).when(command).thenThrows(CaseCommandRefused, 'no investigation plan'));
    it('refuses a line not in the plan', () =>
      spec
        .given([...open, plan])
        .when({ ...command, lineId: caseId })
        .thenThrows(CaseCommandRefused, 'has no line of enquiry'));
    it('refuses a line already completed', () =>
      spec
        .given([...open, plan, lineADone])
        .when(command)
        .thenThrows(CaseCommandRefused, 'already completed'));
  });

  describe('link-suspect', () => {
    const command: CaseCommand = { kind: 'link-suspect', caseId, suspectId, at };
    it('links a suspect to a case under investigation', () => spec.given(open).when(command).then([linked]));
    it('links a suspect identified before the investigation is opened', () => spec.given([recorded]).when(command).then([linked]));
    it('records nothing when the suspect is already linked', () =>
      spec
        .given([...open, linked])
        .when(command)
        .then([]));
    it('refuses an N100 report', () => spec.given([reported]).when(command).thenThrows(CaseCommandRefused, 'no investigation is open'));
    it('refuses a closed case', () =>
      spec
        .given([...open, closed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'closed'));
    it('refuses an unknown case', () => spec.given([]).when(command).thenThrows(CaseCommandRefused, 'no such case'));
  });
});
