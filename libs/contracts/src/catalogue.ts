import type { CatalogueEntry } from './catalogue-entry.js';
import { CASE_EVENTS } from './cases.events.js';
import { LEARNING_EVENTS } from './learning.events.js';
import { NATIONAL_EVENTS } from './national.events.js';
import { PRIVACY_EVENTS } from './privacy.events.js';
import { PLATFORM_EVENTS } from './platform.events.js';
import { SUSPECT_EVENTS } from './suspects.events.js';
import { VICTIM_EVENTS } from './victims.events.js';

export type { CatalogueEntry } from './catalogue-entry.js';

/** Version of the catalogue itself; forces adopt versions of the operating model (DESIGN.md section 1). */
export const CATALOGUE_VERSION = '2026.1';

/** Every event type of every context: one national vocabulary. */
export const EVENT_CATALOGUE: readonly CatalogueEntry[] = [
  ...CASE_EVENTS,
  ...SUSPECT_EVENTS,
  ...VICTIM_EVENTS,
  ...LEARNING_EVENTS,
  ...NATIONAL_EVENTS,
  ...PRIVACY_EVENTS,
  ...PLATFORM_EVENTS,
];

const byType = new Map(EVENT_CATALOGUE.map((entry) => [entry.type, entry]));

export function catalogueEntry(type: string): CatalogueEntry | undefined {
  return byType.get(type);
}

/**
 * Where the backbone serves its data schemas unless NOM_SCHEMA_BASE_URL says otherwise (ADR 0031): the operators'
 * public API address. `GET <base>/<type>` answers the JSON Schema of that event type and version, without a token.
 */
export const DEFAULT_SCHEMA_BASE_URL = 'https://api.nom.police.uk/schemas';

/**
 * The CloudEvents `dataschema` of an event type: an HTTPS URL the backbone serves (ADR 0031), one per type and
 * version, never changed once published (the compatibility check holds them).
 */
export function dataSchemaUri(type: string, baseUrl: string = DEFAULT_SCHEMA_BASE_URL): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(type)}`;
}

/** Each event type version of the catalogue as the compatibility check snapshots it (ADR 0034). */
export function catalogueSnapshots(): { type: string; schema: object; personalFields: readonly string[] }[] {
  return EVENT_CATALOGUE.map((entry) => ({ type: entry.type, schema: entry.schema, personalFields: [...entry.personalFields] }));
}
