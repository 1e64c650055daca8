import type { CatalogueEntry } from './catalogue-entry.js';
import { FORCE_CODES } from './forces.js';
import { instantSchema, officerIdSchema, recordSchema } from './json-schema.js';
import { NATIONAL } from './scope.js';

/** The platform itself: which forces it serves and how. National events, authored by the national team. */
export const PlatformEventTypes = {
  ForceOnboarded: 'uk.police.nom.platform.force-onboarded.v1',
} as const;

/** Where a force's read models live: its own schema of the shared database, or a database of its own. */
export const PROJECTION_ISOLATIONS = ['schema', 'database'] as const;
export type ProjectionIsolation = (typeof PROJECTION_ISOLATIONS)[number];

export interface ForceOnboardedData {
  readonly force: (typeof FORCE_CODES)[number];
  readonly isolation: ProjectionIsolation;
  /** The PostgreSQL schema holding the force's read models (in the shared database, or in its own). */
  readonly schema: string;
  /** The force's own database, when `isolation` is `database`; null otherwise. */
  readonly database: string | null;
  readonly onboardedAt: string;
  /** Who onboarded it (a national-team member's id), never a name. */
  readonly onboardedBy: string;
}

/** Stream of a force's onboarding: one per force, so that onboarding twice is refused by the log itself. */
export function forceOnboardingStream(force: string): string {
  return `force-onboarding-${force}`;
}

const identifier = { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' } as const;

export const platformEventSchemas = {
  [PlatformEventTypes.ForceOnboarded]: recordSchema({
    force: { type: 'string', enum: [...FORCE_CODES] },
    isolation: { type: 'string', enum: [...PROJECTION_ISOLATIONS] },
    schema: identifier,
    database: { anyOf: [identifier, { type: 'null' }] },
    onboardedAt: instantSchema,
    onboardedBy: officerIdSchema,
  }),
} as const;

/** The platform context's catalogue entries. */
export const PLATFORM_EVENTS: readonly CatalogueEntry[] = [
  {
    type: PlatformEventTypes.ForceOnboarded,
    context: 'platform',
    summary:
      "A force was onboarded: the projector creates its topic, consumer group and schema (or database) and projects its events from the topic's beginning.",
    schema: platformEventSchemas[PlatformEventTypes.ForceOnboarded],
    personalFields: [],
    example: { force: 'kent', isolation: 'schema', schema: 'force_kent', database: null, onboardedAt: '2026-11-28T09:00:00Z', onboardedBy: 'NT-0001' },
    scope: NATIONAL,
  },
];
