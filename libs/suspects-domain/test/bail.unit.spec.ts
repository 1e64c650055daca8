import { SuspectEventTypes as T, type PoliceRank, type SuspectEvent } from '#contracts';
import { specFor } from '#testing';
import { SuspectCommandRefused, suspectDecider, type SuspectCommand } from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const suspectId = '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f';
const ids = { caseId, suspectId };
const at = '2026-11-05T18:30:00Z';
const spec = specFor(suspectDecider);
const officer = (rank: PoliceRank) => ({ officerId: 'AS-3307', rank });

// Arrested 5 Nov 2026: bail start date 6 Nov; 3 months end 5 Feb 2027, 6 months 5 May, 9 months 5 Aug.
const identified: SuspectEvent = { type: T.SuspectIdentified, data: { ...ids, name: 'Daniel Marsh', identifiedAt: at } };
const arrested: SuspectEvent = {
  type: T.SuspectArrested,
  data: { ...ids, arrestedAt: '2026-11-05T06:45:00Z', custodyClockStartedAt: '2026-11-05T07:20:00Z' },
};
const conditions = ['Not to contact the victim directly or indirectly'];
const bailedData = {
  ...ids,
  bailStartDate: '2026-11-06',
  bailEndsOn: '2027-02-05',
  authorisedBy: officer('sergeant'),
  conditions,
  victimViewsSought: true,
  victimViewsSoughtAt: '2026-11-05T16:00:00Z',
  bailedAt: at,
};
const bailed: SuspectEvent = { type: T.PreChargeBailGranted, data: bailedData };
const extendedTo = (bailEndsOn: string, rank: PoliceRank, previousEndsOn = '2027-02-05'): SuspectEvent => ({
  type: T.BailExtended,
  data: { ...ids, previousEndsOn, bailEndsOn, authorisedBy: officer(rank), extendedAt: '2027-01-28T11:00:00Z' },
});
const onBail = [identified, arrested, bailed];

