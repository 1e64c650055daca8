import { randomUUID } from 'node:crypto';
import { CaseEventTypes, type ForceCode, type NewEvent } from '#contracts';

/**
 * A valid catalogue event (investigation opened), the same shape as `anEvent(force)` in libs/testing. That lib
 * is excluded from the build (tsconfig.build.json), so dist/ has no `#testing` to import at run time.
 */
export function anEvent(force: ForceCode = 'avon-somerset', caseId: string = randomUUID()): NewEvent {
  return {
    id: randomUUID(),
    type: CaseEventTypes.InvestigationOpened,
    data: { caseId, openedAt: '2026-11-03T09:00:00.000Z' },
    metadata: {
      force,
      occurredAt: '2026-11-03T09:00:00.000Z',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: 'AS-4471',
      modelVersion: '2026.1',
      classification: 'OFFICIAL-SENSITIVE',
    },
  };
}

/** The stream id the cases API would use for a case. */
export function caseStream(caseId: string): string {
  return `case-${caseId}`;
}
