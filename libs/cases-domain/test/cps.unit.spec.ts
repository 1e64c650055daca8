import { CaseEventTypes as T, THRESHOLD_TEST_CONDITIONS, type CaseEvent } from '#contracts';
import { CaseCommandRefused, overdueFrom, type CaseCommand } from '../src/index.js';
import { at, caseId, closed, linked, open, spec, suspectId } from './case.fixtures.js';

// docs/cps-rules.md: early advice and action plans, charging files per suspect, decisions with the test applied,
// administrative finalisation. `at` is 3 November 2026.
const cpsReference = '52AS0421126';
const adviceRequestId = '7e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const actionA = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';
const actionB = '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f';
const otherSuspect = '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a';
const later = '2026-11-20T10:00:00.000Z';
const plan = [
  { actionId: actionA, category: 'digital-material', dueBy: '2026-11-15' },
  { actionId: actionB, category: 'witness-statement', dueBy: '2026-11-30' },
] as const;

const requested: CaseEvent = { type: T.CpsEarlyAdviceRequested, data: { caseId, requestedAt: at, adviceRequestId } };
const advised: CaseEvent = {
  type: T.CpsEarlyAdviceGiven,
  data: { caseId, adviceRequestId, cpsReference, actionPlan: plan, advisedAt: at },
};
const linkedOther: CaseEvent = { type: T.SuspectLinked, data: { caseId, suspectId: otherSuspect, linkedAt: at } };
const fileFor = (suspectIds: string[], submittedAt = at): CaseEvent => ({
  type: T.ChargingFileSubmitted,
  data: { caseId, cpsReference, submittedAt, suspectIds, offenceCode: '19C' },
});
const submitted = fileFor([suspectId]);

