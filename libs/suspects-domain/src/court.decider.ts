import { assertNever, SuspectEventTypes as T, type SuspectEvent } from '#contracts';
import type { CourtCommand } from './court.commands.js';
import type { CourtState } from './court.state.js';
import { refuse } from './suspect.errors.js';
import { requireDate, requireInstant, requireNotBefore } from './suspect.guards.js';
import type { SuspectState } from './suspect.state.js';

/**
 * A charged suspect's case at court (docs/evidence-and-court.md): first hearing, trial listed and started, the verdict
 * on each count, or the prosecution stopped by the CPS. Nothing happens at court before a charge; nothing after the
 * proceedings ended (every count decided, or the prosecution stopped); each step happens after the one before.
 */
export function decideCourt(command: CourtCommand, state: SuspectState): SuspectEvent[] {
  if (state.status !== 'charged') refuse('not-charged', 'the suspect has not been charged: there are no proceedings at court');
  requireInstant(command.at, 'at');
  const { court } = state;
  if (court?.stage === 'concluded' || court?.stage === 'discontinued') {
    refuse('proceedings-concluded', `the proceedings against the suspect have ended (${court.stage})`);
  }
  if (court) requireNotBefore(command.at, court.lastAt, 'at', 'cannot be before the last court event');
  const ids = { caseId: command.caseId, suspectId: command.suspectId };
  switch (command.kind) {
    case 'record-first-hearing':
      if (court) refuse('first-hearing-already-held', 'the first hearing is already recorded');
      return [
        {
          type: T.FirstHearingHeld,
          data: {
            ...ids,
            court: command.court,
            courtKind: command.courtKind,
            sentToCrownCourt: command.sentToCrownCourt,
            heldAt: command.at,
          },
        },
      ];
    case 'list-trial': {
      const listable = requireCourt(court);
      if (listable.stage === 'trial-started') refuse('trial-already-started', 'the trial has started: it is not listed again');
      requireDate(command.trialDate, 'trialDate');
      return [{ type: T.TrialListed, data: { ...ids, court: command.court, trialDate: command.trialDate, listedAt: command.at } }];
    }
    case 'start-trial': {
      const listed = requireCourt(court);
      if (listed.stage === 'trial-started') refuse('trial-already-started', 'the trial has already started');
      if (listed.stage !== 'trial-listed') refuse('trial-not-listed', 'no trial is listed');
      return [{ type: T.TrialStarted, data: { ...ids, court: command.court, startedAt: command.at } }];
    }
    case 'record-verdict':
      return recordVerdict(command, requireCourt(court));
    case 'discontinue-prosecution':
      if (court?.stage === 'trial-started') {
        refuse('trial-already-started', 'once the trial has started the prosecution ends with a verdict (record an acquittal)');
      }
      requireMethodFits(command.method, court);
      return [
        { type: T.ProsecutionDiscontinued, data: { ...ids, method: command.method, grounds: command.grounds, discontinuedAt: command.at } },
      ];
    default:
      return assertNever(command);
  }
}

function requireCourt(court: CourtState | undefined): CourtState {
  if (!court) refuse('no-first-hearing', 'the first hearing is not recorded');
  return court;
}

/**
 * One verdict event per trial (or plea hearing), every count it decided: a guilty plea needs no trial, any other
 * result does ("verdict before trial" is refused); a count decided before is not decided again, except one the jury
 * could not agree on (a retrial). Counts are numbered once each.
 */
function recordVerdict(command: Extract<CourtCommand, { kind: 'record-verdict' }>, court: CourtState): SuspectEvent[] {
  const { results } = command;
  if (results.length === 0) refuse('invalid-verdict', 'name the result of at least one count', 'results');
  const counts = results.map((r) => r.count);
  if (new Set(counts).size !== counts.length) refuse('invalid-verdict', 'each count has one result', 'results');
  if (counts.some((c) => !Number.isInteger(c) || c < 1 || c > 99)) refuse('invalid-verdict', 'a count is a number from 1 to 99', 'results');
  const decided = counts.filter((c) => court.decidedCounts[c] !== undefined);
  if (decided.length > 0) refuse('count-already-decided', `count ${decided.join(', ')} already has a result`);
  const byJury = results.some((r) => r.verdict !== 'guilty-plea');
  if (byJury && court.stage !== 'trial-started')
    refuse('trial-not-started', 'a verdict other than a guilty plea needs a trial that has started');
  return [
    {
      type: T.VerdictRecorded,
      data: {
        caseId: command.caseId,
        suspectId: command.suspectId,
        results: results.map(({ count, offence, verdict }) => ({ count, offence, verdict })),
        recordedAt: command.at,
      },
    },
  ];
}

/**
 * Prosecution of Offences Act 1985: s23 stops proceedings in the magistrates' court (not sent for trial); s23A a case
 * sent to the Crown Court (before the indictment is preferred); offering no evidence is the Crown Court's route.
 */
function requireMethodFits(
  method: Extract<CourtCommand, { kind: 'discontinue-prosecution' }>['method'],
  court: CourtState | undefined,
): void {
  const sent = court?.sentToCrownCourt ?? false;
  if (method === 'pos-1985-s23-notice' && sent) {
    refuse('discontinuance-method-not-available', 'the case was sent to the Crown Court: s23A or no evidence offered', 'method');
  }
  if (method !== 'pos-1985-s23-notice' && !sent) {
    refuse('discontinuance-method-not-available', 'the case is not at the Crown Court: a notice under s23', 'method');
  }
}
