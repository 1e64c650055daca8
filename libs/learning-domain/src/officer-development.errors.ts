/** Why an officer development command was refused. Mapped once to HTTP by the API, never compared as text. */
export type OfficerDevelopmentRefusal =
  | 'already-enrolled'
  | 'already-accredited'
  | 'not-enrolled'
  | 'not-accredited'
  | 'own-wellbeing-check-in'
  | 'own-case-review'
  | 'case-not-reviewed'
  | 'lesson-already-recorded'
  | 'review-overdue-already-recorded';

export class OfficerDevelopmentRefused extends Error {
  override readonly name = 'OfficerDevelopmentRefused';
  constructor(
    readonly refusal: OfficerDevelopmentRefusal,
    message: string,
  ) {
    super(message);
  }
}

export function refuseOfficerCommand(refusal: OfficerDevelopmentRefusal, message: string): never {
  throw new OfficerDevelopmentRefused(refusal, message);
}
