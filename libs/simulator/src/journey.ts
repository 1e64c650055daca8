import { addDays, londonDate } from '#calendar';
import { caseStreamId } from '#cases-domain';
import type { AgeBand, ForceCode, OffenceGroup, RelationshipToSuspect } from '#contracts';
import { suspectStreamId } from '#suspects-domain';
import { victimStreamId } from '#victims-domain';
import type { SimStep } from './step.js';
import type { Random } from './random.js';

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(Math.round(ms)).toISOString();

/** What the plan of one investigation gives the parts of its journey planned here (docs/simulator.md). */
export interface Journey {
  readonly random: Random;
  readonly force: ForceCode;
  readonly officer: string;
  readonly caseId: string;
  readonly victimId: string;
  readonly offence: OffenceGroup;
  /** When the offence was reported and when the investigation closes (ms since the epoch). */
  readonly reported: number;
  readonly closes: number;
  /** Plans a step; false when it falls after the simulated period. */
  add(at: number, step: Omit<SimStep, 'at' | 'force' | 'key' | 'officerId'>): boolean;
  /** The id the first event of the next step planned will have on `streamId` (each step's ids derive from its key). */
  nextEventId(streamId: string): string;
}

const CHILD: ReadonlySet<OffenceGroup> = new Set([
  'rape-of-female-under-16',
  'rape-of-female-under-13',
  'rape-of-male-under-16',
  'rape-of-male-under-13',
  'sexual-activity-with-child',
]);
const RELATIONSHIPS: readonly (readonly [RelationshipToSuspect, number])[] = [
  ['partner-or-ex-partner', 33],
  ['family-member', 9],
  ['friend-or-acquaintance', 30],
  ['stranger', 13],
  ['online-contact-only', 7],
  ['position-of-trust', 3],
  ['other', 5],
];
const ADULT_BANDS: readonly (readonly [AgeBand, number])[] = [
  ['16-17', 8],
  ['18-24', 30],
  ['25-34', 28],
  ['35-44', 18],
  ['45-54', 10],
  ['55-64', 4],
  ['65-plus', 2],
];

/**
 * The problem profile (docs/digital-material.md): the offence date before the report (most reported within a week,
 * a quarter within a year, the rest years later), the relationship, the ages as bands, and the domestic-abuse flag as
 * the Domestic Abuse Act 2021 ss1-2 has it (a partner or relative, both 16 or over).
 */
/** Returns the days between the offence and its report. */
export function planProblemProfile(j: Journey): number {
  const { random } = j;
  const delayDays = random.chance(0.6) ? random.int(0, 7) : random.chance(0.6) ? random.int(8, 365) : random.int(366, 7000);
  const victimAgeBand: AgeBand = CHILD.has(j.offence) ? (random.chance(0.5) ? 'under-13' : '13-15') : random.weighted(ADULT_BANDS);
  const suspectAgeBand = random.weighted(ADULT_BANDS.filter(([band]) => band !== '16-17'));
  const relationshipToSuspect = random.weighted(RELATIONSHIPS);
  const connected = relationshipToSuspect === 'partner-or-ex-partner' || relationshipToSuspect === 'family-member';
  const adults = victimAgeBand !== 'under-13' && victimAgeBand !== '13-15';
  j.add(j.reported + 0.35 * DAY, {
    context: 'cases',
    streamId: caseStreamId(j.caseId),
    command: {
      kind: 'record-problem-profile',
      caseId: j.caseId,
      offenceDate: addDays(londonDate(iso(j.reported)), -delayDays),
      relationshipToSuspect,
      domesticAbuse: connected && adults ? 'flagged' : 'not-flagged',
      victimAgeBand,
      suspectAgeBand,
      at: iso(j.reported + 0.35 * DAY),
    },
  });
  return delayDays;
}

/**
 * The victim's evidence (docs/evidence-and-court.md): an ABE interview planned and held for most victims within a few
 * weeks; a forensic medical examination at a SARC for a recent offence, mostly with consent, sometimes declined.
 */
