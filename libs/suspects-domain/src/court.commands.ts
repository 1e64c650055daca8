import type { CourtKind, DiscontinuanceGround, DiscontinuanceMethod, OffenceGroup, Verdict } from '#contracts';

/** A charged suspect's case at court (court.decider.ts); `at` is when it happened (ISO 8601 with an offset). */
interface AtCourt {
  readonly caseId: string;
  readonly suspectId: string;
  readonly at: string;
}

export interface CountResult {
  /** The count of the indictment (the charge's number). */
  readonly count: number;
  readonly offence: OffenceGroup;
  readonly verdict: Verdict;
}

export type CourtCommand =
  | (AtCourt & {
      readonly kind: 'record-first-hearing';
      readonly court: string;
      readonly courtKind: CourtKind;
      readonly sentToCrownCourt: boolean;
    })
  | (AtCourt & { readonly kind: 'list-trial'; readonly court: string; readonly trialDate: string })
  | (AtCourt & { readonly kind: 'start-trial'; readonly court: string })
  | (AtCourt & { readonly kind: 'record-verdict'; readonly results: readonly CountResult[] })
  | (AtCourt & { readonly kind: 'discontinue-prosecution'; readonly method: DiscontinuanceMethod; readonly grounds: DiscontinuanceGround });
