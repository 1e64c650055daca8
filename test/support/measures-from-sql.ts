import pg from 'pg';

/**
 * Measures by period recomputed straight from the event table with SQL, without #kpis (issue 13, "Done when"):
 * docs/kpis.md's definitions read plainly, per force, for a period of UK dates (both included).
 */
export interface SqlMeasures {
  readonly recorded: number;
  readonly assigned: number;
  readonly charged: number;
  readonly outcome16: number;
  readonly referrals: number;
  readonly cpsCharges: number;
  readonly bail: number;
  readonly rui: number;
}

const T = 'uk.police.nom.';
const LONDON = (expr: string): string => `((${expr})::timestamptz AT TIME ZONE 'Europe/London')::date`;

export async function measuresFromSql(databaseUrl: string, schema: string, from: string, to: string): Promise<Map<string, SqlMeasures>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const within = (expr: string): string => `${LONDON(expr)} BETWEEN $1::date AND $2::date`;
    const { rows } = await client.query<Record<keyof SqlMeasures | 'force', string>>(
      `WITH crimes AS (
         SELECT DISTINCT ON (data->>'caseId') force, data->>'caseId' AS case_id, data->>'recordedAt' AS recorded_at
         FROM ${schema}.events WHERE type IN ('${T}cases.crime-recorded.v1', '${T}cases.crime-recorded.v2')
         ORDER BY data->>'caseId', position DESC),
       live AS (
         SELECT c.* FROM crimes c WHERE NOT EXISTS (
           SELECT 1 FROM ${schema}.events e WHERE e.type = '${T}cases.recording-cancelled.v1' AND e.data->>'caseId' = c.case_id)),
       closure AS (
         SELECT DISTINCT ON (data->>'caseId') data->>'caseId' AS case_id, type, (data->>'outcomeCode')::int AS code,
                data->>'recordedAt' AS closed_at
         FROM ${schema}.events WHERE type IN ('${T}cases.outcome-recorded.v1', '${T}cases.case-reopened.v1')
         ORDER BY data->>'caseId', position DESC),
       referral AS (
         SELECT data->>'caseId' AS case_id, min((data->>'submittedAt')::timestamptz) AS referred_at
         FROM ${schema}.events WHERE type = '${T}cases.charging-file-submitted.v1' GROUP BY 1),
       happened AS (
         SELECT e.data->>'caseId' AS case_id, e.type, e.data->>'decision' AS decision,
                coalesce(e.data->>'decidedAt', e.data->>'bailedAt', e.data->>'releasedAt') AS at
         FROM ${schema}.events e
         WHERE e.type IN ('${T}cases.charging-decision-made.v1', '${T}cases.suspect-charging-decision-made.v1',
                          '${T}suspects.pre-charge-bail-granted.v1',
                          '${T}suspects.released-under-investigation.v1'))
       SELECT l.force,
         count(*) FILTER (WHERE ${within('l.recorded_at')}) AS recorded,
         count(*) FILTER (WHERE c.type = '${T}cases.outcome-recorded.v1' AND ${within('c.closed_at')}) AS assigned,
         count(*) FILTER (WHERE c.type = '${T}cases.outcome-recorded.v1' AND c.code = 1 AND ${within('c.closed_at')}) AS charged,
         count(*) FILTER (WHERE c.type = '${T}cases.outcome-recorded.v1' AND c.code = 16 AND ${within('c.closed_at')}) AS outcome16,
         count(*) FILTER (WHERE ${within('r.referred_at')}) AS referrals,
         (SELECT count(*) FROM happened h JOIN live x USING (case_id) WHERE x.force = l.force
            AND h.type IN ('${T}cases.charging-decision-made.v1', '${T}cases.suspect-charging-decision-made.v1')
            AND h.decision = 'charge' AND ${within('h.at')}) AS "cpsCharges",
         (SELECT count(*) FROM happened h JOIN live x USING (case_id) WHERE x.force = l.force
            AND h.type = '${T}suspects.pre-charge-bail-granted.v1' AND ${within('h.at')}) AS bail,
         (SELECT count(*) FROM happened h JOIN live x USING (case_id) WHERE x.force = l.force
            AND h.type = '${T}suspects.released-under-investigation.v1' AND ${within('h.at')}) AS rui
       FROM live l LEFT JOIN closure c USING (case_id) LEFT JOIN referral r USING (case_id)
       GROUP BY l.force`,
      [from, to],
    );
    return new Map(
      rows.map((r) => [
        r.force,
        {
          recorded: Number(r.recorded),
          assigned: Number(r.assigned),
          charged: Number(r.charged),
          outcome16: Number(r.outcome16),
          referrals: Number(r.referrals),
          cpsCharges: Number(r.cpsCharges),
          bail: Number(r.bail),
          rui: Number(r.rui),
        },
      ]),
    );
  } finally {
    await client.end();
  }
}
