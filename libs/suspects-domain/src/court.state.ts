import { assertNever, SuspectEventTypes as T, type SuspectEvent, type Verdict } from '#contracts';

/**
 * Where a charged suspect's case stands at court (docs/evidence-and-court.md). `awaiting-retrial`: the jury could not
 * agree on some count; a retrial is listed, or the prosecution is stopped.
 */
export type CourtStage = 'first-hearing-held' | 'trial-listed' | 'trial-started' | 'awaiting-retrial' | 'concluded' | 'discontinued';

export interface CourtState {
  readonly stage: CourtStage;
  /** Sent to the Crown Court at the first hearing: the CPS stops it then by s23A or by offering no evidence. */
  readonly sentToCrownCourt: boolean;
  /** Counts with a final result (every verdict but a hung jury), by count number. */
  readonly decidedCounts: Readonly<Record<number, Verdict>>;
  /** When the latest court event happened: the next cannot be before it. */
  readonly lastAt: string;
}

/** The court events of a suspect's stream. */
export type CourtEvent = Extract<
  SuspectEvent,
  {
    readonly type:
      | typeof T.FirstHearingHeld
      | typeof T.TrialListed
      | typeof T.TrialStarted
      | typeof T.VerdictRecorded
      | typeof T.ProsecutionDiscontinued;
  }
>;

/** Folds a court event into the court state (undefined until the first hearing). */
export function evolveCourt(court: CourtState | undefined, event: CourtEvent): CourtState | undefined {
  switch (event.type) {
    case T.FirstHearingHeld:
      return { stage: 'first-hearing-held', sentToCrownCourt: event.data.sentToCrownCourt, decidedCounts: {}, lastAt: event.data.heldAt };
    case T.TrialListed:
      return court && { ...court, stage: 'trial-listed', lastAt: event.data.listedAt };
    case T.TrialStarted:
      return court && { ...court, stage: 'trial-started', lastAt: event.data.startedAt };
    case T.VerdictRecorded: {
      if (!court) return court;
      const decidedCounts = { ...court.decidedCounts };
      for (const r of event.data.results) if (r.verdict !== 'hung-jury') decidedCounts[r.count] = r.verdict;
      const hung = event.data.results.some((r) => r.verdict === 'hung-jury');
      return { ...court, stage: hung ? 'awaiting-retrial' : 'concluded', decidedCounts, lastAt: event.data.recordedAt };
    }
    case T.ProsecutionDiscontinued:
      // The CPS may stop a prosecution before the first hearing: the court state begins there.
      return { ...(court ?? { sentToCrownCourt: false, decidedCounts: {} }), stage: 'discontinued', lastAt: event.data.discontinuedAt };
    default:
      return assertNever(event);
  }
}
