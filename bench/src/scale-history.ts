import type pg from 'pg';
import { FORCE_CODES, offenceCodesOf, validateEvent, type ForceCode, type NewEvent, type RecordedEvent } from '#contracts';
import { FORCE_WEIGHT, OFFENCES } from '#simulator';

/*
 * The scale bench's national history (issue 14, item 7), seeded straight into the store's tables with INSERT ... SELECT
 * generate_series, shaped like the simulator's (libs/simulator): the 43 forces weighted as the simulator weighs them
 * (the Met six times an average force, the City of London a fifth), its offence mix, and per investigation a case
 * stream and a victim stream of ten valid catalogue events each (recorded, opened, assigned, suspect linked, CPS early
 * advice asked, given and acted on, reassigned, charging file, outcome; first contact, enhanced rights, ISVA referral,
 * ABE interview planned and held, five updates). So 10M events are 500k investigations and 1M streams. The log
 * interleaves investigations as a live one does: positions run in windows of 500 investigations, each window taking
 * every investigation's next event in turn, so a stream's events lie spread over its window, in revision order.
 * No type with personal fields is used (they are stored encrypted, per subject, ADR 0011; a seed in SQL cannot).
 */

/** Positions per window: the seeded sizes are whole windows, so that every seeded investigation is complete. */
export const SCALE_WINDOW_EVENTS = 10_000;
const WINDOW_INVESTIGATIONS = 500;
/** Events per investigation: two streams (case, victim) of ten. */
export const EVENTS_PER_INVESTIGATION = 20;

