import { col, declareTable, pageSchema, viewSchema, type OpenApiShape, type RowOf } from '../columns.js';

/** Victim engagement's tables, declared once: the row types, the DDL and the API's view all derive from these. */

export const DUTY_STATUSES = ['open', 'met', 'closed'] as const;

/** One victim's engagement: dates and codes only (no contact details, notes, accounts or summaries). */
export const VICTIM_ENGAGEMENT = declareTable(
  'victim_engagement',
  {
    victimId: col.uuid(),
    caseId: col.uuid(),
    firstContactAt: col.instant().nullable(),
    enhancedRights: col.boolean(),
    needsAssessedAt: col.instant().nullable(),
    isvaReferredAt: col.instant().nullable(),
    supportReferrals: col.integer(),
    withdrawn: col.boolean(),
    withdrawalStage: col.text().nullable(),
    withdrawalReasonCode: col.text().nullable(),
    withdrawnAt: col.instant().nullable(),
    reEngagedAt: col.instant().nullable(),
    lastContactAt: col.instant().nullable(),
    complaints: col.integer(),
    lastEventAt: col.instant(),
  },
  { key: ['victimId'], indexes: [['caseId']] },
);
export type VictimEngagementRow = RowOf<typeof VICTIM_ENGAGEMENT.declared>;

/** A Victims' Code update duty: its deadline and what became of it. */
export const VICTIM_UPDATE_DUTIES = declareTable(
  'victim_update_duties',
  {
    /** The duty: (victim, trigger event) – one trigger opens a duty for every victim of the case. */
    dutyId: col.uuid(),
    triggerEventId: col.uuid(),
    victimId: col.uuid(),
    caseId: col.uuid(),
    triggerKind: col.text().nullable(),
    triggeredAt: col.instant().nullable(),
    dueBy: col.instant().nullable(),
    status: col.oneOf(DUTY_STATUSES),
    missed: col.boolean(),
    missedAt: col.instant().nullable(),
    metAt: col.instant().nullable(),
    onTime: col.boolean().nullable(),
    closedAt: col.instant().nullable(),
  },
  { key: ['dutyId'], indexes: [['victimId'], ['status', 'dueBy']] },
);
export type UpdateDutyRow = RowOf<typeof VICTIM_UPDATE_DUTIES.declared>;

/** An open duty as the view shows it (from the duties table's columns). */
export interface OpenDuty {
  readonly triggerEventId: string;
  readonly trigger: string | null;
  readonly triggeredAt: string | null;
  readonly dueBy: string | null;
  readonly missed: boolean;
}

const duties = VICTIM_UPDATE_DUTIES.declared;
const OPEN_DUTY: OpenApiShape = viewSchema({
  triggerEventId: duties.triggerEventId,
  trigger: duties.triggerKind,
  triggeredAt: duties.triggeredAt,
  dueBy: duties.dueBy,
  missed: duties.missed.describe('The deadline passed without an update (the duty is still owed).'),
});

/** What `GET /forces/{force}/victim-engagement` answers per victim: the row, its open duties and missed deadlines. */
export type VictimEngagementView = VictimEngagementRow & { readonly openDuties: OpenDuty[]; readonly missedDeadlines: number };

export const VICTIM_ENGAGEMENT_VIEW: OpenApiShape = viewSchema(VICTIM_ENGAGEMENT.declared, {
  openDuties: { type: 'array', items: OPEN_DUTY },
  missedDeadlines: { type: 'integer', description: "Victims' Code update deadlines missed (met late included)." },
});
export const VICTIM_ENGAGEMENT_PAGE: OpenApiShape = pageSchema(VICTIM_ENGAGEMENT_VIEW);
