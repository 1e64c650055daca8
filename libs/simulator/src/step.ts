import type { CaseCommand } from '#cases-domain';
import type { ForceCode } from '#contracts';
import type { SuspectCommand } from '#suspects-domain';
import type { VictimCommand } from '#victims-domain';

/** One step of a simulation plan: a command of one context, at its time, by an officer of a force. */
export type SimStep = {
  readonly at: string;
  readonly force: ForceCode;
  readonly streamId: string;
  readonly key: string;
  readonly officerId: string;
} & (
  | { readonly context: 'cases'; readonly command: CaseCommand }
  | { readonly context: 'suspects'; readonly command: SuspectCommand }
  | { readonly context: 'victims'; readonly command: VictimCommand }
);