export function planVictimEvidence(j: Journey, recentOffence: boolean, until: number): void {
  const { random, caseId, victimId } = j;
  const v = victimStreamId(victimId);
  if (recentOffence && random.chance(0.5)) {
    const examinationId = random.uuid();
    const referred = j.reported + 0.45 * DAY;
    j.add(referred, {
      context: 'victims',
      streamId: v,
      command: {
        kind: 'refer-for-forensic-examination',
        caseId,
        victimId,
        examinationId,
        sarc: { name: `${j.force} SARC`, serviceKind: CHILD.has(j.offence) ? 'paediatric-sarc' : 'adult-sarc' },
        at: iso(referred),
      },
    });
    const examined = referred + 0.5 * DAY;
    j.add(examined, {
      context: 'victims',
      streamId: v,
      command: random.chance(0.85)
        ? {
            kind: 'record-forensic-examination',
            caseId,
            victimId,
            examinationId,
            consentedTo: ['examination', 'forensic-samples', 'share-findings-with-police'],
            consentRecordedAt: iso(examined - 3_600_000),
            at: iso(examined),
          }
        : { kind: 'decline-forensic-examination', caseId, victimId, examinationId, at: iso(examined) },
    });
  }
  if (random.chance(0.75)) {
    const interviewId = random.uuid();
    const planned = j.reported + random.int(1, 6) * DAY;
    const held = planned + random.int(2, 25) * DAY;
    if (held >= until - 2 * DAY) return;
    const plannedFor = iso(held);
    j.add(planned, {
      context: 'victims',
      streamId: v,
      command: {
        kind: 'plan-abe-interview',
        caseId,
        victimId,
        interviewId,
        plannedFor,
        withIntermediary: random.chance(0.15),
        at: iso(planned),
      },
    });
    j.add(held, {
      context: 'victims',
      streamId: v,
      command: {
        kind: 'record-abe-interview',
        caseId,
        victimId,
        interviewId,
        recordingReference: `VRI-${random.int(10000, 99999)}`,
        at: plannedFor,
      },
    });
  }
}

/**
 * The update frequency some victims agree (docs/victims-code.md): every 28 days; the officer then gives progress
 * updates, mostly within the period, sometimes later (the agreed-update timer records those periods).
 */
export function planAgreedUpdates(j: Journey, until: number): void {
  const { random, caseId, victimId } = j;
  if (!random.chance(0.3)) return;
  const v = victimStreamId(victimId);
  const agreed = j.reported + 0.45 * DAY;
  j.add(agreed, {
    context: 'victims',
    streamId: v,
    command: {
      kind: 'agree-contact-preferences',
      caseId,
      victimId,
      channels: ['phone'],
      times: ['weekday-afternoon'],
      leaveMessages: false,
      safeContact: { phone: `+44 7700 9${String(random.int(0, 99999)).padStart(5, '0')}` },
      updateEveryDays: 28,
      at: iso(agreed),
    },
  });
  for (let at = agreed + random.int(14, 35) * DAY; at < until - DAY; at += random.int(14, 35) * DAY) {
    j.add(at, {
      context: 'victims',
      streamId: v,
      command: { kind: 'give-update', caseId, victimId, about: 'investigation-progress', channel: 'phone', at: iso(at) },
    });
  }
}

/** Reviews of a release under investigation (docs/bail-rules.md): most within 90 days, each setting the next; a few late. */
export function planRuiReviews(j: Journey, suspectId: string, released: number, until: number): void {
  const { random, caseId } = j;
  for (let at = released + random.int(45, 100) * DAY; at < until - DAY; at += random.int(45, 100) * DAY) {
    const nextReviewBy = addDays(londonDate(iso(at)), random.int(45, 90));
    j.add(at, {
      context: 'suspects',
      streamId: suspectStreamId(suspectId),
      command: {
        kind: 'review-release-under-investigation',
        caseId,
        suspectId,
        reviewedBy: { officerId: j.officer, rank: 'sergeant' },
        nextReviewBy,
        at: iso(at),
      },
    });
  }
}

