import type {
  AgeBand,
  DeviceDataCategory,
  DeviceOwnerRole,
  DomesticAbuseFlag,
  RelationshipToSuspect,
  ThirdPartyHolder,
  ThirdPartyOutcome,
} from '#contracts';

interface OnCase {
  readonly caseId: string;
  /** When it happened (ISO 8601 with an offset). */
  readonly at: string;
}

/**
 * The written notice to a device's user (PCSC Act 2022 s39(3)): every part is required of a new request for a victim's
 * or witness's device (the decider refuses one left out); a suspect's device, seized under PACE, needs only what and why.
 */
export interface ExtractionNotice {
  readonly whatIsSought: string;
  readonly why: string;
  /** How long the extracted data will be kept. */
  readonly retention?: string;
  /** How it will be deleted. */
  readonly deletion?: string;
  /** The notice says the user may refuse (must be true). */
  readonly mayRefuse?: boolean;
  /** The notice says a refusal alone does not end the investigation (must be true). */
  readonly refusalDoesNotEndInvestigation?: boolean;
}

/** Why a third-party request may be made (PCSC Act 2022 s44A(3)-(4)); each statement must be true. */
export interface ThirdPartyNecessity {
  readonly reasonableLineOfEnquiry: boolean;
  readonly necessaryAndProportionate: boolean;
  /** Required, and true, of a counselling request (s44A(4)). */
  readonly substantialProbativeValue?: boolean;
  readonly reason: string;
}

/** The digital material's commands and the problem profile's (docs/digital-material.md). */
export type DigitalCommand =
  | (OnCase & {
      readonly kind: 'request-device-extraction';
      readonly extractionId: string;
      readonly deviceOwner: DeviceOwnerRole;
      readonly scope: { readonly from: string; readonly to: string; readonly dataCategories: readonly DeviceDataCategory[] };
      readonly notice: ExtractionNotice;
    })
  | (OnCase & { readonly kind: 'record-extraction-agreement'; readonly extractionId: string; readonly agreed: boolean })
  | (OnCase & { readonly kind: 'withdraw-extraction-agreement'; readonly extractionId: string })
  | (OnCase & { readonly kind: 'complete-device-extraction'; readonly extractionId: string })
  | (OnCase & { readonly kind: 'return-device'; readonly extractionId: string })
  | (OnCase & {
      readonly kind: 'request-third-party-material';
      readonly requestId: string;
      readonly holder: ThirdPartyHolder;
      readonly necessity: ThirdPartyNecessity;
      /** When the victim was told of the request: on or before it (PCSC Act 2022 s44B(3)(a)). */
      readonly victimToldAt: string;
    })
  | (OnCase & { readonly kind: 'record-third-party-outcome'; readonly requestId: string; readonly outcome: ThirdPartyOutcome })
  | (OnCase & {
      readonly kind: 'record-problem-profile';
      readonly offenceDate: string;
      readonly relationshipToSuspect: RelationshipToSuspect;
      readonly domesticAbuse: DomesticAbuseFlag;
      readonly victimAgeBand: AgeBand;
      readonly suspectAgeBand: AgeBand;
    });
