import { randomUUID } from 'node:crypto';
import { CaseEventTypes, type EventMetadata, type ForceCode, type NewEvent } from '#contracts';

export function testMetadata(force: ForceCode = 'avon-somerset', overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    force,
    occurredAt: '2026-11-03T09:00:00.000Z',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: 'AS-4471',
    modelVersion: '2026.1',
    classification: 'OFFICIAL-SENSITIVE',
    ...overrides,
  };
}

/** A valid catalogue event (investigation opened) for store-level tests. */
export function anEvent(force: ForceCode = 'avon-somerset', caseId: string = randomUUID()): NewEvent {
  return {
    id: randomUUID(),
    type: CaseEventTypes.InvestigationOpened,
    data: { caseId, openedAt: '2026-11-03T09:00:00.000Z' },
    metadata: testMetadata(force),
  };
}
