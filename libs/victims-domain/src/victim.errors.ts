/** Why a victim command was refused. Mapped once to HTTP by the victims app, never compared as strings elsewhere. */
export type VictimRefusal =
  | 'victim-not-found'
  | 'first-contact-already-made'
  | 'wrong-case'
  | 'invalid-instant'
  | 'no-enhanced-rights-category'
  | 'already-referred'
  | 'no-contact-channel'
  | 'contact-details-missing'
  | 'no-isva-referral'
  | 'channel-not-agreed'
  | 'no-special-measures'
  | 'vps-already-offered'
  | 'vps-not-offered'
  | 'letter-already-sent'
  | 'support-already-withdrawn'
  | 'support-not-withdrawn'
  | 'account-required'
  | 'unknown-update-duty'
  | 'update-does-not-match-duty'
  // the victim's evidence (evidence.decider.ts)
  | 'support-withdrawn'
  | 'abe-interview-already-planned'
  | 'abe-interview-not-planned'
  | 'abe-interview-already-conducted'
  | 'examination-already-referred'
  | 'examination-not-referred'
  | 'examination-already-concluded'
  | 'consent-not-recorded'
  | 'no-charge-known'
  | 'special-measures-application-exists'
  | 'unknown-special-measures-application'
  | 'special-measures-already-decided'
  | 'decision-does-not-match-application'
  | 'no-abe-recording'
  | 'pre-recorded-cross-examination-needs-video-evidence'
  | 'pre-recorded-cross-examination-not-granted'
  | 'pre-recorded-cross-examination-not-ordered'
  | 'pre-recorded-cross-examination-already-recorded'
  | 'stage-contradicts-case';

export class VictimCommandRefused extends Error {
  override readonly name = 'VictimCommandRefused';
  constructor(
    readonly refusal: VictimRefusal,
    message: string,
  ) {
    super(message);
  }
}

export function refuse(refusal: VictimRefusal, message: string): never {
  throw new VictimCommandRefused(refusal, message);
}
