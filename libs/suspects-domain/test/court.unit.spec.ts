import { randomUUID } from 'node:crypto';
import { BASELINE_MODEL, SuspectEventTypes as T, validateEvent, type SuspectEvent } from '#contracts';
import { specFor, testMetadata } from '#testing';
import { SuspectCommandRefused, suspectDecider, type SuspectCommand } from '../src/index.js';

// A charged suspect's case at court (docs/evidence-and-court.md): given-when-then for every rule, refusals included.

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const suspectId = '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f';
const ids = { caseId, suspectId };
const spec = specFor(suspectDecider);
const asNewEvent = (type: string, data: object) => ({ id: randomUUID(), type, data, metadata: testMetadata() });

const identified: SuspectEvent = {
  type: T.SuspectIdentified,
  data: { ...ids, name: 'Daniel Marsh', identifiedAt: '2026-11-05T06:00:00Z' },
};
const arrested: SuspectEvent = {
  type: T.SuspectArrested,
  data: { ...ids, arrestedAt: '2026-11-05T06:45:00Z', custodyClockStartedAt: '2026-11-05T07:20:00Z' },
};
const charged: SuspectEvent = {
  type: T.SuspectCharged,
  data: { ...ids, cpsDecisionReference: '52AS0421126', chargedAt: '2027-03-02T12:00:00Z' },
};
const magistrates = "Bristol Magistrates' Court";
const crown = 'Bristol Crown Court';
const firstHearing: SuspectEvent = {
  type: T.FirstHearingHeld,
  data: { ...ids, court: magistrates, courtKind: 'magistrates', sentToCrownCourt: true, heldAt: '2027-03-03T10:00:00Z' },
};
const notSent: SuspectEvent = { type: T.FirstHearingHeld, data: { ...firstHearing.data, sentToCrownCourt: false } };
const listed: SuspectEvent = {
  type: T.TrialListed,
  data: { ...ids, court: crown, trialDate: '2027-10-04', listedAt: '2027-03-31T12:00:00Z' },
};
const started: SuspectEvent = { type: T.TrialStarted, data: { ...ids, court: crown, startedAt: '2027-10-04T10:30:00Z' } };
const at = '2027-10-12T15:00:00Z';
const onCharge = [identified, arrested, charged];
const atTrial = [...onCharge, firstHearing, listed, started];

const verdict = (results: { count: number; verdict: 'guilty-plea' | 'convicted' | 'acquitted' | 'hung-jury' }[]): SuspectCommand => ({
  kind: 'record-verdict',
  ...ids,
  results: results.map((r) => ({ ...r, offence: 'rape-of-female-16-plus' as const })),
  at,
});
const verdictEvent = (results: { count: number; verdict: 'guilty-plea' | 'convicted' | 'acquitted' | 'hung-jury' }[]): SuspectEvent => ({
  type: T.VerdictRecorded,
  data: {
    ...ids,
    results: results.map((r) => ({ count: r.count, offence: 'rape-of-female-16-plus', verdict: r.verdict })),
    recordedAt: at,
  },
});
const discontinue = (method: 'pos-1985-s23-notice' | 'pos-1985-s23a-notice' | 'no-evidence-offered'): SuspectCommand => ({
  kind: 'discontinue-prosecution',
  ...ids,
  method,
  grounds: 'evidential',
  at: '2027-06-15T09:00:00Z',
});