describe('CPS early advice and action plans', () => {
  it('requests early advice naming the request, once', () => {
    spec.given(open).when({ kind: 'request-early-advice', caseId, adviceRequestId, at }).then([requested]);
    spec
      .given([...open, requested])
      .when({ kind: 'request-early-advice', caseId, adviceRequestId, at })
      .then([]);
  });

  describe('give-early-advice', () => {
    const command: CaseCommand = { kind: 'give-early-advice', caseId, adviceRequestId, cpsReference, actionPlan: plan, at };
    it('records the advice on the request with its action plan', () =>
      spec
        .given([...open, requested])
        .when(command)
        .then([advised]));
    it('gives advice without actions', () =>
      spec
        .given([...open, requested])
        .when({ kind: 'give-early-advice', caseId, adviceRequestId, actionPlan: [], at })
        .then([{ type: T.CpsEarlyAdviceGiven, data: { caseId, adviceRequestId, actionPlan: [], advisedAt: at } }]));
    it('refuses advice on a request the case does not have', () =>
      spec.given(open).when(command).thenThrows(CaseCommandRefused, 'no request for early advice'));
    it('refuses a second advice on the same request', () =>
      spec
        .given([...open, requested, advised])
        .when(command)
        .thenThrows(CaseCommandRefused, 'already gave its advice'));
    it('refuses an action due on or before the day the plan is set', () =>
      spec
        .given([...open, requested])
        .when({ ...command, actionPlan: [{ actionId: actionA, category: 'cctv', dueBy: '2026-11-03' }] })
        .thenThrows(CaseCommandRefused, 'due on a day after'));
    it('refuses an action id used twice', () =>
      spec
        .given([...open, requested])
        .when({ ...command, actionPlan: [plan[0], { ...plan[1], actionId: actionA }] })
        .thenThrows(CaseCommandRefused, 'already on the case'));
    it('refuses a malformed CPS reference', () =>
      spec
        .given([...open, requested])
        .when({ ...command, cpsReference: 'x' })
        .thenThrows(CaseCommandRefused, 'cpsReference'));
    it('refuses on a closed case', () =>
      spec
        .given([...open, requested, closed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'closed'));
  });

  describe('complete-cps-action', () => {
    const command: CaseCommand = { kind: 'complete-cps-action', caseId, actionId: actionA, at: later };
    const completed: CaseEvent = { type: T.CpsActionCompleted, data: { caseId, actionId: actionA, completedAt: later } };
    it('completes an open action', () =>
      spec
        .given([...open, requested, advised])
        .when(command)
        .then([completed]));
    it('completes an overdue action (late, but done)', () =>
      spec
        .given([...open, requested, advised, overdueA])
        .when(command)
        .then([completed]));
    it('refuses an action the case does not have', () => spec.given(open).when(command).thenThrows(CaseCommandRefused, 'no CPS action'));
    it('refuses an action already completed', () =>
      spec
        .given([...open, requested, advised, completed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'already completed'));
  });

  describe('check-cps-actions (the action timer)', () => {
    const check = (now: string): CaseCommand => ({ kind: 'check-cps-actions', caseId, now, at: now });
    it('records nothing on the due day itself (UK time)', () =>
      spec
        .given([...open, requested, advised])
        .when(check('2026-11-15T23:59:00.000Z'))
        .then([]));
    it('records an open action overdue once its due day has passed, timed at the end of that day', () =>
      spec
        .given([...open, requested, advised])
        .when(check('2026-11-16T00:01:00.000Z'))
        .then([overdueA]));
    it('records an overdue action once only', () =>
      spec
        .given([...open, requested, advised, overdueA])
        .when(check('2026-11-17T00:01:00.000Z'))
        .then([]));
    it('records nothing for a completed action', () =>
      spec
        .given([...open, requested, advised, { type: T.CpsActionCompleted, data: { caseId, actionId: actionA, completedAt: at } }])
        .when(check('2026-11-16T00:01:00.000Z'))
        .then([]));
    it('records nothing on a closed case', () =>
      spec
        .given([...open, requested, advised, closed])
        .when(check('2026-12-16T00:01:00.000Z'))
        .then([]));
    it('the timer is due from the first instant after the due day, UK time (BST and GMT)', () => {
      expect(overdueFrom('2026-11-15')).toBe('2026-11-16T00:00:00.000Z');
      expect(overdueFrom('2026-07-15')).toBe('2026-07-15T23:00:00.000Z');
    });
  });
});

const overdueA: CaseEvent = {
  type: T.CpsActionOverdue,
  data: { caseId, actionId: actionA, dueBy: '2026-11-15', overdueAt: '2026-11-15T23:59:59.999Z', detectedAt: '2026-11-16T00:01:00.000Z' },
};

describe('charging files per suspect', () => {
  const command: CaseCommand = { kind: 'submit-charging-file', caseId, cpsReference, suspectIds: [suspectId], at };
  it('submits a file for named suspects, with the case offence code', () =>
    spec
      .given([...open, linked, linkedOther])
      .when(command)
      .then([submitted]));
  it('submits for every linked suspect when none is named', () =>
    spec
      .given([...open, linked, linkedOther])
      .when({ kind: 'submit-charging-file', caseId, cpsReference, at })
      .then([fileFor([suspectId, otherSuspect])]));
  it('refuses a file for a suspect not linked to the case', () =>
    spec
      .given([...open, linked])
      .when({ ...command, suspectIds: [otherSuspect] })
      .thenThrows(CaseCommandRefused, 'not linked to this case'));
  it('refuses a file naming no suspect', () =>
    spec
      .given([...open, linked])
      .when({ ...command, suspectIds: [] })
      .thenThrows(CaseCommandRefused, 'at least one suspect'));
  it('submits for a second suspect while the first awaits a decision', () =>
    spec
      .given([...open, linked, linkedOther, submitted])
      .when({ ...command, suspectIds: [otherSuspect] })
      .then([fileFor([otherSuspect])]));
  it('refuses a file for a suspect whose file awaits a decision', () =>
    spec
      .given([...open, linked, linkedOther, submitted])
      .when({ ...command, suspectIds: [otherSuspect, suspectId] })
      .thenThrows(CaseCommandRefused, `awaits a decision on suspect ${suspectId}`));
});

describe('decisions per suspect, with the test applied', () => {
  const command: CaseCommand = {
    kind: 'record-suspect-charging-decision',
    caseId,
    suspectId,
    cpsReference,
    test: 'full-code',
    decision: 'charge',
    at: later,
  };
  const decision = (data: object): CaseEvent => ({
    type: T.SuspectChargingDecisionMade,
    data: {
      caseId,
      suspectId,
      cpsReference,
      offenceCode: '19C',
      test: 'full-code',
      decision: 'charge',
      fileSubmittedAt: at,
      decidedAt: later,
      ...data,
    },
  });
  const given = [...open, linked, linkedOther, fileFor([suspectId, otherSuspect])];
  const threshold = { test: 'threshold', thresholdConditions: [...THRESHOLD_TEST_CONDITIONS], fullCodeReviewBy: '2027-01-20' } as const;

  it('records a Full Code Test decision to charge, with when the file was submitted', () =>
    spec
      .given(given)
      .when(command)
      .then([decision({})]));
  it('records no further action, and an out-of-court disposal, for a suspect', () => {
    spec
      .given(given)
      .when({ ...command, decision: 'no-further-action' })
      .then([decision({ decision: 'no-further-action' })]);
    spec
      .given(given)
      .when({ ...command, decision: 'alternative-disposal' })
      .then([decision({ decision: 'alternative-disposal' })]);
  });
  it('records further investigation requested with its action plan, and the file then awaits the police', () => {
    const fir = { decision: 'further-investigation-requested', actionPlan: [plan[1]] } as const;
    spec
      .given(given)
      .when({ ...command, ...fir })
      .then([decision(fir)]);
    // the suspect's file no longer awaits a decision: a decision on it is refused, a resubmission taken
    spec
      .given([...given, decision(fir)])
      .when(command)
      .thenThrows(CaseCommandRefused, 'no charging file awaits a decision on suspect');
    spec
      .given([...given, decision(fir)])
      .when({ kind: 'submit-charging-file', caseId, cpsReference, suspectIds: [suspectId], at: later })
      .then([fileFor([suspectId], later)]);
  });
  it('refuses further investigation requested without an action plan', () =>
    spec
      .given(given)
      .when({ ...command, decision: 'further-investigation-requested' })
      .thenThrows(CaseCommandRefused, 'with an action plan'));
  it('refuses an action plan with a Full Code Test charge', () =>
    spec
      .given(given)
      .when({ ...command, actionPlan: [plan[1]] })
      .thenThrows(CaseCommandRefused, 'an action plan goes with'));
  it('records a Threshold Test charge with every condition, the Full Code Test review day and an action plan', () =>
    spec
      .given(given)
      .when({ ...command, ...threshold, actionPlan: [plan[1]] })
      .then([decision({ ...threshold, actionPlan: [plan[1]] })]));
  it('refuses the Threshold Test for anything but a charge', () =>
    spec
      .given(given)
      .when({ ...command, ...threshold, decision: 'no-further-action' })
      .thenThrows(CaseCommandRefused, 'only to charge'));
  it('refuses the Threshold Test with a condition not met', () =>
    spec
      .given(given)
      .when({ ...command, ...threshold, thresholdConditions: THRESHOLD_TEST_CONDITIONS.slice(1) })
      .thenThrows(CaseCommandRefused, 'not met: insufficient-evidence-for-full-code-test-now'));
  it('refuses the Threshold Test without a Full Code Test review day, or with one not after the decision', () => {
    spec
      .given(given)
      .when({ ...command, test: 'threshold', thresholdConditions: [...THRESHOLD_TEST_CONDITIONS] })
      .thenThrows(CaseCommandRefused, 'sets the day by which the Full Code Test');
    spec
      .given(given)
      .when({ ...command, ...threshold, fullCodeReviewBy: '2026-11-20' })
      .thenThrows(CaseCommandRefused, 'a day after the decision');
  });
  it('refuses Threshold Test conditions with the Full Code Test', () =>
    spec
      .given(given)
      .when({ ...command, fullCodeReviewBy: '2027-01-20' })
      .thenThrows(CaseCommandRefused, 'only with the Threshold Test'));
  it('refuses a decision for a suspect with no file submitted', () =>
    spec
      .given([...open, linked, linkedOther, submitted])
      .when({ ...command, suspectId: otherSuspect })
      .thenThrows(CaseCommandRefused, `no charging file awaits a decision on suspect ${otherSuspect}`));
  it('refuses a second decision on the same file', () =>
    spec
      .given([...given, decision({})])
      .when(command)
      .thenThrows(CaseCommandRefused, 'no charging file awaits'));
  it('refuses a decision on another CPS reference', () =>
    spec
      .given(given)
      .when({ ...command, cpsReference: '52AS0000001' })
      .thenThrows(CaseCommandRefused, 'on this suspect is 52AS0421126'));
  it('decides each suspect on its own: the other still awaits a decision', () =>
    spec
      .given([...given, decision({})])
      .when({ ...command, suspectId: otherSuspect, decision: 'no-further-action' })
      .then([decision({ suspectId: otherSuspect, decision: 'no-further-action' })]));
});

describe('administrative finalisation', () => {
  const command: CaseCommand = { kind: 'finalise-charging-file', caseId, cpsReference, reason: 'action-plan-not-answered', at: later };
  const finalised: CaseEvent = {
    type: T.ChargingFileAdministrativelyFinalised,
    data: { caseId, cpsReference, suspectIds: [suspectId], reason: 'action-plan-not-answered', finalisedAt: later },
  };
  const fir: CaseEvent = {
    type: T.SuspectChargingDecisionMade,
    data: {
      caseId,
      suspectId,
      cpsReference,
      test: 'full-code',
      decision: 'further-investigation-requested',
      actionPlan: [plan[1]],
      fileSubmittedAt: at,
      decidedAt: at,
    },
  };
  it('finalises a file whose action plan the police have not answered', () =>
    spec
      .given([...open, linked, submitted, fir])
      .when(command)
      .then([finalised]));
  it('finalises a file awaiting a decision', () =>
    spec
      .given([...open, linked, submitted])
      .when(command)
      .then([finalised]));
  it('refuses when no file of that reference is open', () =>
    spec
      .given([...open, linked])
      .when(command)
      .thenThrows(CaseCommandRefused, 'no charging file 52AS0421126 is open'));
  it('allows a resubmission after the finalisation', () =>
    spec
      .given([...open, linked, submitted, finalised])
      .when({ kind: 'submit-charging-file', caseId, cpsReference, suspectIds: [suspectId], at: later })
      .then([fileFor([suspectId], later)]));
  it('refuses a decision on a finalised file', () =>
    spec
      .given([...open, linked, submitted, finalised])
      .when({ kind: 'record-suspect-charging-decision', caseId, suspectId, cpsReference, test: 'full-code', decision: 'charge', at: later })
      .thenThrows(CaseCommandRefused, 'no charging file awaits'));
});
