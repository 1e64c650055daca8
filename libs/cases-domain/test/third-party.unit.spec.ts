import { CaseEventTypes as T, type CaseEvent } from '#contracts';
import { CaseCommandRefused, type CaseCommand } from '../src/index.js';
import { at, caseId, closed, open, spec } from './case.fixtures.js';

const requestId = 'b4c5d6e7-f8a9-4b0c-9d1e-2f3a4b5c6d7e';
const toldAt = '2026-11-02T16:00:00.000Z';
const necessity = {
  reasonableLineOfEnquiry: true,
  necessaryAndProportionate: true,
  reason: 'The school records may show when the victim first disclosed.',
};
const command: CaseCommand = {
  kind: 'request-third-party-material',
  caseId,
  requestId,
  holder: 'education',
  necessity,
  victimToldAt: toldAt,
  at,
};
const made: CaseEvent = {
  type: T.ThirdPartyMaterialRequested,
  data: {
    caseId,
    requestId,
    holder: 'education',
    requestedAt: at,
    necessity: { reasonableLineOfEnquiry: true, necessaryAndProportionate: true, reason: necessity.reason },
    victimToldAt: toldAt,
  },
};
const answered: CaseEvent = {
  type: T.ThirdPartyMaterialOutcomeRecorded,
  data: { caseId, requestId, outcome: 'none-held', recordedAt: at },
};

describe('third-party material (PCSC Act 2022 ss44A-44B, CPIA code)', () => {
  describe('request-third-party-material', () => {
    it('requests material with its necessity and when the victim was told', () => spec.given(open).when(command).then([made]));
    it('accepts the victim told at the moment of the request', () =>
      spec
        .given(open)
        .when({ ...command, victimToldAt: at })
        .then([{ ...made, data: { ...made.data, victimToldAt: at } }]));
    it('refuses the same request twice', () =>
      spec
        .given([...open, made])
        .when(command)
        .thenThrows(CaseCommandRefused, 'already made'));
    it('refuses a closed case', () =>
      spec
        .given([...open, closed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'closed'));
    it('refuses material not relevant to a reasonable line of enquiry', () =>
      spec
        .given(open)
        .when({ ...command, necessity: { ...necessity, reasonableLineOfEnquiry: false } })
        .thenThrows(CaseCommandRefused, 'reasonable line of enquiry'));
    it('refuses a request not necessary and proportionate', () =>
      spec
        .given(open)
        .when({ ...command, necessity: { ...necessity, necessaryAndProportionate: false } })
        .thenThrows(CaseCommandRefused, 'necessary and proportionate'));
    it('refuses a request without its reason', () =>
      spec
        .given(open)
        .when({ ...command, necessity: { ...necessity, reason: ' ' } })
        .thenThrows(CaseCommandRefused, 'reason'));
    it('refuses counselling notes without substantial probative value (s44A(4))', () =>
      spec
        .given(open)
        .when({ ...command, holder: 'counselling' })
        .thenThrows(CaseCommandRefused, 'substantial probative value'));
    it('requests counselling notes likely to have substantial probative value', () =>
      spec
        .given(open)
        .when({ ...command, holder: 'counselling', necessity: { ...necessity, substantialProbativeValue: true } })
        .then([
          {
            ...made,
            data: { ...made.data, holder: 'counselling', necessity: { ...made.data.necessity!, substantialProbativeValue: true } },
          },
        ]));
    it('refuses a request before the victim is told (s44B(3))', () =>
      spec
        .given(open)
        .when({ ...command, victimToldAt: '2026-11-03T09:00:01.000Z' })
        .thenThrows(CaseCommandRefused, 'before it is made'));
    it('refuses a victimToldAt that is not an instant', () =>
      spec
        .given(open)
        .when({ ...command, victimToldAt: 'yesterday' })
        .thenThrows(CaseCommandRefused, 'victimToldAt'));
  });

  describe('record-third-party-outcome', () => {
    const outcome: CaseCommand = { kind: 'record-third-party-outcome', caseId, requestId, outcome: 'none-held', at };
    it("records the holder's answer", () =>
      spec
        .given([...open, made])
        .when(outcome)
        .then([answered]));
    it.each(['disclosed', 'refused'] as const)('records %s', (answer) =>
      spec
        .given([...open, made])
        .when({ ...outcome, outcome: answer })
        .then([{ ...answered, data: { ...answered.data, outcome: answer } }]),
    );
    it('records an answer arriving after the case closed', () =>
      spec
        .given([...open, made, closed])
        .when(outcome)
        .then([answered]));
    it('refuses an answer to a request never made', () =>
      spec.given(open).when(outcome).thenThrows(CaseCommandRefused, 'no third-party request'));
    it('refuses a second answer', () =>
      spec
        .given([...open, made, answered])
        .when({ ...outcome, outcome: 'disclosed' })
        .thenThrows(CaseCommandRefused, 'already recorded: none-held'));
    it('refuses an unknown case', () => spec.given([]).when(outcome).thenThrows(CaseCommandRefused, 'no such case'));
  });
});
