/** Why a suspect command was refused. Mapped once to HTTP (the suspects app), never compared as strings elsewhere. */
export type SuspectRefusal =
  | 'not-released-under-investigation'
  | 'invalid-review-date'
  | 'suspect-not-found'
  | 'suspect-already-identified'
  | 'case-mismatch'
  | 'invalid-reference'
  | 'invalid-time'
  | 'invalid-history-checks'
  | 'suspect-already-charged'
  | 'already-in-custody'
  | 'not-in-custody'
  | 'no-voluntary-interview-arranged'
  | 'not-on-bail'
  | 'not-in-custody-or-on-bail'
  | 'already-released-no-further-action'
  | 'bail-period-too-long'
  | 'rank-too-low'
  | 'court-authority-required'
  | 'within-police-authority'
  | 'bail-not-extended'
  | 'bail-lapsed'
  | 'repeat-flag-already-raised'
  | 'repeat-flag-not-raised'
  | 'invalid-linked-cases'
  | 'civil-order-already-applied-for'
  | 'civil-order-not-found'
  | 'civil-order-already-decided'
  | 'civil-order-too-short'
  | 'flag-review-already-recorded'
  | 'repeat-flag-not-reviewed'
  | 'disruption-already-decided'
  | 'invalid-disruption-decision'
  | 'civil-order-not-in-force'
  | 'breach-already-recorded'
  // a charged suspect's case at court (court.decider.ts)
  | 'not-charged'
  | 'proceedings-concluded'
  | 'first-hearing-already-held'
  | 'no-first-hearing'
  | 'trial-not-listed'
  | 'trial-already-started'
  | 'trial-not-started'
  | 'invalid-verdict'
  | 'count-already-decided'
  | 'discontinuance-method-not-available';

export class SuspectCommandRefused extends Error {
  override readonly name = 'SuspectCommandRefused';
  constructor(
    readonly refusal: SuspectRefusal,
    message: string,
    /** The command field that broke the rule, when one did (for problem+json). */
    readonly field?: string,
  ) {
    super(message);
  }
}

export function refuse(refusal: SuspectRefusal, message: string, field?: string): never {
  throw new SuspectCommandRefused(refusal, message, field);
}
