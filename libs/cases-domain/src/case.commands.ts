import type { OffenceGroup } from '#contracts';

/** Commands carry time, ids and the actor: the decider has no clock and no random source (STYLE.md habit 1). */
export type CaseCommand =
  | {
      readonly kind: 'record-crime';
      readonly caseId: string;
      readonly crimeReference: string;
      readonly offence: OffenceGroup;
      readonly reportedAt: string;
      readonly at: string;
    }
  | { readonly kind: 'open-investigation'; readonly caseId: string; readonly at: string }
  | { readonly kind: 'assign-investigator'; readonly caseId: string; readonly officerId: string; readonly at: string }
  | { readonly kind: 'record-outcome'; readonly caseId: string; readonly outcomeCode: number; readonly at: string };
