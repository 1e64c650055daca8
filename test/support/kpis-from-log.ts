import pg from 'pg';

/**
 * An independent computation of the KPIs straight from the raw event log (`<schema>.events`), written without
 * #kpis, to check the system's figures against: the definitions of docs/kpis.md, read plainly.
 */
const OUTCOMES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 22];
const STAGES = [
  'reporting',
  'early-investigation',
  'suspect-arrest-or-interview',
  'digital-device-examination',
  'awaiting-charging-decision',
  'post-charge',
  'trial',
];
const T = 'uk.police.nom.';

interface Case {
  force: string;
  reported?: string;
  recorded?: string;
  cancelled: boolean;
  referred?: string;
  charged?: string;
  outcome?: number;
  closed?: string;
}
interface Victim {
  force: string;
  caseId: string;
  contacted: boolean;
  isva: boolean;
  withdrawn: boolean;
  stage?: string;
}
interface Duty {
  force: string;
  caseId: string;
  met: boolean;
  onTime: boolean;
  missed: boolean;
}

const min = (a: string | undefined, b: string): string => (a === undefined || Date.parse(b) < Date.parse(a) ? b : a);

export async function kpisFromLog(databaseUrl: string, eventStoreSchema: string, threshold: number | null): Promise<unknown> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ type: string; force: string; data: Record<string, unknown> }>(
    `SELECT type, force, data FROM ${eventStoreSchema}.events ORDER BY position`,
  );
  await client.end();

  const cases = new Map<string, Case>();
  const victims = new Map<string, Victim>();
  const duties = new Map<string, Duty>();
  const c = (force: string, id: string): Case => cases.get(id) ?? cases.set(id, { force, cancelled: false }).get(id)!;
  const v = (force: string, d: Record<string, unknown>): Victim =>
    victims.get(d['victimId'] as string) ??
    victims
      .set(d['victimId'] as string, { force, caseId: d['caseId'] as string, contacted: false, isva: false, withdrawn: false })
      .get(d['victimId'] as string)!;
  const u = (force: string, d: Record<string, unknown>): Duty =>
    // A duty per (victim, trigger event): one trigger opens a duty for every victim of the case.
    duties.get(`${d['victimId'] as string}/${d['triggerEventId'] as string}`) ??
    duties
      .set(`${d['victimId'] as string}/${d['triggerEventId'] as string}`, {
        force,
        caseId: d['caseId'] as string,
        met: false,
        onTime: false,
        missed: false,
      })
      .get(`${d['victimId'] as string}/${d['triggerEventId'] as string}`)!;
  for (const { type, force, data: d } of rows) {
    const s = (k: string): string => d[k] as string;
    if (type === `${T}cases.crime-recorded.v2` || type === `${T}cases.crime-recorded.v1`)
      Object.assign(c(force, s('caseId')), { reported: s('reportedAt'), recorded: s('recordedAt') });
    else if (type === `${T}cases.recording-cancelled.v1`) c(force, s('caseId')).cancelled = true;
    // Early advice is not a referral for a charging decision (docs/kpis.md): only a charging file is.
    else if (type === `${T}cases.charging-file-submitted.v1`)
      c(force, s('caseId')).referred = min(c(force, s('caseId')).referred, s('submittedAt'));
    else if (type === `${T}suspects.suspect-charged.v1`) c(force, s('caseId')).charged = min(c(force, s('caseId')).charged, s('chargedAt'));
    else if (type === `${T}cases.outcome-recorded.v1`)
      Object.assign(c(force, s('caseId')), { outcome: d['outcomeCode'] as number, closed: s('recordedAt') });
    else if (type === `${T}cases.case-reopened.v1`) Object.assign(c(force, s('caseId')), { outcome: undefined, closed: undefined });
    else if (type === `${T}victims.first-contact-made.v1`) v(force, d).contacted = true;
    else if (type === `${T}victims.referred-to-isva.v1`) v(force, d).isva = true;
    else if (type === `${T}victims.support-withdrawn.v1`) Object.assign(v(force, d), { withdrawn: true, stage: s('stage') });
    else if (type === `${T}victims.re-engaged.v1`) v(force, d).withdrawn = false;
    else if (type === `${T}victims.update-duty-opened.v1`) u(force, d);
    else if (type === `${T}victims.update-duty-met.v1`)
      Object.assign(u(force, d), { met: true, onTime: d['onTime'] === true, missed: u(force, d).missed || d['onTime'] !== true });
    else if (type === `${T}victims.update-deadline-missed.v1`) u(force, d).missed = true;
  }

  // Cells per force.
  const forces = [
    ...new Set(
      [...cases.values()]
        .map((x) => x.force)
        .concat(
          [...victims.values()].map((x) => x.force),
          [...duties.values()].map((x) => x.force),
        ),
    ),
  ].sort();
  const scopes = [...forces, 'NATION'];
  const counted = (id: string): Case | undefined => {
    const x = cases.get(id);
    return x && x.recorded !== undefined && !x.cancelled ? x : undefined;
  };
  type Table = { cells: Map<string, Map<string, number>>; samples: Map<string, Record<string, number[]>> };
  /** The cells and samples of the cases `inCohort` accepts (and their victims and duties), per scope. */
  const tableOf = (inCohort: (x: Case) => boolean): Table => {
    const cellsOf = new Map<string, Map<string, number>>();
    const samplesOf = new Map<string, Record<string, number[]>>();
    for (const force of scopes) {
      cellsOf.set(force, new Map());
      samplesOf.set(force, { toReferral: [], toCharge: [], toClosure: [] });
    }
    const bump = (force: string, cell: string): void => {
      for (const f of [force, 'NATION']) cellsOf.get(f)!.set(cell, (cellsOf.get(f)!.get(cell) ?? 0) + 1);
    };
    const sample = (force: string, interval: string, from: string, to: string): void => {
      for (const f of [force, 'NATION']) samplesOf.get(f)![interval]!.push((Date.parse(to) - Date.parse(from)) / 86_400_000);
    };
    const member = (id: string): Case | undefined => {
      const x = counted(id);
      return x && inCohort(x) ? x : undefined;
    };
    for (const [id, x] of cases) {
      if (!member(id)) continue;
      bump(x.force, 'recorded');
      if (x.referred) sample(x.force, 'toReferral', x.reported!, x.referred);
      if (x.charged) sample(x.force, 'toCharge', x.reported!, x.charged);
      if (x.outcome !== undefined) {
        bump(x.force, 'closed');
        bump(x.force, `outcome.${x.outcome}`);
        sample(x.force, 'toClosure', x.reported!, x.closed!);
      }
    }
    const withdrawnCases = new Set<string>();
    for (const x of victims.values()) {
      const theCase = member(x.caseId);
      if (!theCase || !x.contacted) continue;
      bump(x.force, 'contacted');
      if (x.isva) bump(x.force, 'isva');
      if (x.withdrawn && theCase.outcome !== undefined) {
        if (!withdrawnCases.has(x.caseId)) bump(x.force, 'withdrawnCases');
        withdrawnCases.add(x.caseId);
        bump(x.force, 'withdrawnVictims');
        bump(x.force, `stage.${x.stage}`);
      }
    }
    for (const x of duties.values()) {
      if (!member(x.caseId)) continue;
      if (x.missed) bump(x.force, 'missed');
      else if (x.met && x.onTime) bump(x.force, 'onTime');
      else continue;
      bump(x.force, 'decided');
    }
    for (const f of scopes) for (const [k, list] of Object.entries(samplesOf.get(f)!)) cellsOf.get(f)!.set(`n.${k}`, list.length);
    return { cells: cellsOf, samples: samplesOf };
  };

  // Suppression, as docs/kpis.md states it.
  const allCells = [
    'recorded',
    'closed',
    ...OUTCOMES.map((o) => `outcome.${o}`),
    'withdrawnCases',
    'withdrawnVictims',
    ...STAGES.map((s) => `stage.${s}`),
    'decided',
    'onTime',
    'missed',
    'contacted',
    'isva',
    'n.toReferral',
    'n.toCharge',
    'n.toClosure',
  ];
  const groups = [
    ['closed', OUTCOMES.map((o) => `outcome.${o}`)],
    ['withdrawnVictims', STAGES.map((s) => `stage.${s}`)],
    ['decided', ['onTime', 'missed']],
  ] as const;
  /** The cells one table hides at the threshold: primary, then secondary within and across scopes until stable. */
  const suppress = (table: Table, limit: number): Map<string, Map<string, string>> => {
    const hidden = new Map<string, Map<string, string>>();
    const value = (f: string, cell: string): number => table.cells.get(f)!.get(cell) ?? 0;
    for (const f of scopes) hidden.set(f, new Map(allCells.filter((cell) => value(f, cell) < limit).map((cell) => [cell, 'primary'])));
    let changed = true;
    while (changed) {
      changed = false;
      for (const f of scopes) {
        const h = hidden.get(f)!;
        for (const [total, members] of groups) {
          if (h.has(total) || members.filter((m) => h.has(m)).length !== 1) continue;
          const shown = members.filter((m) => !h.has(m));
          if (shown.length === 0) continue;
          let smallest = shown[0]!;
          for (const m of shown) if (value(f, m) < value(f, smallest)) smallest = m;
          h.set(smallest, 'secondary');
          changed = true;
        }
      }
      for (const cell of allCells) {
        if (hidden.get('NATION')!.has(cell) || forces.filter((f) => hidden.get(f)!.has(cell)).length !== 1) continue;
        const shown = forces.filter((f) => !hidden.get(f)!.has(cell));
        if (shown.length === 0) continue;
        let smallest = shown[0]!;
        for (const f of shown) if (value(f, cell) < value(smallest, cell)) smallest = f;
        hidden.get(smallest)!.set(cell, 'secondary');
        changed = true;
      }
    }
    return hidden;
  };

  // A force's own view: the whole history, nothing hidden. The national view: each calendar quarter of recording (UTC)
  // suppressed on its own; a cell of the whole is the sum of the quarters' and hidden where any quarter hides it.
  const quarterOf = (x: Case): number => {
    const d = new Date(x.recorded!);
    return d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3);
  };
  const quarters = [...new Set([...cases.keys()].filter((id) => counted(id)).map((id) => quarterOf(cases.get(id)!)))].sort((a, b) => a - b);
  const parts: { table: Table; hidden: Map<string, Map<string, string>> }[] =
    threshold === null
      ? [{ table: tableOf(() => true), hidden: new Map(scopes.map((f) => [f, new Map()])) }]
      : (quarters.length === 0 ? [undefined] : quarters).map((q) => {
          const table = tableOf((x) => q !== undefined && quarterOf(x) === q);
          return { table, hidden: suppress(table, threshold) };
        });
  const cellsOf = new Map(scopes.map((f) => [f, new Map<string, number>()]));
  const samplesOf = new Map(scopes.map((f): [string, Record<string, number[]>] => [f, { toReferral: [], toCharge: [], toClosure: [] }]));
  const hidden = new Map(scopes.map((f) => [f, new Map<string, string>()]));
  for (const part of parts) {
    for (const f of scopes) {
      for (const [cell, n] of part.table.cells.get(f)!) cellsOf.get(f)!.set(cell, (cellsOf.get(f)!.get(cell) ?? 0) + n);
      for (const [k, list] of Object.entries(part.table.samples.get(f)!)) samplesOf.get(f)![k]!.push(...list);
      for (const [cell, why] of part.hidden.get(f)!) if (hidden.get(f)!.get(cell) !== 'primary') hidden.get(f)!.set(cell, why);
    }
  }
  const value = (f: string, cell: string): number => cellsOf.get(f)!.get(cell) ?? 0;

  const report = (f: string): unknown => {
    const h = hidden.get(f)!;
    const count = (cell: string) => (h.has(cell) ? { suppressed: h.get(cell) } : { value: value(f, cell) });
    const rate = (n: string, d: string) => {
      if (h.has(n)) return { suppressed: h.get(n) };
      if (h.has(d)) return { suppressed: h.get(d) };
      return {
        numerator: value(f, n),
        denominator: value(f, d),
        rate: value(f, d) === 0 ? null : Math.round((value(f, n) / value(f, d)) * 10_000) / 10_000,
      };
    };
    const median = (interval: string) => {
      if (h.has(`n.${interval}`)) return { suppressed: h.get(`n.${interval}`) };
      const xs = [...samplesOf.get(f)![interval]!].sort((a, b) => a - b);
      if (xs.length === 0) return { n: 0, days: null };
      const m = xs.length % 2 === 1 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2;
      return { n: xs.length, days: Math.round(m * 10) / 10 };
    };
    return {
      cases: { recorded: count('recorded'), closed: count('closed') },
      chargeRate: rate('outcome.1', 'closed'),
      outcomeMix: Object.fromEntries(OUTCOMES.map((o) => [String(o), rate(`outcome.${o}`, 'closed')])),
      medianDays: { toReferral: median('toReferral'), toCharge: median('toCharge'), toClosure: median('toClosure') },
      victimWithdrawal: {
        share: rate('withdrawnCases', 'closed'),
        stages: Object.fromEntries(STAGES.map((s) => [s, rate(`stage.${s}`, 'withdrawnVictims')])),
      },
      victimsCodeTimeliness: rate('onTime', 'decided'),
      updateDeadlinesMissed: count('missed'),
      isvaReferralRate: rate('isva', 'contacted'),
    };
  };
  return { threshold, national: report('NATION'), forces: Object.fromEntries(forces.map((f) => [f, report(f)])) };
}