/** A cycle in which each value appears in proportion to its weight (the smallest weight at least once). */
export function weightedCycle<T>(choices: readonly (readonly [T, number])[]): T[] {
  const factor = Math.max(1, 1 / Math.min(...choices.map(([, w]) => w)));
  return choices.flatMap(([value, weight]) => Array.from({ length: Math.round(weight * factor) }, () => value));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A step through a cycle of `length` that visits every entry once per `length` investigations, spread out. */
export function coprimeStep(length: number, from = 7919): number {
  let step = from;
  while (gcd(step, length) !== 1) step += 1;
  return step;
}

/** The forces by the simulator's weights: investigation n belongs to FORCE_CYCLE[(n * FORCE_STEP) % length]. */
export const FORCE_CYCLE: readonly ForceCode[] = weightedCycle(FORCE_CODES.map((f) => [f, FORCE_WEIGHT[f] ?? 1] as const));
const FORCE_STEP = coprimeStep(FORCE_CYCLE.length);

export function forceOfInvestigation(n: number): ForceCode {
  return FORCE_CYCLE[(n * FORCE_STEP) % FORCE_CYCLE.length]!;
}

/** Events of `force` among the first `events` seeded positions (whole windows). */
export function seededEventsOf(force: ForceCode, events: number): number {
  let count = 0;
  for (let n = 0; n < events / EVENTS_PER_INVESTIGATION; n++) if (forceOfInvestigation(n) === force) count += 1;
  return count * EVENTS_PER_INVESTIGATION;
}

/** The offence mix: each entry of the offence cycle with one of its group's codes, in turn. */
const OFFENCE_CYCLE = weightedCycle(OFFENCES);
const OFFENCE_CODES = OFFENCE_CYCLE.map((offence, i) => {
  const codes = offenceCodesOf(offence);
  return codes[OFFENCE_CYCLE.slice(0, i).filter((o) => o === offence).length % codes.length]!;
});
/** Outcomes as the simulator's endings give them: the victim withdrawing (16), evidential difficulties (15), charge (1). */
const OUTCOME_CYCLE = weightedCycle([
  [16, 55],
  [15, 39],
  [1, 6],
] as const);

/** Event type of each step of an investigation (even: its case stream, odd: its victim stream; revision = step / 2). */
const STEP_TYPES = [
  'uk.police.nom.cases.crime-recorded.v2',
  'uk.police.nom.victims.first-contact-made.v1',
  'uk.police.nom.cases.investigation-opened.v1',
  'uk.police.nom.victims.enhanced-rights-recorded.v1',
  'uk.police.nom.cases.investigator-assigned.v1',
  'uk.police.nom.victims.referred-to-isva.v1',
  'uk.police.nom.cases.suspect-linked.v1',
  'uk.police.nom.victims.abe-interview-planned.v1',
  'uk.police.nom.cases.cps-early-advice-requested.v1',
  'uk.police.nom.victims.abe-interview-conducted.v1',
  'uk.police.nom.cases.cps-early-advice-given.v1',
  'uk.police.nom.victims.update-given.v1',
  'uk.police.nom.cases.cps-action-completed.v1',
  'uk.police.nom.victims.update-given.v1',
  'uk.police.nom.cases.investigator-assigned.v1',
  'uk.police.nom.victims.update-given.v1',
  'uk.police.nom.cases.charging-file-submitted.v1',
  'uk.police.nom.victims.update-given.v1',
  'uk.police.nom.cases.outcome-recorded.v1',
  'uk.police.nom.victims.update-given.v1',
];

/** Each step's data (SQL over the lateral columns of seedScaleHistory's query). */
const STEP_DATA = [
  `'crimeReference', upper(left(v.force, 2)) || '/' || lpad(p.n::text, 7, '0'), 'offence', v.offence, 'offenceCode', v.code,
   'n100Reference', NULL, 'reportedAt', v.reported, 'recordedAt', v.at`,
  `'victimId', v.victim_id, 'offence', v.offence, 'officerId', v.officer, 'channel', 'phone', 'madeAt', v.at`,
  `'openedAt', v.at`,
  `'victimId', v.victim_id, 'categories', jsonb_build_array('most-serious-crime'), 'source', 'offence-rule', 'recordedAt', v.at`,
  `'officerId', v.officer, 'assignedAt', v.at`,
  `'victimId', v.victim_id, 'isvaService', v.force || ' ISVA service', 'referredAt', v.at`,
  `'suspectId', md5('s' || p.n)::uuid, 'linkedAt', v.at`,
  `'victimId', v.victim_id, 'interviewId', md5('i' || p.n)::uuid, 'plannedFor', v.later, 'withIntermediary', false, 'plannedAt', v.at`,
  `'requestedAt', v.at, 'adviceRequestId', md5('a' || p.n)::uuid`,
  `'victimId', v.victim_id, 'interviewId', md5('i' || p.n)::uuid, 'recordingReference', 'VRI-' || p.n, 'conductedAt', v.at`,
  `'adviceRequestId', md5('a' || p.n)::uuid, 'cpsReference', 'CPS-' || upper(left(v.force, 2)) || '-' || p.n, 'advisedAt', v.at,
   'actionPlan', jsonb_build_array(jsonb_build_object('actionId', md5('x' || p.n)::uuid, 'category', 'digital-material', 'dueBy', v.due))`,
  null,
  `'actionId', md5('x' || p.n)::uuid, 'completedAt', v.at`,
  null,
  `'officerId', upper(left(v.force, 2)) || '-' || (1000 + (p.n * 7) % 9000), 'assignedAt', v.at`,
  null,
  `'cpsReference', 'CPS-' || upper(left(v.force, 2)) || '-' || p.n, 'submittedAt', v.at, 'suspectIds', jsonb_build_array(md5('s' || p.n)::uuid),
   'offenceCode', v.code`,
  null,
  `'outcomeCode', v.outcome, 'recordedAt', v.at`,
  null,
];
const UPDATE_GIVEN = `'victimId', v.victim_id, 'about', 'investigation-progress', 'channel', 'phone', 'givenAt', v.at`;

function instant(sql: string): string {
  return `to_char(${sql}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * Seeds positions `from`..`to` (1-based, whole windows) of the national history into `schema`'s events and streams
 * tables, one INSERT ... SELECT per 100k events. Positions are the ordinals (below any read horizon).
 */
export async function seedScaleHistory(client: pg.Client, schema: string, from: number, to: number): Promise<void> {
  if ((from - 1) % SCALE_WINDOW_EVENTS !== 0 || to % SCALE_WINDOW_EVENTS !== 0)
    throw new Error(`the scale history is seeded in whole windows of ${SCALE_WINDOW_EVENTS} events (got ${from}..${to})`);
  const data = STEP_DATA.map((fields, k) => `WHEN ${k} THEN jsonb_build_object('caseId', v.case_id, ${fields ?? UPDATE_GIVEN})`);
  const params = [FORCE_CYCLE, FORCE_STEP, OFFENCE_CYCLE, OFFENCE_CODES, OUTCOME_CYCLE, STEP_TYPES];
  for (let start = from; start <= to; start += 100_000) {
    const end = Math.min(to, start + 99_999);
    await client.query(
      `INSERT INTO ${schema}.streams (stream_id, force, revision)
       SELECT s.prefix || md5(s.seed || n)::uuid, ($1::text[])[1 + (n * $2::int) % cardinality($1::text[])], 9
         FROM generate_series($3::bigint, $4::bigint) AS n, (VALUES ('case-', 'c'), ('victim-', 'v')) AS s(prefix, seed)`,
      [FORCE_CYCLE, FORCE_STEP, (start - 1) / EVENTS_PER_INVESTIGATION, end / EVENTS_PER_INVESTIGATION - 1],
    );
    await client.query(
      `INSERT INTO ${schema}.events (position, event_id, stream_id, revision, type, force, data, metadata)
       SELECT p.i, md5('e' || p.i)::uuid, CASE WHEN p.k % 2 = 0 THEN 'case-' || v.case_id ELSE 'victim-' || v.victim_id END, p.k / 2,
              ($6::text[])[1 + p.k], v.force, CASE p.k ${data.join(' ')} END,
              jsonb_build_object('force', v.force, 'occurredAt', v.at, 'correlationId', md5('r' || p.i)::uuid, 'causationId',
                                 md5('r' || p.i)::uuid, 'actor', v.officer, 'modelVersion', '2026.1', 'classification', 'OFFICIAL-SENSITIVE')
         FROM generate_series($7::bigint, $8::bigint) AS i,
              LATERAL (SELECT i, ((i - 1) % ${SCALE_WINDOW_EVENTS}) / ${WINDOW_INVESTIGATIONS} AS k,
                              ((i - 1) / ${SCALE_WINDOW_EVENTS}) * ${WINDOW_INVESTIGATIONS} + (i - 1) % ${WINDOW_INVESTIGATIONS} AS n) AS p,
              LATERAL (SELECT timestamp '2021-01-01' + (p.n % 2190) * interval '1 day' + (p.n % 1440) * interval '1 minute' AS t0,
                              ($1::text[])[1 + (p.n * $2::int) % cardinality($1::text[])] AS force) AS b,
              LATERAL (SELECT md5('c' || p.n)::uuid AS case_id, md5('v' || p.n)::uuid AS victim_id, b.force,
                              upper(left(b.force, 2)) || '-' || (1000 + p.n % 9000) AS officer,
                              ($3::text[])[1 + p.n % cardinality($3::text[])] AS offence, ($4::text[])[1 + p.n % cardinality($4::text[])] AS code,
                              ($5::int[])[1 + (p.n * 7) % cardinality($5::int[])] AS outcome,
                              ${instant('b.t0')} AS reported, ${instant(`b.t0 + p.k * interval '9 days' + interval '7 hours'`)} AS at,
                              ${instant(`b.t0 + p.k * interval '9 days' + interval '23 days'`)} AS later,
                              to_char(b.t0 + p.k * interval '9 days' + interval '40 days', 'YYYY-MM-DD') AS due) AS v`,
      [...params, start, end],
    );
  }
}

/** Checks seeded events against the catalogue (the relay, rebuild and export must accept them): throws on the first fault. */
export function assertCatalogueEvents(events: readonly RecordedEvent[]): void {
  const types = new Set<string>();
  for (const event of events) {
    types.add(event.type);
    const asNew: NewEvent = { id: event.id, type: event.type, data: event.data, metadata: event.metadata };
    const violations = validateEvent(asNew);
    if (violations.length > 0)
      throw new Error(`seeded ${event.type} at ${event.position} is not a valid catalogue event: ${JSON.stringify(violations)}`);
  }
  const missing = STEP_TYPES.filter((t) => !types.has(t));
  if (missing.length > 0) throw new Error(`the sample holds no ${missing.join(', ')}`);
}
