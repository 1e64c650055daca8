import { PlatformEventTypes, type Decider, type ForceCode, type ForceOnboardedData, type ProjectionIsolation } from '#contracts';

/** The national team onboards a force onto the platform: its projections start (ADR 0013). */
export interface OnboardForce {
  readonly kind: 'onboard-force';
  readonly force: ForceCode;
  readonly isolation: ProjectionIsolation;
  readonly schema: string;
  readonly database: string | null;
  readonly at: string;
  readonly by: string;
}

export interface ForceOnboardingState {
  readonly onboarded?: ForceOnboardedData;
}

type ForceOnboardedEvent = { readonly type: typeof PlatformEventTypes.ForceOnboarded; readonly data: ForceOnboardedData };

export class OnboardingRefused extends Error {
  override readonly name = 'OnboardingRefused';
  constructor(
    readonly refusal: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Stream `force-onboarding-<force>` (national). Onboarding is idempotent: the same isolation again decides
 * nothing; another isolation is refused (moving a force's read models is a migration, not a command).
 */
export const forceOnboardingDecider: Decider<OnboardForce, ForceOnboardedEvent, ForceOnboardingState> = {
  initialState: {},
  decide(command, state) {
    if (state.onboarded) {
      if (state.onboarded.isolation === command.isolation) return [];
      throw new OnboardingRefused(
        'force-already-onboarded',
        `${command.force} is already onboarded with ${state.onboarded.isolation} isolation`,
      );
    }
    return [
      {
        type: PlatformEventTypes.ForceOnboarded,
        data: {
          force: command.force,
          isolation: command.isolation,
          schema: command.schema,
          database: command.database,
          onboardedAt: command.at,
          onboardedBy: command.by,
        },
      },
    ];
  },
  evolve(state, event) {
    return event.type === PlatformEventTypes.ForceOnboarded ? { onboarded: event.data } : state;
  },
};
