import { SuspectEventTypes as T, type PoliceRank, type SuspectEvent } from '#contracts';
import { specFor } from '#testing';
import { SuspectCommandRefused, suspectDecider, type SuspectCommand } from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const suspectId = '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f';
const ids = { caseId, suspectId };
const spec = specFor(suspectDecider);
const officer = (rank: PoliceRank) => ({ officerId: 'AS-3307', rank });

// Bailed from 6 Nov 2026 to 5 Feb 2027 (3 months).
const identified: SuspectEvent = {
  type: T.SuspectIdentified,
  data: { ...ids, name: 'Daniel Marsh', identifiedAt: '2026-11-05T06:00:00Z' },
};
const arrested: SuspectEvent = {
  type: T.SuspectArrested,
  data: { ...ids, arrestedAt: '2026-11-05T06:45:00Z', custodyClockStartedAt: '2026-11-05T07:20:00Z' },
};
const bailed: SuspectEvent = {
  type: T.PreChargeBailGranted,
  data: {
    ...ids,
    bailStartDate: '2026-11-06',
    bailEndsOn: '2027-02-05',
    authorisedBy: officer('sergeant'),
    conditions: [],
    victimViewsSought: false,
    bailedAt: '2026-11-05T18:30:00Z',
  },
};
const onBail = [identified, arrested, bailed];
const check = (now: string): SuspectCommand => ({ kind: 'check-bail', ...ids, now, at: now });
const reminded: SuspectEvent = {
  type: T.BailExpiryApproaching,
  data: { ...ids, bailEndsOn: '2027-02-05', daysLeft: 14, noticedAt: '2027-01-22T00:01:00Z' },
};
const lapsed: SuspectEvent = {
  type: T.BailLapsed,
  data: { ...ids, bailEndsOn: '2027-02-05', lapsedAt: '2027-02-05T23:59:59.999Z', detectedAt: '2027-02-06T00:01:00Z' },
};