/**
 * After a charge (docs/evidence-and-court.md): the first hearing the next day, sent to the Crown Court; the trial
 * listed a month later for about a year on; the verdict a week into it (convicted or acquitted), which the victim is
 * owed an update on. Returns the verdict's event id and time, to tell the victim, when it falls in the period.
 */
export function planCourt(j: Journey, suspectId: string, charged: number): { readonly eventId: string; readonly at: number } | undefined {
  const { random, caseId } = j;
  const s = suspectStreamId(suspectId);
  const court = `${j.force} Crown Court`;
  const step = (at: number, command: object): boolean =>
    j.add(at, { context: 'suspects', streamId: s, command: { caseId, suspectId, at: iso(at), ...command } as never });
  if (
    !step(charged + DAY, {
      kind: 'record-first-hearing',
      court: `${j.force} Magistrates' Court`,
      courtKind: 'magistrates',
      sentToCrownCourt: true,
    })
  ) {
    return undefined;
  }
  const trial = charged + random.int(250, 500) * DAY;
  if (!step(charged + 30 * DAY, { kind: 'list-trial', court, trialDate: londonDate(iso(trial)) })) return undefined;
  if (!step(trial, { kind: 'start-trial', court })) return undefined;
  const verdictAt = trial + 5 * DAY;
  const eventId = j.nextEventId(s);
  const verdict = random.chance(0.55) ? 'convicted' : 'acquitted';
  if (!step(verdictAt, { kind: 'record-verdict', results: [{ count: 1, offence: j.offence, verdict }] })) return undefined;
  return { eventId, at: verdictAt };
}

/**
 * The CPS (docs/cps-rules.md): early advice for some investigations, well before any file, with an action plan the
 * police mostly complete in time (the action timer records the rest); a charging file for the suspect when the ending
 * needs a decision, and the CPS's decision on that suspect under the Full Code Test. Returns the CPS reference.
 */
export function planCps(j: Journey, suspectId: string, identified: number, decision: 'charge' | 'no-further-action' | undefined): string {
  const { random, caseId } = j;
  const c = caseStreamId(caseId);
  const onCase = (at: number, command: object): boolean =>
    j.add(at, { context: 'cases', streamId: c, command: { caseId, at: iso(at), ...command } as never });
  const cpsReference = `CPS-${j.force.slice(0, 2).toUpperCase()}-${random.int(10000, 99999)}`;
  const fileAt = Math.max(identified + 1.5 * DAY, j.closes - random.int(20, 60) * DAY);
  const askAt = identified + random.int(5, 20) * DAY;
  if (random.chance(0.3) && askAt + 45 * DAY < fileAt) {
    const adviceRequestId = random.uuid();
    const actionId = random.uuid();
    const advisedAt = askAt + random.int(7, 14) * DAY;
    const category = random.pick(['witness-statement', 'digital-material', 'third-party-material'] as const);
    onCase(askAt, { kind: 'request-early-advice', adviceRequestId });
    onCase(advisedAt, {
      kind: 'give-early-advice',
      adviceRequestId,
      cpsReference,
      actionPlan: [{ actionId, category, dueBy: addDays(londonDate(iso(advisedAt)), 21) }],
    });
    if (random.chance(0.85)) onCase(advisedAt + random.int(3, 20) * DAY, { kind: 'complete-cps-action', actionId });
  }
  if (decision === undefined || fileAt >= j.closes - 2 * DAY) return cpsReference;
  if (onCase(fileAt, { kind: 'submit-charging-file', cpsReference, suspectIds: [suspectId] })) {
    onCase(j.closes - 2 * DAY, { kind: 'record-suspect-charging-decision', suspectId, cpsReference, test: 'full-code', decision });
  }
  return cpsReference;
}