describe('pre-charge bail', () => {
  describe('grant-pre-charge-bail', () => {
    const command: SuspectCommand = {
      kind: 'grant-pre-charge-bail',
      ...ids,
      authorisedBy: officer('sergeant'),
      conditions,
      victimViewsSoughtAt: '2026-11-05T16:00:00Z',
      at,
    };
    it('bails for 3 months from the day after arrest, with conditions and the victim’s views', () =>
      spec.given([identified, arrested]).when(command).then([bailed]));
    it('bails for a shorter period without conditions or victim’s views', () =>
      spec
        .given([identified, arrested])
        .when({ kind: 'grant-pre-charge-bail', ...ids, authorisedBy: officer('inspector'), endsOn: '2026-12-03', conditions: [], at })
        .then([
          {
            type: T.PreChargeBailGranted,
            data: {
              ...ids,
              bailStartDate: '2026-11-06',
              bailEndsOn: '2026-12-03',
              authorisedBy: officer('inspector'),
              conditions: [],
              victimViewsSought: false,
              bailedAt: at,
            },
          },
        ]));
    it('counts from the UK civil date of the arrest (British Summer Time)', () =>
      spec
        .given([
          identified,
          { type: T.SuspectArrested, data: { ...ids, arrestedAt: '2026-06-30T23:30:00Z', custodyClockStartedAt: '2026-06-30T23:50:00Z' } },
        ])
        .when({ ...command, at: '2026-07-01T12:00:00Z', victimViewsSoughtAt: undefined })
        .then([
          {
            type: T.PreChargeBailGranted,
            data: {
              ...bailedData,
              bailStartDate: '2026-07-02',
              bailEndsOn: '2026-10-01',
              victimViewsSought: false,
              victimViewsSoughtAt: undefined,
              bailedAt: '2026-07-01T12:00:00Z',
            },
          },
        ]));
    it('re-bails a suspect arrested on bail within the period already running', () =>
      spec
        .given([
          ...onBail,
          extendedTo('2027-05-05', 'inspector'),
          { ...arrested, data: { ...arrested.data, arrestedAt: '2027-03-01T09:00:00Z' } },
        ])
        .when({ ...command, at: '2027-03-01T18:00:00Z', victimViewsSoughtAt: undefined })
        .then([
          {
            type: T.PreChargeBailGranted,
            data: {
              ...bailedData,
              bailEndsOn: '2027-05-05',
              victimViewsSought: false,
              victimViewsSoughtAt: undefined,
              bailedAt: '2027-03-01T18:00:00Z',
            },
          },
        ]));
    it('refuses a suspect not in custody', () =>
      spec.given([identified]).when(command).thenThrows(SuspectCommandRefused, 'on release from custody'));
    it('refuses a suspect already charged', () =>
      spec
        .given([identified, arrested, { type: T.SuspectCharged, data: { ...ids, cpsDecisionReference: '52AS0421126', chargedAt: at } }])
        .when(command)
        .thenThrows(SuspectCommandRefused, 'already been charged'));
    it('refuses a first period longer than 3 months, whatever the rank', () =>
      spec
        .given([identified, arrested])
        .when({ ...command, authorisedBy: officer('chief-constable'), endsOn: '2027-02-06' })
        .thenThrows(SuspectCommandRefused, 'the first bail period is 3 months, ending on 2027-02-05'));
    it('refuses a re-bail beyond the period already authorised', () =>
      spec
        .given([...onBail, arrested])
        .when({ ...command, endsOn: '2027-03-01' })
        .thenThrows(SuspectCommandRefused, 'already authorised ends on 2027-02-05'));
    it('refuses bail authorised by a constable', () =>
      spec
        .given([identified, arrested])
        .when({ ...command, authorisedBy: officer('constable') })
        .thenThrows(SuspectCommandRefused, 'needs the custody officer (a sergeant or above)'));
    it('refuses bail ending before the day of release', () =>
      spec
        .given([identified, arrested])
        .when({ ...command, endsOn: '2026-11-04' })
        .thenThrows(SuspectCommandRefused, 'before the day of release'));
    it('refuses an end that is not a calendar date', () =>
      spec
        .given([identified, arrested])
        .when({ ...command, endsOn: '2027-02-30' })
        .thenThrows(SuspectCommandRefused, 'calendar date'));
    it('refuses victim’s views recorded as sought after the decision', () =>
      spec
        .given([identified, arrested])
        .when({ ...command, victimViewsSoughtAt: '2026-11-05T19:00:00Z' })
        .thenThrows(SuspectCommandRefused, 'cannot be after the decision'));
  });

  describe('extend-bail', () => {
    const command: SuspectCommand = {
      kind: 'extend-bail',
      ...ids,
      authorisedBy: officer('inspector'),
      endsOn: '2027-05-05',
      at: '2027-01-28T11:00:00Z',
    };
    it('lets an inspector extend to 6 months', () =>
      spec
        .given(onBail)
        .when(command)
        .then([extendedTo('2027-05-05', 'inspector')]));
    it('lets a superintendent extend from 6 to 9 months', () =>
      spec
        .given([...onBail, extendedTo('2027-05-05', 'inspector')])
        .when({ ...command, authorisedBy: officer('superintendent'), endsOn: '2027-08-05' })
        .then([extendedTo('2027-08-05', 'superintendent', '2027-05-05')]));
    it('lets a higher rank authorise a lower step', () =>
      spec
        .given(onBail)
        .when({ ...command, authorisedBy: officer('chief-superintendent') })
        .then([extendedTo('2027-05-05', 'chief-superintendent')]));
    it('lets the custody officer extend a short first period up to 3 months', () =>
      spec
        .given([identified, arrested, { type: T.PreChargeBailGranted, data: { ...bailedData, bailEndsOn: '2026-12-03' } }])
        .when({ ...command, authorisedBy: officer('sergeant'), endsOn: '2027-02-05', at: '2026-12-01T10:00:00Z' })
        .then([
          {
            type: T.BailExtended,
            data: {
              ...ids,
              previousEndsOn: '2026-12-03',
              bailEndsOn: '2027-02-05',
              authorisedBy: officer('sergeant'),
              extendedAt: '2026-12-01T10:00:00Z',
            },
          },
        ]));
    it.each([
      ['a sergeant', 'sergeant', '2027-05-05', 'needs an inspector or above'],
      ['an inspector', 'inspector', '2027-08-05', 'needs a superintendent or above'],
      ['a chief inspector', 'chief-inspector', '2027-05-06', 'needs a superintendent or above'],
    ] as const)('refuses %s extending beyond the rank’s authority', (_who, rank, endsOn, message) =>
      spec
        .given(onBail)
        .when({ ...command, authorisedBy: officer(rank), endsOn })
        .thenThrows(SuspectCommandRefused, message),
    );
    it('refuses police extension beyond 9 months: only a court can', () =>
      spec
        .given(onBail)
        .when({ ...command, authorisedBy: officer('chief-constable'), endsOn: '2027-08-06' })
        .thenThrows(SuspectCommandRefused, "beyond 2027-08-05 (9 months) needs a magistrates' court"));
    it.each([
      ['never bailed', [identified]],
      ['in custody', [identified, arrested]],
      ['released under investigation', [...onBail, { type: T.ReleasedUnderInvestigation, data: { ...ids, releasedAt: at } }]],
      ['charged', [...onBail, { type: T.SuspectCharged, data: { ...ids, cpsDecisionReference: '52AS0421126', chargedAt: at } }]],
    ] as [string, SuspectEvent[]][])('refuses a suspect %s', (_why, history) =>
      spec.given(history).when(command).thenThrows(SuspectCommandRefused, 'not on pre-charge bail'),
    );
    it('refuses an end not later than the current one', () =>
      spec
        .given(onBail)
        .when({ ...command, endsOn: '2027-02-05' })
        .thenThrows(SuspectCommandRefused, 'after the current end of bail'));
    it('refuses to extend bail that has lapsed', () =>
      spec
        .given(onBail)
        .when({ ...command, at: '2027-02-06T09:00:00Z' })
        .thenThrows(SuspectCommandRefused, 'lapsed'));
    it('refuses an end that is not a calendar date', () =>
      spec
        .given(onBail)
        .when({ ...command, endsOn: '5 May 2027' })
        .thenThrows(SuspectCommandRefused, 'calendar date'));
  });

  describe('record-court-bail-extension', () => {
    const court = "Bristol Magistrates' Court";
    const nineMonths = [...onBail, extendedTo('2027-08-05', 'superintendent')];
    const command: SuspectCommand = {
      kind: 'record-court-bail-extension',
      ...ids,
      court,
      endsOn: '2027-11-05',
      at: '2027-07-30T14:00:00Z',
    };
    it('records a magistrates’ court extending bail beyond 9 months', () =>
      spec
        .given(nineMonths)
        .when(command)
        .then([
          {
            type: T.BailExtendedByCourt,
            data: { ...ids, previousEndsOn: '2027-08-05', bailEndsOn: '2027-11-05', court, extendedAt: '2027-07-30T14:00:00Z' },
          },
        ]));
    it('refuses a court extension within police authority', () =>
      spec
        .given(onBail)
        .when({ ...command, endsOn: '2027-08-05' })
        .thenThrows(SuspectCommandRefused, 'police extend it'));
    it('refuses an end not later than the current one', () =>
      spec
        .given([
          ...nineMonths,
          { type: T.BailExtendedByCourt, data: { ...ids, previousEndsOn: '2027-08-05', bailEndsOn: '2027-11-05', court, extendedAt: at } },
        ])
        .when(command)
        .thenThrows(SuspectCommandRefused, 'after the current end of bail'));
    it('refuses a suspect not on bail', () =>
      spec.given([identified, arrested]).when(command).thenThrows(SuspectCommandRefused, 'not on pre-charge bail'));
  });

  describe('change-bail-conditions', () => {
    const changedAt = '2026-12-10T10:00:00Z';
    const command: SuspectCommand = {
      kind: 'change-bail-conditions',
      ...ids,
      conditions: ['Reside at an approved address'],
      victimViewsSoughtAt: '2026-12-09T15:00:00Z',
      at: changedAt,
    };
    it('changes the conditions, recording that the victim’s views were sought', () =>
      spec
        .given(onBail)
        .when(command)
        .then([
          {
            type: T.BailConditionsChanged,
            data: {
              ...ids,
              conditions: ['Reside at an approved address'],
              victimViewsSought: true,
              victimViewsSoughtAt: '2026-12-09T15:00:00Z',
              changedAt,
            },
          },
        ]));
    it('removes every condition', () =>
      spec
        .given(onBail)
        .when({ kind: 'change-bail-conditions', ...ids, conditions: [], at: changedAt })
        .then([{ type: T.BailConditionsChanged, data: { ...ids, conditions: [], victimViewsSought: false, changedAt } }]));
    it('records nothing when the conditions are unchanged', () =>
      spec
        .given(onBail)
        .when({ ...command, conditions })
        .then([]));
    it('refuses a suspect not on bail', () =>
      spec.given([identified, arrested]).when(command).thenThrows(SuspectCommandRefused, 'not on pre-charge bail'));
    it('refuses victim’s views recorded as sought after the change', () =>
      spec
        .given(onBail)
        .when({ ...command, victimViewsSoughtAt: '2026-12-11T09:00:00Z' })
        .thenThrows(SuspectCommandRefused, 'after the decision'));
  });
});
