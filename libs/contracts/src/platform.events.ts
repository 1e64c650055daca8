import type { CatalogueEntry } from './catalogue-entry.js';
import { FORCE_CODES } from './forces.js';
import { instantSchema, officerIdSchema, recordSchema } from './json-schema.js';
import { NATIONAL } from './scope.js';

/** The platform itself: which forces it serves and how. National events, authored by the national team. */
export const PlatformEventTypes = {
  ForceOnboarded: 'uk.police.nom.platform.force-onboarded.v1',
  AuditSealRefused: 'uk.police.nom.platform.audit-seal-refused.v1',
} as const;

/** The sealed logs (ADR 0009, ADR 0012). */
export const SEALED_LOG_NAMES = ['event-log', 'access-log'] as const;

/**
 * The sealer refused to extend a sealed log's chain (ADR 0023): its starting point does not match the newest
 * signed checkpoint it knows of. An alarm for the national team and every force: someone with database access
 * changed the log, its seals or its checkpoints. Holds no personal data (positions, a finding, a time).
 */
export interface AuditSealRefusedData {
  readonly log: (typeof SEALED_LOG_NAMES)[number];
  /** The finding's kind, as `audit verify` names it (`checkpoint-regressed`, `checkpoint-mismatch`, `entry-deleted`, ...). */
  readonly finding: string;
  /** The position the finding names (decimal: positions are 64-bit). */
  readonly position: string;
  readonly detail: string;
  /** The key of the sealer that refused. */
  readonly keyId: string;
  readonly detectedAt: string;
}

/** The stream of the sealer's alarms: one per log. */
export function auditSealAlertStream(log: (typeof SEALED_LOG_NAMES)[number]): string {
  return `audit-seal-alerts-${log}`;
}

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
  [PlatformEventTypes.AuditSealRefused]: recordSchema({
    log: { type: 'string', enum: [...SEALED_LOG_NAMES] },
    finding: { type: 'string', pattern: '^[a-z][a-z-]{1,62}$' },
    position: { type: 'string', pattern: '^\\d{1,19}$' },
    detail: { type: 'string', minLength: 1, maxLength: 1000 },
    keyId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    detectedAt: instantSchema,
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
  {
    type: PlatformEventTypes.AuditSealRefused,
    context: 'platform',
    summary:
      'The sealer refused to extend a sealed log: its start does not match the newest signed checkpoint it knows of, so ' +
      'the log, its seals or its checkpoints were changed in the database. Nothing is sealed until an operator looks; ' +
      'forces should verify with the checkpoints they kept (`audit verify --witness`).',
    schema: platformEventSchemas[PlatformEventTypes.AuditSealRefused],
    personalFields: [],
    example: {
      log: 'access-log',
      finding: 'checkpoint-regressed',
      position: '811654676037632',
      detail: 'the newest signed checkpoint in the database is at 811654676037500, but one was signed at 811654676037700',
      keyId: '3f2a9c0d1e4b5a68',
      detectedAt: '2026-12-04T21:40:00Z',
    },
    scope: NATIONAL,
  },
];
