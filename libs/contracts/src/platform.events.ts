import { catalogueOf, defineEvent, schemasOf, typesOf, type DataMap, type EventUnion } from './event-definition.js';
import { FORCE_CODES } from './forces.js';
import { instantSchema, officerIdSchema, recordSchema } from './json-schema.js';
import { NATIONAL } from './scope.js';

/** The sealed logs (ADR 0009, ADR 0012). */
export const SEALED_LOG_NAMES = ['event-log', 'access-log'] as const;

/** The stream of the sealer's alarms: one per log. */
export function auditSealAlertStream(log: (typeof SEALED_LOG_NAMES)[number]): string {
  return `audit-seal-alerts-${log}`;
}

/** Where a force's read models live: its own schema of the shared database, or a database of its own. */
export const PROJECTION_ISOLATIONS = ['schema', 'database'] as const;
export type ProjectionIsolation = (typeof PROJECTION_ISOLATIONS)[number];

/** Stream of a force's onboarding: one per force, so that onboarding twice is refused by the log itself. */
export function forceOnboardingStream(force: string): string {
  return `force-onboarding-${force}`;
}

const identifier = { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' } as const;
const context = 'platform';

/** The platform itself: which forces it serves and how. National events, authored by the national team; each declared once (ADR 0036). */
const E = {
  ForceOnboarded: defineEvent({
    type: 'uk.police.nom.platform.force-onboarded.v1',
    context,
    summary:
      "A force was onboarded: the projector creates its topic, consumer group and schema (or database) and projects its events from the topic's beginning.",
    schema: recordSchema({
      force: { type: 'string', enum: [...FORCE_CODES] },
      isolation: { type: 'string', enum: [...PROJECTION_ISOLATIONS] },
      /** The PostgreSQL schema holding the force's read models (in the shared database, or in its own). */
      schema: identifier,
      /** The force's own database, when `isolation` is `database`; null otherwise. */
      database: { anyOf: [identifier, { type: 'null' }] },
      onboardedAt: instantSchema,
      /** Who onboarded it (a national-team member's id), never a name. */
      onboardedBy: officerIdSchema,
    }),
    example: {
      force: 'kent',
      isolation: 'schema',
      schema: 'force_kent',
      database: null,
      onboardedAt: '2026-11-28T09:00:00Z',
      onboardedBy: 'NT-0001',
    },
    scope: NATIONAL,
  }),
  /**
   * The sealer refused to extend a sealed log's chain (ADR 0023): its starting point does not match the newest
   * signed checkpoint it knows of. An alarm for the national team and every force: someone with database access
   * changed the log, its seals or its checkpoints. Holds no personal data (positions, a finding, a time).
   */
  AuditSealRefused: defineEvent({
    type: 'uk.police.nom.platform.audit-seal-refused.v1',
    context,
    summary:
      'The sealer refused to extend a sealed log: its start does not match the newest signed checkpoint it knows of, so ' +
      'the log, its seals or its checkpoints were changed in the database. Nothing is sealed until an operator looks; ' +
      'forces should verify with the checkpoints they kept (`audit verify --witness`).',
    schema: recordSchema({
      log: { type: 'string', enum: [...SEALED_LOG_NAMES] },
      /** The finding's kind, as `audit verify` names it (`checkpoint-regressed`, `checkpoint-mismatch`, `entry-deleted`, ...). */
      finding: { type: 'string', pattern: '^[a-z][a-z-]{1,62}$' },
      /** The position the finding names (decimal: positions are 64-bit). */
      position: { type: 'string', pattern: '^\\d{1,19}$' },
      detail: { type: 'string', minLength: 1, maxLength: 1000 },
      /** The key of the sealer that refused. */
      keyId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
      detectedAt: instantSchema,
    }),
    example: {
      log: 'access-log',
      finding: 'checkpoint-regressed',
      position: '811654676037632',
      detail: 'the newest signed checkpoint in the database is at 811654676037500, but one was signed at 811654676037700',
      keyId: '3f2a9c0d1e4b5a68',
      detectedAt: '2026-12-04T21:40:00Z',
    },
    scope: NATIONAL,
  }),
};

export const PlatformEventTypes = typesOf(E);
/** Each platform event's data, by name (inferred from its schema). */
export type PlatformEventData = DataMap<typeof E>;
export type ForceOnboardedData = PlatformEventData['ForceOnboarded'];
export type AuditSealRefusedData = PlatformEventData['AuditSealRefused'];
export type PlatformEvent = EventUnion<typeof E>;
export const platformEventSchemas = schemasOf(E);
/** The platform context's catalogue entries. */
export const PLATFORM_EVENTS = catalogueOf(E);
