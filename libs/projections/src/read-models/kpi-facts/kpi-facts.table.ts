import { DUTY_STATUSES, OCCURRENCE_KINDS, type CaseFacts, type DutyFacts, type OccurrenceFacts, type VictimFacts } from '#kpis';
import { col, declareTable, type RowOf } from '../columns.js';

/**
 * The KPI facts' tables, declared once: the DDL and the row types derive from these, and the row types are checked
 * below to be exactly the facts the KPI functions (#kpis) compute from, so the table and the arithmetic cannot drift.
 */

/** One case: the instants and codes the case KPIs count. */
export const KPI_CASES = declareTable(
  'kpi_cases',
  {
    caseId: col.uuid(),
    force: col.text(),
    offence: col.text().nullable(),
    reportedAt: col.instant().nullable(),
    recordedAt: col.instant().nullable(),
    cancelled: col.boolean(),
    earlyAdviceAt: col.instant().nullable(),
    referredAt: col.instant().nullable(),
    chargedAt: col.instant().nullable(),
    firstArrestAt: col.instant().nullable(),
    firstInterviewAt: col.instant().nullable(),
    outcomeCode: col.integer().nullable(),
    closedAt: col.instant().nullable(),
    reopenedCount: col.integer(),
  },
  { key: ['caseId'], indexes: [['force']] },
);

/** One victim: first contact, ISVA referral, withdrawal. */
export const KPI_VICTIMS = declareTable(
  'kpi_victims',
  {
    victimId: col.uuid(),
    caseId: col.uuid(),
    force: col.text(),
    firstContactAt: col.instant().nullable(),
    isvaReferredAt: col.instant().nullable(),
    abeInterviewAt: col.instant().nullable(),
    withdrawn: col.boolean(),
    withdrawalStage: col.text().nullable(),
    withdrawalCount: col.integer(),
  },
  { key: ['victimId'], indexes: [['force']] },
);

/** One Victims' Code update duty (victim, triggering event): due, met on time or missed. */
export const KPI_DUTIES = declareTable(
  'kpi_duties',
  {
    dutyId: col.uuid(),
    victimId: col.uuid(),
    caseId: col.uuid(),
    force: col.text(),
    dueBy: col.instant().nullable(),
    status: col.oneOf(DUTY_STATUSES),
    missed: col.boolean(),
    metOnTime: col.boolean(),
  },
  { key: ['dutyId'], indexes: [['force']] },
);

/** One thing counted when it happens: a CPS charge, a bail or RUI release, a withdrawal, a flag, a tactic, a device. */
export const KPI_OCCURRENCES = declareTable(
  'kpi_occurrences',
  {
    occurrenceId: col.uuid(),
    caseId: col.uuid(),
    force: col.text(),
    kind: col.oneOf(OCCURRENCE_KINDS),
    at: col.instant().nullable(),
    since: col.instant().nullable(),
    category: col.text().nullable(),
    stage: col.text().nullable(),
  },
  { key: ['occurrenceId'], indexes: [['force']] },
);

/** Compile-time: each table's row is exactly the facts type of #kpis (both ways), or this file does not compile. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rowsAreTheFacts: [
  Same<RowOf<typeof KPI_CASES.declared>, CaseFacts>,
  Same<RowOf<typeof KPI_VICTIMS.declared>, VictimFacts>,
  Same<RowOf<typeof KPI_DUTIES.declared>, DutyFacts>,
  Same<RowOf<typeof KPI_OCCURRENCES.declared>, OccurrenceFacts>,
] = [true, true, true, true];
void rowsAreTheFacts;
