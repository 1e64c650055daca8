/** Why an operating-model command was refused. Mapped once to HTTP by the API, never compared as text. */
export type OperatingModelRefusal =
  | 'not-national-team'
  | 'not-force-administrator'
  | 'other-force'
  | 'invalid-version'
  | 'invalid-rules'
  | 'version-already-published'
  | 'version-not-newer'
  | 'version-not-published'
  | 'version-superseded'
  | 'version-already-superseded'
  | 'replacement-not-published'
  | 'replacement-not-newer'
  | 'version-already-adopted'
  | 'version-older-than-adopted';

export class OperatingModelRefused extends Error {
  override readonly name = 'OperatingModelRefused';
  constructor(
    readonly refusal: OperatingModelRefusal,
    message: string,
  ) {
    super(message);
  }
}

export function refuseModelCommand(refusal: OperatingModelRefusal, message: string): never {
  throw new OperatingModelRefused(refusal, message);
}
