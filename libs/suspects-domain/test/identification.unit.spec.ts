import { SuspectEventTypes as T, type SuspectEvent } from '#contracts';
import { specFor } from '#testing';
import { SuspectCommandRefused, suspectDecider, type SuspectCommand } from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const suspectId = '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f';
const otherCase = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
const ids = { caseId, suspectId };
const at = '2026-11-04T10:20:00Z';
const spec = specFor(suspectDecider);

const identified: SuspectEvent = { type: T.SuspectIdentified, data: { ...ids, name: 'Daniel Marsh', identifiedAt: at } };
const flagged: SuspectEvent = {
  type: T.RepeatSuspectFlagRaised,
  data: { ...ids, reason: 'PND match', linkedCaseIds: [otherCase], raisedAt: at },
};

describe('suspect identification and repeat suspects', () => {
  describe('identify-suspect', () => {
    const command: SuspectCommand = {
      kind: 'identify-suspect',
      ...ids,
      name: 'Daniel Marsh',
      dateOfBirth: '1988-04-17',
      pncId: '12/345678A',
      croNumber: '123456/12A',
      at,
    };
    it('identifies a suspect with national references', () =>
      spec
        .given([])
        .when(command)
        .then([
          {
            type: T.SuspectIdentified,
            data: {
              ...ids,
              name: 'Daniel Marsh',
              dateOfBirth: '1988-04-17',
              pncId: '12/345678A',
              croNumber: '123456/12A',
              identifiedAt: at,
            },
          },
        ]));
    it('identifies a suspect known only by name', () =>
      spec
        .given([])
        .when({ kind: 'identify-suspect', ...ids, name: 'Daniel Marsh', at })
        .then([identified]));
    it('refuses to identify the same suspect twice', () =>
      spec.given([identified]).when(command).thenThrows(SuspectCommandRefused, 'already identified'));
    it.each(['12345678A', '12/345678', '1/345678A', '12/12345678A'])('refuses the malformed PNC ID %p', (pncId) =>
      spec
        .given([])
        .when({ ...command, pncId })
        .thenThrows(SuspectCommandRefused, 'not a PNC ID'),
    );
    it.each(['123456/12', '1234567/12A', 'AB/12A'])('refuses the malformed CRO number %p', (croNumber) =>
      spec
        .given([])
        .when({ ...command, croNumber })
        .thenThrows(SuspectCommandRefused, 'not a CRO number'),
    );
    it('refuses a date of birth that is not a calendar date', () =>
      spec
        .given([])
        .when({ ...command, dateOfBirth: '1988-02-30' })
        .thenThrows(SuspectCommandRefused, 'dateOfBirth'));
  });

  describe('record-history-checks', () => {
    const command: SuspectCommand = {
      kind: 'record-history-checks',
      ...ids,
      systems: ['pnc', 'pnd', 'local-intelligence'],
      resultSummary: 'No trace on PNC; two prior reports on PND.',
      at,
    };
    it('records which systems were checked and what they held', () =>
      spec
        .given([identified])
        .when(command)
        .then([
          {
            type: T.HistoryChecksCompleted,
            data: { ...ids, systems: ['pnc', 'pnd', 'local-intelligence'], resultSummary: command.resultSummary, completedAt: at },
          },
        ]));
    it('refuses when no system is named', () =>
      spec
        .given([identified])
        .when({ ...command, systems: [] })
        .thenThrows(SuspectCommandRefused, 'at least one system'));
    it('refuses a system named twice', () =>
      spec
        .given([identified])
        .when({ ...command, systems: ['pnc', 'pnc'] })
        .thenThrows(SuspectCommandRefused, 'named twice'));
  });

  describe('raise-repeat-suspect-flag', () => {
    const command: SuspectCommand = { kind: 'raise-repeat-suspect-flag', ...ids, reason: 'PND match', linkedCaseIds: [otherCase], at };
    it('flags a repeat suspect linked to other cases', () => spec.given([identified]).when(command).then([flagged]));
    it('refuses a suspect already flagged', () =>
      spec.given([identified, flagged]).when(command).thenThrows(SuspectCommandRefused, 'already flagged'));
    it('refuses without a linked case', () =>
      spec
        .given([identified])
        .when({ ...command, linkedCaseIds: [] })
        .thenThrows(SuspectCommandRefused, 'at least one other case'));
    it('refuses a link to the suspect’s own case', () =>
      spec
        .given([identified])
        .when({ ...command, linkedCaseIds: [caseId] })
        .thenThrows(SuspectCommandRefused, 'linked to itself'));
    it('refuses a linked case named twice', () =>
      spec
        .given([identified])
        .when({ ...command, linkedCaseIds: [otherCase, otherCase] })
        .thenThrows(SuspectCommandRefused, 'named twice'));
  });

  describe('clear-repeat-suspect-flag', () => {
    const command: SuspectCommand = { kind: 'clear-repeat-suspect-flag', ...ids, reason: 'Different person', at };
    it('clears the flag', () =>
      spec
        .given([identified, flagged])
        .when(command)
        .then([{ type: T.RepeatSuspectFlagCleared, data: { ...ids, reason: 'Different person', clearedAt: at } }]));
    it('refuses when the suspect is not flagged', () =>
      spec.given([identified]).when(command).thenThrows(SuspectCommandRefused, 'not flagged'));
    it('allows the flag to be raised again after clearing', () =>
      spec
        .given([identified, flagged, { type: T.RepeatSuspectFlagCleared, data: { ...ids, reason: 'x', clearedAt: at } }])
        .when({ kind: 'raise-repeat-suspect-flag', ...ids, reason: 'PND match', linkedCaseIds: [otherCase], at })
        .then([flagged]));
  });
});

