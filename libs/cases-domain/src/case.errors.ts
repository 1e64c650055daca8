/** Why a case command was refused. Mapped once to HTTP (apps/cases) and never compared as strings elsewhere. */
export type CaseRefusal =
  | 'case-already-recorded'
  | 'case-not-found'
  | 'investigation-already-open'
  | 'investigation-not-open'
  | 'case-closed'
  | 'unknown-outcome-code';

export class CaseCommandRefused extends Error {
  override readonly name = 'CaseCommandRefused';
  constructor(
    readonly refusal: CaseRefusal,
    message: string,
    /** The command field that broke the rule, when one did (for problem+json). */
    readonly field?: string,
  ) {
    super(message);
  }
}
