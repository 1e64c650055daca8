import { caseStreamId } from '#cases-domain';
import {
  deterministicUuid,
  offenceCodesOf,
  type ForceCode,
  type OffenceGroup,
  type WithdrawalReason,
  type WithdrawalStage,
} from '#contracts';
import { suspectStreamId } from '#suspects-domain';
import { victimStreamId } from '#victims-domain';
import { vary } from './identifier-variation.js';
import type { SimStep } from './step.js';
import { planAgreedUpdates, planCourt, planCps, planProblemProfile, planRuiReviews, planVictimEvidence, type Journey } from './journey.js';
import { Random } from './random.js';

export interface SimulationOptions {
  readonly seed: number;
  readonly forces: readonly ForceCode[];
  readonly investigations: number;
  /** Reports arrive uniformly over this many days from `start`; nothing is planned after `start + days`. */
  readonly days: number;
  readonly start: string;
  /** Share of suspects who are the same person as an earlier suspect (possibly in another force). */
  readonly repeatSuspectShare?: number;
  /**
   * Record suspects' identifiers as real forces do, inconsistently (identifier-variation.ts: missing PNC IDs,
   * name variants, typos, CRO numbers sometimes): for measuring repeat-suspect matching. Off by default (the
   * canonical identifiers); drawn from a separate seeded stream, so the rest of the plan is the same either way.
   */
  readonly identifierVariation?: boolean;
}

/** A suspect as a person: the simulator's ground truth for repeat-suspect matching (never in any event). */
export interface SimPerson {
  readonly personId: string;
  readonly name: string;
  readonly dateOfBirth: string;
  readonly pncId: string;
}

export interface SimulationPlan {
  /** The simulated period, `start` to `start + days`: every event of the history happens within it. */
  readonly period: { readonly start: string; readonly end: string };
  readonly steps: readonly SimStep[];
  /** suspectId -> person, for measuring repeat-suspect matching. */
  readonly suspects: ReadonlyMap<string, SimPerson>;
}

type Ending = 'withdrawal' | 'charge' | 'evidential' | 'no-suspect' | 'other';

// Outcome mix of closed rape investigations: 55% end with the victim withdrawing support (DOMAIN.md). The charge share
// differs by force (chargeShareOf): the evidential-difficulty share takes up the rest, so that every force keeps 55%.
const endingsOf = (chargeShare: number): readonly (readonly [Ending, number])[] => [
  ['withdrawal', 55],
  ['charge', 100 * chargeShare],
  ['evidential', 33 - 100 * chargeShare],
  ['no-suspect', 6],
  ['other', 6],
];

/**
 * The share of a force's investigations that end in a charge: Avon and Somerset, the model's pathfinder, about 19%
 * (a charge rate of about 17.4%, DOMAIN.md, once the 8% with no suspect identified are counted); every other force
 * between 2% and 10%, drawn once per force from the seed. So the forces' charge rates spread as they do nationally.
 */
export function chargeShareOf(force: ForceCode, seed: number): number {
  if (force === 'avon-somerset') return 0.19;
  let hash = seed >>> 0;
  for (const ch of force) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return 0.02 + 0.08 * new Random(hash).next();
}

/**
 * Relative numbers of reports: the largest forces several times the others (DOMAIN.md, numbers to size for); a force
 * not named weighs 1. Exported for the scale bench, which seeds a log of the same shape (bench/src/scale-history.ts).
 */
export const FORCE_WEIGHT: Partial<Record<ForceCode, number>> = {
  metropolitan: 6,
  'greater-manchester': 3,
  'west-midlands': 3,
  'west-yorkshire': 3,
  'thames-valley': 2,
  kent: 2,
  lancashire: 2,
  hampshire: 2,
  'devon-cornwall': 2,
  'avon-somerset': 2,
  'south-yorkshire': 2,
  merseyside: 2,
  essex: 2,
  sussex: 2,
  'city-of-london': 0.2,
};