describe('every command on an existing suspect', () => {
  const commands: SuspectCommand[] = [
    { kind: 'record-history-checks', ...ids, systems: ['pnc'], resultSummary: 'x', at },
    { kind: 'arrest-suspect', ...ids, custodyClockStartedAt: at, at },
    { kind: 'arrange-voluntary-interview', ...ids, scheduledFor: at, at },
    { kind: 'record-interview', ...ids, setting: 'custody', response: 'no-comment', at },
    { kind: 'grant-pre-charge-bail', ...ids, authorisedBy: { officerId: 'AS-1', rank: 'sergeant' }, conditions: [], at },
    { kind: 'extend-bail', ...ids, authorisedBy: { officerId: 'AS-1', rank: 'inspector' }, endsOn: '2027-05-05', at },
    { kind: 'record-court-bail-extension', ...ids, court: "Bristol Magistrates' Court", endsOn: '2027-11-05', at },
    { kind: 'change-bail-conditions', ...ids, conditions: [], at },
    { kind: 'release-under-investigation', ...ids, at },
    { kind: 'release-no-further-action', ...ids, decidedBy: 'police', at },
    { kind: 'charge-suspect', ...ids, cpsDecisionReference: '52AS0421126', at },
    { kind: 'raise-repeat-suspect-flag', ...ids, reason: 'x', linkedCaseIds: [otherCase], at },
    { kind: 'clear-repeat-suspect-flag', ...ids, reason: 'x', at },
    { kind: 'record-disruption-tactic', ...ids, tactic: 'offender-management', at },
    { kind: 'apply-for-civil-order', ...ids, orderId: otherCase, order: 'sexual-risk-order', court: 'x', at },
    { kind: 'record-civil-order-granted', ...ids, orderId: otherCase, at },
    { kind: 'record-civil-order-refused', ...ids, orderId: otherCase, at },
  ];
  it.each(commands.map((c) => [c.kind, c] as const))('%s refuses an unknown suspect', (_kind, command) =>
    spec.given([]).when(command).thenThrows(SuspectCommandRefused, 'no such suspect'),
  );
  it.each(commands.map((c) => [c.kind, c] as const))('%s refuses a command naming another case', (_kind, command) =>
    spec
      .given([identified])
      .when({ ...command, caseId: otherCase })
      .thenThrows(SuspectCommandRefused, `belongs to case ${caseId}`),
  );
});
