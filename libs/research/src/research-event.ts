import { dataSchemaUri, upcast, type RecordedEvent } from '#contracts';
import type { DateGranularity } from './coarsen.js';
import { coarsenDate } from './coarsen.js';
import { catalogueRules, sanitiseToJson, type SanitiseContext } from './field-policy.js';
import type { Pseudonyms } from './study-key.js';

/**
 * One exported event: the fixed columns of every format (JSON Lines carries them as CloudEvents attributes).
 * No value in it identifies anyone without the study key: ids are pseudonyms, times are period labels.
 */
export interface ResearchRow {
  /** 1-based order of the event in this export (the log's global positions are not exported). */
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly force: string;
  readonly stream: string;
  readonly revision: number;
  readonly occurred: string | null;
  readonly recorded: string | null;
  readonly modelVersion: string;
  readonly classification: string;
  /** Pseudonym of the officer, `system:<component>` for the backbone's own reactions, or null (erased). */
  readonly actor: string | null;
  readonly correlationId: string;
  readonly causationId: string;
  /** The pseudonymised payload, as JSON. */
  readonly data: string;
}

export const RESEARCH_COLUMNS = [
  'seq',
  'id',
  'type',
  'force',
  'stream',
  'revision',
  'occurred',
  'recorded',
  'modelVersion',
  'classification',
  'actor',
  'correlationId',
  'causationId',
  'data',
] as const satisfies readonly (keyof ResearchRow)[];

export interface Sanitised {
  /** The row, numbered (`seq`) and, for an erased actor, redacted by the exporter before it is written. */
  readonly row: { -readonly [K in keyof ResearchRow]: ResearchRow[K] };
  /** Raw subject ids the event is about (its stream, every id field of its data); never exported. */
  readonly subjects: readonly string[];
  /** Raw actor, to redact an erased officer. */
  readonly actor: string;
}

/**
 * Pseudonymises one recorded event (upcast to its current version first). Returns undefined for a type the
 * catalogue does not know: nothing of an undescribed payload can be judged safe.
 */
export function sanitiseEvent(recorded: RecordedEvent, pseudonyms: Pseudonyms, granularity: DateGranularity): Sanitised | undefined {
  const event = upcast(recorded);
  const rule = catalogueRules().get(event.type);
  if (rule === undefined) return undefined;
  const ctx: SanitiseContext = { pseudonyms, granularity, ids: [event.streamId] };
  const m = event.metadata;
  return {
    row: {
      seq: 0,
      id: pseudonyms.transient(event.id),
      type: event.type,
      force: m.force,
      stream: pseudonyms.pseudonym(event.streamId),
      revision: Number(event.revision),
      occurred: coarsenDate(m.occurredAt, granularity),
      recorded: coarsenDate(event.recordedAt, granularity),
      modelVersion: m.modelVersion,
      classification: m.classification,
      actor: m.actor.startsWith('system:') ? m.actor : pseudonyms.pseudonym(m.actor),
      correlationId: pseudonyms.transient(m.correlationId),
      causationId: pseudonyms.transient(m.causationId),
      data: sanitiseToJson(rule, event.data, ctx) ?? '{}',
    },
    subjects: ctx.ids,
    actor: m.actor,
  };
}

export const CE_RESEARCH_SOURCE_PREFIX = '/uk/police/nom/forces/';

const json = (value: string | null): string => JSON.stringify(value);
const PSEUDONYM = /^[A-Za-z0-9_-]{22}$/;
const typeParts = new Map<string, string>();
const forceParts = new Map<string, string>();
const envelopeParts = new Map<string, string>();

/** Constant parts of a line, serialised once per distinct value (a handful of types, forces and versions). */
function cached(map: Map<string, string>, key: string, make: () => string): string {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size < 10_000) map.set(key, value);
  }
  return value;
}

/**
 * CloudEvents 1.0 structured mode (JSON format): one object per line. `time` is left out on purpose: the spec
 * requires a precise RFC 3339 instant and the export only has period labels, carried by the extensions
 * `nomoccurred` and `nomrecorded`. Pseudonyms (base64url) are written without escaping: they need none.
 */
export function toCloudEvent(row: ResearchRow): string {
  const type = cached(typeParts, row.type, () => `,"type":${json(row.type)},"dataschema":${json(dataSchemaUri(row.type))}`);
  const force = cached(
    forceParts,
    row.force,
    () => `,"source":${json(`${CE_RESEARCH_SOURCE_PREFIX}${row.force}`)},"nomforce":${json(row.force)}`,
  );
  const envelope = cached(
    envelopeParts,
    `${row.modelVersion}\u0000${row.classification}`,
    () => `,"nommodelversion":${json(row.modelVersion)},"nomclassification":${json(row.classification)}`,
  );
  const actor = row.actor === null ? 'null' : PSEUDONYM.test(row.actor) ? `"${row.actor}"` : json(row.actor);
  return (
    `{"specversion":"1.0","id":"${row.id}"${force}${type},"subject":"${row.stream}","datacontenttype":"application/json"` +
    `,"nomsequence":${row.seq},"nomstreamrevision":${row.revision},"nomoccurred":${json(row.occurred)},"nomrecorded":${json(row.recorded)}` +
    `${envelope},"nomactor":${actor},"nomcorrelationid":"${row.correlationId}","nomcausationid":"${row.causationId}","data":${row.data}}`
  );
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const CSV_HEADER = `${RESEARCH_COLUMNS.join(',')}\r\n`;

/** RFC 4180: comma-separated, CRLF, quoted where needed; `data` is the payload as JSON. */
export function toCsvLine(row: ResearchRow): string {
  return `${RESEARCH_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;
}