const MEDIAN_DAYS: Record<Ending, number> = { withdrawal: 140, charge: 426, evidential: 320, 'no-suspect': 120, other: 260 };
/** Offence groups of the simulated reports, by weight (exported for the scale bench too). */
export const OFFENCES: readonly (readonly [OffenceGroup, number])[] = [
  ['rape-of-female-16-plus', 58],
  ['rape-of-female-under-16', 10],
  ['rape-of-male-16-plus', 6],
  ['sexual-assault', 21],
  ['other-sexual-offence', 5],
];
const REASONS: readonly (readonly [WithdrawalReason, number])[] = [
  ['length-of-investigation', 24],
  ['emotional-toll', 20],
  ['lack-of-trust', 12],
  ['wants-to-move-on', 14],
  ['fear-of-reprisal', 10],
  ['relationship-with-suspect', 10],
  ['digital-device-concerns', 6],
  ['other', 4],
];
const FIRST = ['Alex', 'Sam', 'Jordan', 'Chris', 'Lee', 'Jamie', 'Robin', 'Daniel', 'Mark', 'Paul', 'Ryan', 'Tom'];
const LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Evans', 'Thomas', 'Roberts', 'Walker'];

const DAY = 86_400_000;

export function planSimulation(options: SimulationOptions): SimulationPlan {
  const random = new Random(options.seed);
  const variation = options.identifierVariation ? new Random((options.seed ^ 0x1d5eed) >>> 0) : undefined;
  const start = Date.parse(options.start);
  const end = start + options.days * DAY;
  const people: SimPerson[] = [];
  const suspects = new Map<string, SimPerson>();
  const steps: SimStep[] = [];
  let n = 0;
  const add = (at: number, force: ForceCode, officerId: string, step: Omit<SimStep, 'at' | 'force' | 'key' | 'officerId'>): boolean => {
    if (at > end) return false;
    steps.push({ ...step, at: new Date(Math.round(at)).toISOString(), force, officerId, key: `sim:${options.seed}:${n++}` } as SimStep);
    return true;
  };
  const person = (): SimPerson => {
    if (people.length > 0 && random.chance(options.repeatSuspectShare ?? 0.1)) return random.pick(people);
    const year = random.int(1960, 2004);
    const created: SimPerson = {
      personId: random.uuid(),
      name: `${random.pick(FIRST)} ${random.pick(LAST)}`,
      dateOfBirth: `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
      pncId: `${String(random.int(0, 99)).padStart(2, '0')}/${random.int(100000, 999999)}${String.fromCharCode(65 + random.int(0, 25))}`,
    };
    people.push(created);
    return created;
  };

  const forces = options.forces.map((force) => [force, FORCE_WEIGHT[force] ?? 1] as const);
  const endings = new Map(options.forces.map((force) => [force, endingsOf(chargeShareOf(force, options.seed))]));
  for (let i = 0; i < options.investigations; i++) {
    const force = random.weighted(forces);
    const code = force.slice(0, 2).toUpperCase();
    const officer = `${code}-${random.int(1000, 9999)}`;
    const caseId = random.uuid();
    const victimId = random.uuid();
    const offence = random.weighted(OFFENCES);
    const ending = random.weighted(endings.get(force)!);
    const reported = start + random.next() * options.days * DAY;
    const closes = reported + Math.max(7, random.days(MEDIAN_DAYS[ending])) * DAY;
    const c = caseStreamId(caseId);
    const v = victimStreamId(victimId);
    const offenceCode = random.pick(offenceCodesOf(offence));
    // A withdrawal is planned up front: nothing of the victim's own evidence is planned after it.
    const withdrew = ending === 'withdrawal' ? Math.max(reported + DAY, closes - random.int(5, 30) * DAY) : undefined;
    const journey: Journey = {
      random,
      force,
      officer,
      caseId,
      victimId,
      offence,
      reported,
      closes,
      add: (at, step) => add(at, force, officer, step),
      nextEventId: (streamId) => deterministicUuid(force, `sim:${options.seed}:${n}`, streamId, '0'),
    };
    if (
      !add(reported + 0.3 * DAY, force, officer, {
        context: 'cases',
        streamId: c,
        command: {
          kind: 'record-crime',
          caseId,
          crimeReference: `${code}/${String(i).padStart(6, '0')}`,
          offence,
          offenceCode,
          reportedAt: new Date(reported).toISOString(),
          at: new Date(reported + 0.3 * DAY).toISOString(),
        },
      })
    )
      continue;
    const delayDays = planProblemProfile(journey);
    add(reported + 0.4 * DAY, force, officer, {
      context: 'victims',
      streamId: v,
      command: {
        kind: 'make-first-contact',
        caseId,
        victimId,
        offence,
        officerId: officer,
        channel: 'phone',
        at: new Date(reported + 0.4 * DAY).toISOString(),
      },
    });
    planAgreedUpdates(journey, withdrew ?? closes);
    planVictimEvidence(journey, delayDays <= 7, withdrew ?? closes);
    add(reported + 1 * DAY, force, officer, {
      context: 'cases',
      streamId: c,
      command: { kind: 'open-investigation', caseId, at: new Date(reported + DAY).toISOString() },
    });
    add(reported + 2 * DAY, force, officer, {
      context: 'cases',
      streamId: c,
      command: { kind: 'assign-investigator', caseId, officerId: officer, at: new Date(reported + 2 * DAY).toISOString() },
    });
    if (random.chance(0.75))
      add(reported + 3 * DAY, force, officer, {
        context: 'victims',
        streamId: v,
        command: {
          kind: 'refer-to-isva',
          caseId,
          victimId,
          isvaService: `${force} ISVA service`,
          at: new Date(reported + 3 * DAY).toISOString(),
        },
      });

    let stage: WithdrawalStage = 'early-investigation';
    let suspectKnown = false;
    /** The victim is told of a trigger: mostly within the Victims' Code deadline, sometimes late (a missed one). */
    const tell = (triggered: number, about: 'suspect-charged' | 'no-further-action' | 'court-verdict', triggerEventId: string): void => {
      const told = triggered + (random.chance(0.12) ? random.int(3, 10) : random.next() * 0.8) * DAY;
      add(told, force, officer, {
        context: 'victims',
        streamId: v,
        command: { kind: 'give-update', caseId, victimId, about, channel: 'phone', triggerEventId, at: new Date(told).toISOString() },
      });
    };
    if (ending !== 'no-suspect' && random.chance(0.92)) {
      const suspectId = random.uuid();
      const who = person();
      suspects.set(suspectId, who);
      const s = suspectStreamId(suspectId);
      const identified = reported + Math.min(random.days(12), (closes - reported) / DAY / 3) * DAY;
      add(identified, force, officer, {
        context: 'suspects',
        streamId: s,
        command: {
          kind: 'identify-suspect',
          caseId,
          suspectId,
          ...(variation ? vary(who, variation) : { name: who.name, dateOfBirth: who.dateOfBirth, pncId: who.pncId }),
          at: new Date(identified).toISOString(),
        },
      });
      // The case learns of its suspect (later a process manager's reaction to the identification).
      suspectKnown = add(identified + 60_000, force, officer, {
        context: 'cases',
        streamId: c,
        command: { kind: 'link-suspect', caseId, suspectId, at: new Date(identified + 60_000).toISOString() },
      });
      if (random.chance(0.7)) {
        const arrested = identified + random.days(10) * DAY;
        // Released before the charge (a day before the close) or any other ending, never after it.
        if (arrested < closes - 2 * DAY) {
          // The trigger events' ids are known in advance: they derive from each step's idempotency key.
          const arrestEventId = deterministicUuid(force, `sim:${options.seed}:${n}`, s, '0');
          if (
            add(arrested, force, officer, {
              context: 'suspects',
              streamId: s,
              command: {
                kind: 'arrest-suspect',
                caseId,
                suspectId,
                custodyClockStartedAt: new Date(arrested + 600_000).toISOString(),
                at: new Date(arrested).toISOString(),
              },
            })
          ) {
            stage = 'suspect-arrest-or-interview';
            const released = arrested + 0.5 * DAY;
            const releaseEventId = deterministicUuid(force, `sim:${options.seed}:${n}`, s, '0');
            // About a third are bailed (3 months, a sergeant as custody officer); the rest released under investigation.
            const bailed = random.chance(0.35);
            const at = new Date(released).toISOString();
            add(released, force, officer, {
              context: 'suspects',
              streamId: s,
              command: bailed
                ? {
                    kind: 'grant-pre-charge-bail',
                    caseId,
                    suspectId,
                    authorisedBy: { officerId: officer, rank: 'sergeant' },
                    conditions: ['Not to contact the victim directly or indirectly'],
                    at,
                  }
                : { kind: 'release-under-investigation', caseId, suspectId, at },
            });
            if (!bailed) planRuiReviews(journey, suspectId, released, closes - 1.5 * DAY);
            // Most victims are told within the Victims' Code deadline; some are told late (a missed deadline).
            const told = released + (random.chance(0.18) ? random.int(8, 20) : random.next() * 3) * DAY;
            for (const [about, triggerEventId] of [
              ['suspect-arrested', arrestEventId],
              [bailed ? 'suspect-bailed' : 'suspect-released-under-investigation', releaseEventId],
            ] as const) {
              add(told, force, officer, {
                context: 'victims',
                streamId: v,
                command: {
                  kind: 'give-update',
                  caseId,
                  victimId,
                  about,
                  channel: 'phone',
                  triggerEventId,
                  at: new Date(told).toISOString(),
                },
              });
            }
          }
        }
      }
      // A charging file to the CPS for every charge, and for some evidential-difficulty endings (the CPS declines).
      const cpsDecision = ending === 'charge' ? 'charge' : ending === 'evidential' && random.chance(0.4) ? 'no-further-action' : undefined;
      const cpsReference = suspectKnown ? planCps(journey, suspectId, identified, cpsDecision) : `CPS-${code}-00000`;
      if (ending === 'charge') {
        const chargeEventId = journey.nextEventId(s);
        const cpsDecisionReference = cpsReference;
        if (
          add(closes - DAY, force, officer, {
            context: 'suspects',
            streamId: s,
            command: { kind: 'charge-suspect', caseId, suspectId, cpsDecisionReference, at: new Date(closes - DAY).toISOString() },
          })
        ) {
          tell(closes - DAY, 'suspect-charged', chargeEventId);
          const verdict = planCourt(journey, suspectId, closes - DAY);
          if (verdict) tell(verdict.at, 'court-verdict', verdict.eventId);
        }
      }
    }
    if (withdrew !== undefined) {
      const reason = random.weighted(REASONS);
      const account = reason === 'other' ? { account: 'Victim asked for the reason not to be recorded in detail.' } : {};
      add(withdrew, force, officer, {
        context: 'victims',
        streamId: v,
        command: { kind: 'withdraw-support', caseId, victimId, reason, stage, ...account, at: new Date(withdrew).toISOString() },
      });
    }
    // A charge needs a suspect: when none was identified (8% of cases), the investigation ends with outcome 18, as
    // does one with evidential difficulties and no suspect (14 is for a victim who does not support action). Every
    // outcome but 14, 18 and 20 names a suspect (docs/outcome-rules.md).
    const outcomeCode =
      ending === 'charge'
        ? suspectKnown
          ? 1
          : 18
        : ending === 'withdrawal'
          ? suspectKnown
            ? 16
            : 14
          : ending === 'evidential'
            ? suspectKnown
              ? 15
              : 18
            : ending === 'no-suspect'
              ? 18
              : random.pick(suspectKnown ? [10, 20, 21] : [20]);
    const outcomeEventId = deterministicUuid(force, `sim:${options.seed}:${n}`, c, '0');
    if (
      add(closes, force, officer, {
        context: 'cases',
        streamId: c,
        command: { kind: 'record-outcome', caseId, outcomeCode, at: new Date(closes).toISOString() },
      }) &&
      outcomeCode !== 1
    )
      // Every outcome but a charge is a decision to take no further action: the victim is told, with the reasons.
      tell(closes, 'no-further-action', outcomeEventId);
  }
  steps.sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
  return { period: { start: new Date(start).toISOString(), end: new Date(end).toISOString() }, steps, suspects };
}
