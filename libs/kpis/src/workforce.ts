/**
 * Workforce measures from the caseload read model (issue 13, docs/kpis.md "Workforce"): the open investigations each
 * officer is the assigned investigator of, derived from the case streams (assignment, reassignment, closure,
 * reopening), and whether that officer holds a current accreditation (a programme with status `achieved`).
 */
export interface OpenCaseloadOfOfficer {
  /** Null for open investigations with no investigator assigned. */
  readonly officerId: string | null;
  readonly openCases: number;
  /** The officer's learning record: `{ [programme]: { status } }`; null when the officer has none. */
  readonly accreditations: Readonly<Record<string, { readonly status: string }>> | null;
}

export interface AccreditedCoverage {
  /** Open investigations (recorded, not closed or cancelled). */
  readonly openInvestigations: number;
  /** Of those, with an investigator assigned. */
  readonly assigned: number;
  /** Of those, whose investigator holds a current accreditation. */
  readonly accredited: number;
  /** accredited over openInvestigations (an unassigned investigation is not covered); null when none is open. */
  readonly share: number | null;
}

/** Whether an officer's learning record shows a current accreditation (achieved, not since lapsed). */
export function holdsCurrentAccreditation(accreditations: OpenCaseloadOfOfficer['accreditations']): boolean {
  return accreditations !== null && Object.values(accreditations).some((a) => a.status === 'achieved');
}

/** Accredited-investigator coverage: the share of open investigations whose assigned investigator is accredited. */
export function accreditedCoverage(rows: readonly OpenCaseloadOfOfficer[]): AccreditedCoverage {
  let openInvestigations = 0;
  let assigned = 0;
  let accredited = 0;
  for (const row of rows) {
    openInvestigations += row.openCases;
    if (row.officerId === null) continue;
    assigned += row.openCases;
    if (holdsCurrentAccreditation(row.accreditations)) accredited += row.openCases;
  }
  const share = openInvestigations === 0 ? null : Math.round((accredited / openInvestigations) * 10_000) / 10_000;
  return { openInvestigations, assigned, accredited, share };
}
