import { dataSchemaUri, upcast, type RecordedEvent } from '#contracts';
import type { DateGranularity } from './coarsen.js';
import { coarsenDate } from './coarsen.js';
import { catalogueRules, sanitise, type SanitiseContext } from './field-policy.js';

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
  'seq', 'id', 'type', 'force', 'stream', 'revision', 'occurred', 'recorded', 'modelVersion', 'classification', 'actor',
  'correlationId', 'causationId', 'data',
] as const satisfies readonly (keyof ResearchRow)[];

export interface Sanitised {
  readonly row: Omit<ResearchRow, 'seq'>;
  /** Raw subject ids the event is about (its stream, every id field of its data); never exported. */
  readonly subjects: readonly string[];
  /** Raw actor, to redact an erased officer. */
  readonly actor: string;
}

/**
 * Pseudonymises one recorded event (upcast to its current version first). Returns undefined for a type the
 * catalogue does not know: nothing of an undescribed payload can be judged safe.
 */
export function sanitiseEvent(recorded: RecordedEvent, pseudonym: (id: string) => string, granularity: DateGranularity): Sanitised | undefined {
  const event = upcast(recorded);
  const rule = catalogueRules().get(event.type);
  if (rule === undefined) return undefined;
  const ctx: SanitiseContext = { pseudonym, granularity, ids: [event.streamId] };
  const data = sanitise(rule, event.data, ctx) ?? {};
  const m = event.metadata;
  return {
    row: {
      id: pseudonym(event.id),
      type: event.type,
      force: m.force,
      stream: pseudonym(event.streamId),
      revision: Number(event.revision),
      occurred: coarsenDate(m.occurredAt, granularity),
      recorded: coarsenDate(event.recordedAt, granularity),
      modelVersion: m.modelVersion,
      classification: m.classification,
      actor: m.actor.startsWith('system:') ? m.actor : pseudonym(m.actor),
      correlationId: pseudonym(m.correlationId),
      causationId: pseudonym(m.causationId),
      data: JSON.stringify(data),
    },
    subjects: ctx.ids,
    actor: m.actor,
  };
}

export const CE_RESEARCH_SOURCE_PREFIX = '/uk/police/nom/forces/';

/**
 * CloudEvents 1.0 structured mode (JSON format): one object per line. `time` is left out on purpose: the spec
 * requires a precise RFC 3339 instant and the export only has period labels, carried by the extensions
 * `nomoccurred` and `nomrecorded`.
 */
export function toCloudEvent(row: ResearchRow): string {
  return (
    `{"specversion":"1.0","id":${JSON.stringify(row.id)},"source":${JSON.stringify(`${CE_RESEARCH_SOURCE_PREFIX}${row.force}`)}` +
    `,"type":${JSON.stringify(row.type)},"subject":${JSON.stringify(row.stream)},"datacontenttype":"application/json"` +
    `,"dataschema":${JSON.stringify(dataSchemaUri(row.type))},"nomsequence":${row.seq},"nomforce":${JSON.stringify(row.force)}` +
    `,"nomstreamrevision":${row.revision},"nomoccurred":${JSON.stringify(row.occurred)},"nomrecorded":${JSON.stringify(row.recorded)}` +
    `,"nommodelversion":${JSON.stringify(row.modelVersion)},"nomclassification":${JSON.stringify(row.classification)}` +
    `,"nomactor":${JSON.stringify(row.actor)},"nomcorrelationid":${JSON.stringify(row.correlationId)}` +
    `,"nomcausationid":${JSON.stringify(row.causationId)},"data":${row.data}}`
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