describe('a charged suspect at court', () => {
  describe('record-first-hearing', () => {
    const command: SuspectCommand = {
      kind: 'record-first-hearing',
      ...ids,
      court: magistrates,
      courtKind: 'magistrates',
      sentToCrownCourt: true,
      at: '2027-03-03T10:00:00Z',
    };
    it('records the first hearing of a charged suspect', () => spec.given(onCharge).when(command).then([firstHearing]));
    it('refuses before a charge (no proceedings)', () =>
      spec.given([identified, arrested]).when(command).thenThrows(SuspectCommandRefused, 'has not been charged'));
    it('refuses a second first hearing', () =>
      spec
        .given([...onCharge, firstHearing])
        .when(command)
        .thenThrows(SuspectCommandRefused, 'already recorded'));
    it('refuses a malformed time', () =>
      spec
        .given(onCharge)
        .when({ ...command, at: 'yesterday' })
        .thenThrows(SuspectCommandRefused, 'ISO 8601'));
  });

  describe('list-trial', () => {
    const command: SuspectCommand = { kind: 'list-trial', ...ids, court: crown, trialDate: '2027-10-04', at: '2027-03-31T12:00:00Z' };
    it('lists a trial after the first hearing', () =>
      spec
        .given([...onCharge, firstHearing])
        .when(command)
        .then([listed]));
    it('re-lists a trial not yet started', () =>
      spec
        .given([...onCharge, firstHearing, listed])
        .when({ ...command, trialDate: '2027-11-01', at: '2027-04-01T09:00:00Z' })
        .then([{ type: T.TrialListed, data: { ...ids, court: crown, trialDate: '2027-11-01', listedAt: '2027-04-01T09:00:00Z' } }]));
    it('lists a retrial after a hung jury', () =>
      spec
        .given([...atTrial, verdictEvent([{ count: 1, verdict: 'hung-jury' }])])
        .when({ ...command, trialDate: '2028-02-07', at: '2027-10-20T09:00:00Z' })
        .then([{ type: T.TrialListed, data: { ...ids, court: crown, trialDate: '2028-02-07', listedAt: '2027-10-20T09:00:00Z' } }]));
    it('refuses before the first hearing', () => spec.given(onCharge).when(command).thenThrows(SuspectCommandRefused, 'first hearing'));
    it('refuses once the trial has started', () =>
      spec
        .given(atTrial)
        .when({ ...command, at })
        .thenThrows(SuspectCommandRefused, 'has started'));
    it('refuses a trial date that is not a date', () =>
      spec
        .given([...onCharge, firstHearing])
        .when({ ...command, trialDate: '2027-13-01' })
        .thenThrows(SuspectCommandRefused, 'calendar date'));
    it('refuses a listing dated before the first hearing', () =>
      spec
        .given([...onCharge, firstHearing])
        .when({ ...command, at: '2027-03-01T09:00:00Z' })
        .thenThrows(SuspectCommandRefused, 'cannot be before the last court event'));
  });

  describe('start-trial', () => {
    const command: SuspectCommand = { kind: 'start-trial', ...ids, court: crown, at: '2027-10-04T10:30:00Z' };
    it('starts the listed trial', () =>
      spec
        .given([...onCharge, firstHearing, listed])
        .when(command)
        .then([started]));
    it('refuses a trial that is not listed', () =>
      spec
        .given([...onCharge, firstHearing])
        .when(command)
        .thenThrows(SuspectCommandRefused, 'no trial is listed'));
    it('refuses a trial already started', () => spec.given(atTrial).when(command).thenThrows(SuspectCommandRefused, 'already started'));
    it('refuses before a charge', () => spec.given([identified]).when(command).thenThrows(SuspectCommandRefused, 'has not been charged'));
  });

  describe('record-verdict', () => {
    it('records a verdict on each count after the trial started', () =>
      spec
        .given(atTrial)
        .when(
          verdict([
            { count: 1, verdict: 'convicted' },
            { count: 2, verdict: 'acquitted' },
          ]),
        )
        .then([
          verdictEvent([
            { count: 1, verdict: 'convicted' },
            { count: 2, verdict: 'acquitted' },
          ]),
        ]));
    it('records guilty pleas without a trial', () =>
      spec
        .given([...onCharge, firstHearing])
        .when(verdict([{ count: 1, verdict: 'guilty-plea' }]))
        .then([verdictEvent([{ count: 1, verdict: 'guilty-plea' }])]));
    it('refuses a jury verdict before the trial (verdict before trial)', () =>
      spec
        .given([...onCharge, firstHearing, listed])
        .when(verdict([{ count: 1, verdict: 'convicted' }]))
        .thenThrows(SuspectCommandRefused, 'needs a trial that has started'));
    it('refuses a verdict before a charge', () =>
      spec
        .given([identified, arrested])
        .when(verdict([{ count: 1, verdict: 'guilty-plea' }]))
        .thenThrows(SuspectCommandRefused, 'has not been charged'));
    it('refuses a verdict before the first hearing', () =>
      spec
        .given(onCharge)
        .when(verdict([{ count: 1, verdict: 'guilty-plea' }]))
        .thenThrows(SuspectCommandRefused, 'first hearing'));
    it('refuses two results for one count', () =>
      spec
        .given(atTrial)
        .when(
          verdict([
            { count: 1, verdict: 'convicted' },
            { count: 1, verdict: 'acquitted' },
          ]),
        )
        .thenThrows(SuspectCommandRefused, 'one result'));
    it('refuses no results', () => spec.given(atTrial).when(verdict([])).thenThrows(SuspectCommandRefused, 'at least one count'));
    it('ends the proceedings: nothing more is recorded at court', () =>
      spec
        .given([...atTrial, verdictEvent([{ count: 1, verdict: 'acquitted' }])])
        .when(verdict([{ count: 2, verdict: 'convicted' }]))
        .thenThrows(SuspectCommandRefused, 'have ended (concluded)'));
    it('decides a hung count at the retrial, and refuses deciding again a count already decided', () => {
      const hung = verdictEvent([
        { count: 1, verdict: 'hung-jury' },
        { count: 2, verdict: 'acquitted' },
      ]);
      const retrial: SuspectEvent[] = [
        { type: T.TrialListed, data: { ...ids, court: crown, trialDate: '2028-02-07', listedAt: '2027-10-20T09:00:00Z' } },
        { type: T.TrialStarted, data: { ...ids, court: crown, startedAt: '2028-02-07T10:00:00Z' } },
      ];
      const later = { ...verdict([{ count: 1, verdict: 'convicted' }]), at: '2028-02-10T15:00:00Z' } as SuspectCommand;
      spec
        .given([...atTrial, hung, ...retrial])
        .when(later)
        .then([
          {
            type: T.VerdictRecorded,
            data: {
              ...ids,
              results: [{ count: 1, offence: 'rape-of-female-16-plus', verdict: 'convicted' }],
              recordedAt: '2028-02-10T15:00:00Z',
            },
          },
        ]);
      spec
        .given([...atTrial, hung, ...retrial])
        .when({ ...verdict([{ count: 2, verdict: 'convicted' }]), at: '2028-02-10T15:00:00Z' })
        .thenThrows(SuspectCommandRefused, 'count 2 already has a result');
    });
    it('refuses a retrial verdict before the retrial starts', () =>
      spec
        .given([...atTrial, verdictEvent([{ count: 1, verdict: 'hung-jury' }])])
        .when({ ...verdict([{ count: 1, verdict: 'convicted' }]), at: '2027-10-20T09:00:00Z' })
        .thenThrows(SuspectCommandRefused, 'needs a trial that has started'));
  });

  describe('discontinue-prosecution', () => {
    const stopped = (method: 'pos-1985-s23-notice' | 'pos-1985-s23a-notice' | 'no-evidence-offered'): SuspectEvent => ({
      type: T.ProsecutionDiscontinued,
      data: { ...ids, method, grounds: 'evidential', discontinuedAt: '2027-06-15T09:00:00Z' },
    });
    it('stops a case sent to the Crown Court by a notice under s23A', () =>
      spec
        .given([...onCharge, firstHearing])
        .when(discontinue('pos-1985-s23a-notice'))
        .then([stopped('pos-1985-s23a-notice')]));
    it('stops a case in the magistrates’ court by a notice under s23, before the first hearing too', () => {
      spec
        .given(onCharge)
        .when(discontinue('pos-1985-s23-notice'))
        .then([stopped('pos-1985-s23-notice')]);
      spec
        .given([...onCharge, notSent])
        .when(discontinue('pos-1985-s23-notice'))
        .then([stopped('pos-1985-s23-notice')]);
    });
    it('stops a hung case by offering no evidence instead of a retrial', () =>
      spec
        .given([...atTrial, verdictEvent([{ count: 1, verdict: 'hung-jury' }])])
        .when({ ...discontinue('no-evidence-offered'), at: '2027-10-20T09:00:00Z' })
        .then([
          {
            type: T.ProsecutionDiscontinued,
            data: { ...ids, method: 'no-evidence-offered', grounds: 'evidential', discontinuedAt: '2027-10-20T09:00:00Z' },
          },
        ]));
    it('refuses a notice under s23 for a case sent to the Crown Court, and s23A for one that was not', () => {
      spec
        .given([...onCharge, firstHearing])
        .when(discontinue('pos-1985-s23-notice'))
        .thenThrows(SuspectCommandRefused, 'sent to the Crown Court');
      spec.given(onCharge).when(discontinue('pos-1985-s23a-notice')).thenThrows(SuspectCommandRefused, 'not at the Crown Court');
    });
    it('refuses once the trial has started', () =>
      spec
        .given(atTrial)
        .when({ ...discontinue('no-evidence-offered'), at })
        .thenThrows(SuspectCommandRefused, 'ends with a verdict'));
    it('refuses before a charge', () =>
      spec
        .given([identified, arrested])
        .when(discontinue('pos-1985-s23-notice'))
        .thenThrows(SuspectCommandRefused, 'has not been charged'));
    it('ends the proceedings: a discontinued case lists no trial', () =>
      spec
        .given([...onCharge, firstHearing, stopped('pos-1985-s23a-notice')])
        .when({ kind: 'list-trial', ...ids, court: crown, trialDate: '2027-10-04', at: '2027-07-01T09:00:00Z' })
        .thenThrows(SuspectCommandRefused, 'have ended (discontinued)'));
  });

  it('records only events that satisfy the catalogue, the court stage and decided counts folded', () => {
    const journey: SuspectCommand[] = [
      {
        kind: 'record-first-hearing',
        ...ids,
        court: magistrates,
        courtKind: 'magistrates',
        sentToCrownCourt: true,
        at: '2027-03-03T10:00:00Z',
      },
      { kind: 'list-trial', ...ids, court: crown, trialDate: '2027-10-04', at: '2027-03-31T12:00:00Z' },
      { kind: 'start-trial', ...ids, court: crown, at: '2027-10-04T10:30:00Z' },
      verdict([
        { count: 1, verdict: 'convicted' },
        { count: 2, verdict: 'guilty-plea' },
      ]),
    ];
    let state = onCharge.reduce(suspectDecider.evolve, suspectDecider.initialState);
    for (const command of journey) {
      for (const event of suspectDecider.decide(command, state, BASELINE_MODEL)) {
        expect(validateEvent(asNewEvent(event.type, event.data))).toEqual([]);
        state = suspectDecider.evolve(state, event);
      }
    }
    expect(state.court).toEqual({
      stage: 'concluded',
      sentToCrownCourt: true,
      decidedCounts: { 1: 'convicted', 2: 'guilty-plea' },
      lastAt: at,
    });
  });
});
