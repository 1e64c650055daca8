import { CaseEventTypes as T, type CaseEvent, type DeviceOwnerRole, type ThirdPartyOutcome } from '#contracts';

/**
 * A device's extraction (docs/digital-material.md): requested with its notice; agreed or refused by a victim's or
 * witness's device user; agreement withdrawn before completion (the extraction stops); completed; returned.
 */
export type ExtractionStatus = 'requested' | 'agreed' | 'refused' | 'withdrawn' | 'completed' | 'returned';
export interface ExtractionState {
  readonly deviceOwner: DeviceOwnerRole;
  readonly status: ExtractionStatus;
  /** Since when the device is held: the user's agreement, or the request for a suspect's device (seized under PACE). */
  readonly heldSince?: string;
  /** Whole days it was held, once returned. */
  readonly retentionDays?: number;
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (0 for less than a day; never negative). */
export function wholeDaysBetween(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS));
}

type DigitalEvent = Extract<
  CaseEvent,
  {
    type:
      | typeof T.DeviceExtractionRequested
      | typeof T.DeviceExtractionAgreed
      | typeof T.DeviceExtractionRefused
      | typeof T.DeviceExtractionAgreementWithdrawn
      | typeof T.DeviceExtractionCompleted
      | typeof T.DeviceReturned
      | typeof T.ThirdPartyMaterialRequested
      | typeof T.ThirdPartyMaterialOutcomeRecorded
      | typeof T.ProblemProfileRecorded;
  }
>;

/** The part of the case's state the digital material keeps (case.state.ts). */
export interface WithDigital {
  readonly extractions: Readonly<Record<string, ExtractionState>>;
  readonly thirdPartyRequestIds: readonly string[];
  readonly thirdPartyOutcomes: Readonly<Record<string, ThirdPartyOutcome>>;
}

function withExtraction<S extends WithDigital>(state: S, extractionId: string, change: Partial<ExtractionState>): S {
  const current = state.extractions[extractionId];
  if (!current) return state;
  return { ...state, extractions: { ...state.extractions, [extractionId]: { ...current, ...change } } };
}

/** The digital material's events folded into the case's state (the problem profile changes nothing a decider reads). */
export function evolveDigital<S extends WithDigital>(state: S, event: DigitalEvent): S {
  switch (event.type) {
    case T.DeviceExtractionRequested: {
      const { extractionId, deviceOwner, requestedAt } = event.data;
      const extraction: ExtractionState = {
        deviceOwner,
        status: 'requested',
        ...(deviceOwner === 'suspect' ? { heldSince: requestedAt } : {}),
      };
      return { ...state, extractions: { ...state.extractions, [extractionId]: extraction } };
    }
    case T.DeviceExtractionAgreed:
      return withExtraction(state, event.data.extractionId, { status: 'agreed', heldSince: event.data.agreedAt });
    case T.DeviceExtractionRefused:
      return withExtraction(state, event.data.extractionId, { status: 'refused' });
    case T.DeviceExtractionAgreementWithdrawn:
      return withExtraction(state, event.data.extractionId, { status: 'withdrawn' });
    case T.DeviceExtractionCompleted:
      return withExtraction(state, event.data.extractionId, { status: 'completed' });
    case T.DeviceReturned: {
      const { extractionId, returnedAt, heldSince = state.extractions[extractionId]?.heldSince } = event.data;
      const retentionDays = event.data.retentionDays ?? (heldSince === undefined ? undefined : wholeDaysBetween(heldSince, returnedAt));
      return withExtraction(state, extractionId, { status: 'returned', ...(retentionDays === undefined ? {} : { retentionDays }) });
    }
    case T.ThirdPartyMaterialRequested:
      return { ...state, thirdPartyRequestIds: [...state.thirdPartyRequestIds, event.data.requestId] };
    case T.ThirdPartyMaterialOutcomeRecorded:
      return { ...state, thirdPartyOutcomes: { ...state.thirdPartyOutcomes, [event.data.requestId]: event.data.outcome } };
    case T.ProblemProfileRecorded:
      return state;
  }
}

export type { ThirdPartyOutcome };
