/** Why a case command was refused. Mapped once to HTTP (libs/platform problem.ts), never compared as strings elsewhere. */
export type CaseRefusal =
  | 'case-already-recorded'
  | 'case-not-found'
  | 'report-not-found'
  | 'crime-not-recorded'
  | 'recording-cancelled'
  | 'invalid-reference'
  | 'invalid-offence-code'
  | 'invalid-time'
  | 'investigation-already-open'
  | 'already-decided-not-to-investigate'
  | 'investigation-not-open'
  | 'case-closed'
  | 'case-not-closed'
  | 'supervisor-is-investigator'
  | 'invalid-plan'
  | 'plan-not-suspect-focused'
  | 'no-investigation-plan'
  | 'unknown-line-of-enquiry'
  | 'line-of-enquiry-already-completed'
  | 'unknown-extraction'
  | 'extraction-already-requested'
  | 'invalid-extraction-scope'
  | 'invalid-notice'
  | 'agreement-already-recorded'
  | 'extraction-not-agreed'
  | 'extraction-already-completed'
  | 'extraction-not-completed'
  | 'device-already-returned'
  | 'third-party-request-already-made'
  | 'agreement-not-given'
  | 'device-not-held'
  | 'invalid-third-party-request'
  | 'victim-not-told'
  | 'unknown-third-party-request'
  | 'third-party-outcome-already-recorded'
  | 'invalid-problem-profile'
  | 'offence-after-report'
  | 'inconsistent-domestic-abuse-flag'
  | 'no-suspect-linked'
  | 'charging-file-already-submitted'
  | 'no-charging-file-submitted'
  | 'cps-reference-mismatch'
  | 'unknown-advice-request'
  | 'advice-already-given'
  | 'invalid-action-plan'
  | 'unknown-cps-action'
  | 'cps-action-already-completed'
  | 'suspect-not-linked'
  | 'threshold-test-only-to-charge'
  | 'threshold-conditions-not-met'
  | 'full-code-review-date-required'
  | 'invalid-review-date'
  | 'threshold-fields-not-expected'
  | 'action-plan-required'
  | 'action-plan-not-expected'
  | 'no-open-charging-file'
  | 'unknown-outcome-code'
  | 'outcome-needs-suspect'
  | 'outcome-not-applicable'
  | 'outcome-not-open-to-offence'
  | 'caution-needs-cps-agreement'
  | 'cps-agreement-not-expected'
  | 'outcome-needs-charge'
  | 'no-review-overturned'
  | 'no-cps-decision-to-review'
  | 'no-police-decision-to-review'
  | 'review-already-open'
  | 'unknown-review'
  | 'review-already-decided'
  | 'victim-not-of-case';

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

export function refuse(refusal: CaseRefusal, message: string, field?: string): never {
  throw new CaseCommandRefused(refusal, message, field);
}