describe('how pre-charge bail ends (PACE ss47ZA-47ZM as amended in 2022)', () => {
  describe('check-bail (the bail timer)', () => {
    it('records nothing before the reminder window', () => spec.given(onBail).when(check('2027-01-21T23:00:00Z')).then([]));
    it('reminds 14 days before the last day of bail, once per end date', () => {
      spec.given(onBail).when(check('2027-01-22T00:01:00Z')).then([reminded]);
      spec
        .given([...onBail, reminded])
        .when(check('2027-01-30T00:01:00Z'))
        .then([]);
    });
    it('reminds again for a new end date after an extension', () =>
      spec
        .given([
          ...onBail,
          reminded,
          {
            type: T.BailExtended,
            data: {
              ...ids,
              previousEndsOn: '2027-02-05',
              bailEndsOn: '2027-05-05',
              authorisedBy: officer('inspector'),
              extendedAt: '2027-01-28T11:00:00Z',
            },
          },
        ])
        .when(check('2027-04-25T09:00:00Z'))
        .then([
          { type: T.BailExpiryApproaching, data: { ...ids, bailEndsOn: '2027-05-05', daysLeft: 10, noticedAt: '2027-04-25T09:00:00Z' } },
        ]));
    it('records the lapse after the last day with no extension, timed at the end of that day (UK time)', () =>
      spec
        .given([...onBail, reminded])
        .when(check('2027-02-06T00:01:00Z'))
        .then([lapsed]));
    it('the last day of bail is still bail (23:30 UTC on 5 February is 5 February in London in winter)', () =>
      spec
        .given([...onBail, reminded])
        .when(check('2027-02-05T23:30:00Z'))
        .then([]));
    it('after a lapse the suspect is under investigation without bail, and a late or repeated check records nothing', () =>
      spec
        .given([...onBail, lapsed])
        .when(check('2027-02-07T00:01:00Z'))
        .then([]));
  });

  describe('cancel-bail', () => {
    const command: SuspectCommand = {
      kind: 'cancel-bail',
      ...ids,
      authorisedBy: officer('sergeant'),
      grounds: 'no-longer-necessary-and-proportionate',
      at: '2027-01-10T09:00:00Z',
    };
    const cancelled: SuspectEvent = {
      type: T.BailCancelled,
      data: {
        ...ids,
        previousEndsOn: '2027-02-05',
        grounds: 'no-longer-necessary-and-proportionate',
        authorisedBy: officer('sergeant'),
        cancelledAt: '2027-01-10T09:00:00Z',
      },
    };
    it('cancels bail: the suspect is then under investigation without bail, and bail cannot be extended', () => {
      spec.given(onBail).when(command).then([cancelled]);
      spec
        .given([...onBail, cancelled])
        .when({ kind: 'extend-bail', ...ids, authorisedBy: officer('inspector'), endsOn: '2027-05-05', at: '2027-01-28T11:00:00Z' })
        .thenThrows(SuspectCommandRefused, 'not on pre-charge bail');
    });
    it('refuses a constable', () =>
      spec
        .given(onBail)
        .when({ ...command, authorisedBy: officer('constable') })
        .thenThrows(SuspectCommandRefused, 'a sergeant or above'));
    it('refuses a suspect not on bail', () =>
      spec.given([identified, arrested]).when(command).thenThrows(SuspectCommandRefused, 'not on pre-charge bail'));
  });

  describe('review-release-under-investigation', () => {
    const rui: SuspectEvent = { type: T.ReleasedUnderInvestigation, data: { ...ids, releasedAt: '2026-11-05T18:30:00Z' } };
    const command: SuspectCommand = {
      kind: 'review-release-under-investigation',
      ...ids,
      reviewedBy: officer('sergeant'),
      nextReviewBy: '2027-02-01',
      at: '2026-12-01T10:00:00Z',
    };
    it('records the review and the next review date', () =>
      spec
        .given([identified, arrested, rui])
        .when(command)
        .then([
          {
            type: T.ReleaseUnderInvestigationReviewed,
            data: { ...ids, reviewedBy: officer('sergeant'), nextReviewBy: '2027-02-01', reviewedAt: '2026-12-01T10:00:00Z' },
          },
        ]));
    it('is also for a suspect whose bail lapsed', () =>
      spec
        .given([...onBail, lapsed])
        .when({ ...command, at: '2027-02-10T10:00:00Z', nextReviewBy: '2027-04-01' })
        .then([
          {
            type: T.ReleaseUnderInvestigationReviewed,
            data: { ...ids, reviewedBy: officer('sergeant'), nextReviewBy: '2027-04-01', reviewedAt: '2027-02-10T10:00:00Z' },
          },
        ]));
    it('refuses a next review more than 90 days ahead, or not after today', () => {
      spec
        .given([identified, arrested, rui])
        .when({ ...command, nextReviewBy: '2027-03-02' })
        .thenThrows(SuspectCommandRefused, 'within 90 days');
      spec
        .given([identified, arrested, rui])
        .when({ ...command, nextReviewBy: '2026-12-01' })
        .thenThrows(SuspectCommandRefused, 'after today');
    });
    it('refuses a constable, and a suspect on bail', () => {
      spec
        .given([identified, arrested, rui])
        .when({ ...command, reviewedBy: officer('constable') })
        .thenThrows(SuspectCommandRefused, 'sergeant or above');
      spec.given(onBail).when(command).thenThrows(SuspectCommandRefused, 'not released under investigation');
    });
  });

  describe('check-bail on a release under investigation (the review timer)', () => {
    // Released on 5 November 2026: the first review is due within 90 days, by 3 February 2027.
    const rui: SuspectEvent = { type: T.ReleasedUnderInvestigation, data: { ...ids, releasedAt: '2026-11-05T18:30:00Z' } };
    const overdue = (reviewDueBy: string, detectedAt: string): SuspectEvent => ({
      type: T.ReleaseUnderInvestigationReviewOverdue,
      data: { ...ids, reviewDueBy, detectedAt },
    });
    it('records nothing up to the end of the day the review is due by', () =>
      spec.given([identified, arrested, rui]).when(check('2027-02-03T23:30:00Z')).then([]));
    it('records the review overdue the day after, once per due date', () => {
      spec
        .given([identified, arrested, rui])
        .when(check('2027-02-04T00:01:00Z'))
        .then([overdue('2027-02-03', '2027-02-04T00:01:00Z')]);
      spec
        .given([identified, arrested, rui, overdue('2027-02-03', '2027-02-04T00:01:00Z')])
        .when(check('2027-02-10T00:01:00Z'))
        .then([]);
    });
    it('follows the date the last review set', () => {
      const reviewed: SuspectEvent = {
        type: T.ReleaseUnderInvestigationReviewed,
        data: { ...ids, reviewedBy: officer('sergeant'), nextReviewBy: '2027-03-01', reviewedAt: '2027-01-20T10:00:00Z' },
      };
      spec.given([identified, arrested, rui, reviewed]).when(check('2027-02-10T00:01:00Z')).then([]);
      spec
        .given([identified, arrested, rui, overdue('2027-02-03', '2027-02-04T00:01:00Z'), reviewed])
        .when(check('2027-03-02T09:00:00Z'))
        .then([overdue('2027-03-01', '2027-03-02T09:00:00Z')]);
    });
    it('counts from the lapse of bail: due 90 days after the last day of bail', () =>
      spec
        .given([...onBail, lapsed])
        .when(check('2027-05-07T00:01:00Z'))
        .then([overdue('2027-05-06', '2027-05-07T00:01:00Z')]));
  });
});
