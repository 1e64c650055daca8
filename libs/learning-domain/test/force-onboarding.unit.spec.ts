import { PlatformEventTypes, validateEvent } from '#contracts';
import { specFor, testMetadata } from '#testing';
import { forceOnboardingDecider, OnboardingRefused, type OnboardForce } from '../src/index.js';

const onboard = (isolation: 'schema' | 'database' = 'schema'): OnboardForce => ({
  kind: 'onboard-force',
  force: 'kent',
  isolation,
  schema: 'force_kent',
  database: isolation === 'database' ? 'force_kent' : null,
  at: '2026-11-28T09:00:00Z',
  by: 'NT-0001',
});

const onboarded = {
  type: PlatformEventTypes.ForceOnboarded,
  data: {
    force: 'kent',
    isolation: 'schema',
    schema: 'force_kent',
    database: null,
    onboardedAt: '2026-11-28T09:00:00Z',
    onboardedBy: 'NT-0001',
  },
} as const;

describe('force onboarding', () => {
  const spec = specFor(forceOnboardingDecider);

  it('onboards a force once, with a valid national catalogue event', () => {
    spec.given([]).when(onboard()).then([onboarded]);
    const event = { id: '9b2d7c1e-4f3a-4e8b-a6d5-0c1f2e3d4b5a', ...onboarded, metadata: testMetadata('kent', {}) };
    const national = { ...event.metadata, force: 'national' as const };
    expect(validateEvent({ ...event, metadata: national })).toEqual([]);
    expect(validateEvent(event)).toEqual([
      { field: '/metadata/force', reason: `must be national: ${PlatformEventTypes.ForceOnboarded} is a national event` },
    ]);
  });

  it('decides nothing when the force is onboarded again the same way, and refuses another isolation', () => {
    spec.given([onboarded]).when(onboard()).then([]);
    spec
      .given([onboarded])
      .when(onboard('database'))
      .thenThrows(OnboardingRefused, /already onboarded with schema isolation/);
  });
});
