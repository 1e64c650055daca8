import { dataSchemaUri, upcast, UPCASTERS, type EventMetadata, type RecordedEvent } from '#contracts';
import type { DateGranularity } from './coarsen.js';
import { coarsenDate } from './coarsen.js';
import { catalogueRules, sanitiseToJson, type SanitiseContext } from './field-policy.js';
import { recordedEventOfRow, type SelectedRow } from './selection-reader.js';
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
  const e = upcast(recorded);
  return sanitiseCurrent(e.type, e.id, e.streamId, Number(e.revision), e.recordedAt, e.data, e.metadata, pseudonyms, granularity);
}

/**
 * `sanitiseEvent` of a selected row, straight from its columns: the recorded event (two BigInts and an object per
 * event, on the export's hottest path) is made only for a superseded version, to upcast it.
 */
export function sanitiseSelected(row: SelectedRow, pseudonyms: Pseudonyms, granularity: DateGranularity): Sanitised | undefined {
  const type = row[4];
  if (UPCASTERS[type] !== undefined) return sanitiseEvent(recordedEventOfRow(row), pseudonyms, granularity);
  const recorded = row[7];
  const recordedAt = typeof recorded === 'string' ? recorded : recorded.toISOString();
  return sanitiseCurrent(type, row[1], row[2], Number(row[3]), recordedAt, row[5], row[6] as EventMetadata, pseudonyms, granularity);
}

/** An event in its current version, pseudonymised. */
function sanitiseCurrent(
  type: string,
  id: string,
  streamId: string,
  revision: number,
  recordedAt: string,
  data: unknown,
  m: EventMetadata,
  pseudonyms: Pseudonyms,
  granularity: DateGranularity,
): Sanitised | undefined {
  const rule = catalogueRules().get(type);
  if (rule === undefined) return undefined;
  const ctx: SanitiseContext = { pseudonyms, granularity, ids: [streamId] };
  return {
    row: {
      seq: 0,
      id: pseudonyms.transient(id),
      type,
      force: m.force,
      stream: pseudonyms.pseudonym(streamId),
      revision,
      occurred: coarsenDate(m.occurredAt, granularity),
      recorded: coarsenDate(recordedAt, granularity),
      modelVersion: m.modelVersion,
      classification: m.classification,
      actor: m.actor.startsWith('system:') ? m.actor : pseudonyms.pseudonym(m.actor),
      correlationId: pseudonyms.transient(m.correlationId),
      causationId: pseudonyms.transient(m.causationId),
      data: sanitiseToJson(rule, data, ctx) ?? '{}',
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
/** Model version, then classification: no key made per line. */
const envelopeParts = new Map<string, Map<string, string>>();

/**
 * Constant parts of a line are serialised once per distinct value (a handful of types, forces and versions) and
 * looked up by the value itself (`map.get(key) ?? remember(...)`: nothing is made per line but on a miss).
 */
function remember(map: Map<string, string>, key: string, value: string): string {
  if (map.size < 1_000) map.set(key, value);
  return value;
}

function envelopePart(modelVersion: string, classification: string): string {
  let byClassification = envelopeParts.get(modelVersion);
  if (byClassification === undefined) {
    byClassification = new Map();
    if (envelopeParts.size < 1_000) envelopeParts.set(modelVersion, byClassification);
  }
  return (
    byClassification.get(classification) ??
    remember(byClassification, classification, `,"nommodelversion":${json(modelVersion)},"nomclassification":${json(classification)}`)
  );
}

/**
 * CloudEvents 1.0 structured mode (JSON format): one object per line. `time` is left out on purpose: the spec
 * requires a precise RFC 3339 instant and the export only has period labels, carried by the extensions
 * `nomoccurred` and `nomrecorded`. Pseudonyms (base64url) are written without escaping: they need none.
 */
export function toCloudEvent(row: ResearchRow): string {
  return `${cloudEventHead(row)}${row.seq}${cloudEventTail(row)}`;
}

/**
 * A line of an export's text format in two pieces around its sequence number (`head` + seq + `tail` is the line,
 * newline included): the pieces can be made before the export knows the number (ADR 0049: made by the export's
 * workers, numbered in order by the writer).
 */
export interface LinePieces {
  head(row: ResearchRow): string;
  tail(row: ResearchRow): string;
}

/** `toCloudEvent` up to its sequence number. */
function cloudEventHead(row: ResearchRow): string {
  const type =
    typeParts.get(row.type) ?? remember(typeParts, row.type, `,"type":${json(row.type)},"dataschema":${json(dataSchemaUri(row.type))}`);
  const force =
    forceParts.get(row.force) ??
    remember(forceParts, row.force, `,"source":${json(`${CE_RESEARCH_SOURCE_PREFIX}${row.force}`)},"nomforce":${json(row.force)}`);
  return `{"specversion":"1.0","id":"${row.id}"${force}${type},"subject":"${row.stream}","datacontenttype":"application/json","nomsequence":`;
}

/** `toCloudEvent` after its sequence number. */
function cloudEventTail(row: ResearchRow): string {
  const envelope = envelopePart(row.modelVersion, row.classification);
  const actor = row.actor === null ? 'null' : PSEUDONYM.test(row.actor) ? `"${row.actor}"` : json(row.actor);
  return (
    `,"nomstreamrevision":${row.revision},"nomoccurred":${json(row.occurred)},"nomrecorded":${json(row.recorded)}` +
    `${envelope},"nomactor":${actor},"nomcorrelationid":"${row.correlationId}","nomcausationid":"${row.causationId}","data":${row.data}}`
  );
}

export const JSONL_PIECES: LinePieces = { head: cloudEventHead, tail: (row) => `${cloudEventTail(row)}\n` };

function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const CSV_HEADER = `${RESEARCH_COLUMNS.join(',')}\r\n`;

/** RFC 4180: comma-separated, CRLF, quoted where needed; `data` is the payload as JSON. */
export function toCsvLine(row: ResearchRow): string {
  return `${row.seq}${csvTail(row)}`;
}

/** A CSV line after its first column (`seq`). */
function csvTail(row: ResearchRow): string {
  let line = '';
  for (let i = 1; i < RESEARCH_COLUMNS.length; i++) line += `,${csvField(row[RESEARCH_COLUMNS[i]!])}`;
  return `${line}\r\n`;
}

export const CSV_PIECES: LinePieces = { head: () => '', tail: csvTail };
