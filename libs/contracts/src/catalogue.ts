import type { CatalogueEntry } from './catalogue-entry.js';
import { CaseEventTypes, caseEventSchemas } from './cases.events.js';
import { LEARNING_EVENTS } from './learning.events.js';
import { SUSPECT_EVENTS } from './suspects.events.js';
import { VICTIM_EVENTS } from './victims.events.js';

export type { CatalogueEntry } from './catalogue-entry.js';

/** Version of the catalogue itself; forces adopt versions of the operating model (DESIGN.md section 1). */
export const CATALOGUE_VERSION = '2026.1';

const exampleCase = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';

const CASE_EVENTS: readonly CatalogueEntry[] = [
  {
    type: CaseEventTypes.CrimeRecorded,
    context: 'cases',
    summary: 'A reported rape or serious sexual offence was recorded as a crime under the Crime Recording Rules.',
    schema: caseEventSchemas[CaseEventTypes.CrimeRecorded],
    personalFields: [],
    example: {
      caseId: exampleCase,
      crimeReference: 'AS/26/004211',
      offence: 'rape-of-female-16-plus',
      reportedAt: '2026-11-02T21:14:00Z',
      recordedAt: '2026-11-03T08:30:00Z',
    },
  },
  {
    type: CaseEventTypes.InvestigationOpened,
    context: 'cases',
    summary: 'An investigation was opened on a recorded crime.',
    schema: caseEventSchemas[CaseEventTypes.InvestigationOpened],
    personalFields: [],
    example: { caseId: exampleCase, openedAt: '2026-11-03T09:00:00Z' },
  },
  {
    type: CaseEventTypes.InvestigatorAssigned,
    context: 'cases',
    summary: 'An investigator (officer in the case) was assigned; replaces any earlier assignment.',
    schema: caseEventSchemas[CaseEventTypes.InvestigatorAssigned],
    personalFields: [],
    example: { caseId: exampleCase, officerId: 'AS-4471', assignedAt: '2026-11-03T09:05:00Z' },
  },
  {
    type: CaseEventTypes.OutcomeRecorded,
    context: 'cases',
    summary: 'The investigation closed with a Home Office outcome type (1-18, 20-22).',
    schema: caseEventSchemas[CaseEventTypes.OutcomeRecorded],
    personalFields: [],
    example: { caseId: exampleCase, outcomeCode: 1, recordedAt: '2027-09-14T16:00:00Z' },
  },
];

/** Every event type of every context: one national vocabulary. */
export const EVENT_CATALOGUE: readonly CatalogueEntry[] = [...CASE_EVENTS, ...SUSPECT_EVENTS, ...VICTIM_EVENTS, ...LEARNING_EVENTS];

const byType = new Map(EVENT_CATALOGUE.map((entry) => [entry.type, entry]));

export function catalogueEntry(type: string): CatalogueEntry | undefined {
  return byType.get(type);
}

/** Schema id used as CloudEvents `dataschema`: resolvable in the catalogue, stable across releases. */
export function dataSchemaUri(type: string): string {
  return `urn:uk:police:nom:schema:${type}`;
}
