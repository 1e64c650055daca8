import {
  foldKpiFacts,
  forceMeasures,
  inPeriod,
  measureCountsOf,
  MEASURE,
  MEASURE_TABLE,
  nationalMeasures,
  NotWholeQuarters,
  parseOffenceGroup,
  parsePeriod,
  PeriodError,
  quarter,
  quartersOf,
  STOCK_CELLS,
  suppressCells,
  sumMeasureCounts,
  type Count,
  type KpiFacts,
  type Period,
  type Rate,
} from '#kpis';
import { aCase } from '#testing';

// aCase counts days from 1 January 2026: 2026-Q1 is days 0-89, Q2 days 90-180, Q3 days 181-272, Q4 days 273-364.
const Q1 = quarter(2026, 1);
const Q2 = quarter(2026, 2);
const measuresOf = (period: Period, ...cases: ReturnType<typeof aCase>[]) =>
  forceMeasures(foldKpiFacts(cases.flatMap((c) => c.events)), period);
const value = (count: Count): number => {
  if ('suppressed' in count) throw new Error('a force sees its own measures unsuppressed');
  return count.value;
};
const shown = (rate: Rate): { numerator: number; denominator: number; rate: number | null } => {
  if ('suppressed' in rate) throw new Error('a force sees its own measures unsuppressed');
  return rate;
};

describe('periods (docs/kpis.md, "Measures by period")', () => {
  it('reads a quarter, a financial year, from/to dates, and the rolling year from the injected date', () => {
    expect(parsePeriod({ period: '2025-Q3' }, '2026-12-05')).toEqual({ from: '2025-07-01', to: '2025-09-30', label: '2025-Q3' });
    expect(parsePeriod({ period: 'FY2024-25' }, '2026-12-05')).toEqual({ from: '2024-04-01', to: '2025-03-31', label: 'FY2024-25' });
    expect(parsePeriod({ from: '2025-05-01', to: '2025-06-15' }, '2026-12-05')).toMatchObject({ from: '2025-05-01', to: '2025-06-15' });
    // The four latest complete quarters before today's: on 14 November 2025, October 2024 to September 2025.
    expect(parsePeriod({}, '2025-11-14')).toEqual({ from: '2024-10-01', to: '2025-09-30', label: '12 months to 2025-09-30' });
    expect(parsePeriod({ period: 'rolling-12-months' }, '2026-01-01')).toMatchObject({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('refuses a malformed period, from/to with a period, a reversed range and an unknown offence group, naming the field', () => {
    const refusal = (run: () => unknown): { field: string; reason: string } => {
      try {
        run();
      } catch (error) {
        if (error instanceof PeriodError) return { field: error.field, reason: error.reason };
      }
      throw new Error('not refused');
    };
    expect(refusal(() => parsePeriod({ period: '2025-Q5' }, '2026-12-05')).field).toBe('/period');
    expect(refusal(() => parsePeriod({ period: 'FY2024-26' }, '2026-12-05')).field).toBe('/period');
    expect(refusal(() => parsePeriod({ period: '2025-Q1', from: '2025-01-01' }, '2026-12-05')).field).toBe('/period');
    expect(refusal(() => parsePeriod({ from: '2025-02-30', to: '2025-03-01' }, '2026-12-05')).field).toBe('/from');
    expect(refusal(() => parsePeriod({ from: '2025-03-01' }, '2026-12-05')).field).toBe('/to');
    expect(refusal(() => parsePeriod({ from: '2025-03-01', to: '2025-02-01' }, '2026-12-05')).reason).toMatch(/before from/);
    expect(refusal(() => parseOffenceGroup('rape')).field).toBe('/offences');
    expect(parseOffenceGroup(undefined)).toBe('all');
  });

  it('splits a period into whole quarters, or says it cannot', () => {
    expect(quartersOf(parsePeriod({ period: 'FY2024-25' }, '2026-12-05'))?.map((q) => q.label)).toEqual([
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
      '2025-Q1',
    ]);
    expect(quartersOf({ from: '2025-01-01', to: '2025-05-31', label: '' })).toBeUndefined();
    expect(quartersOf({ from: '2025-01-02', to: '2025-03-31', label: '' })).toBeUndefined();
  });

  it('places an instant by its date in London: 23:30 UTC on 30 June 2025 is 1 July, in the third quarter', () => {
    expect(inPeriod('2025-06-30T23:30:00Z', quarter(2025, 3))).toBe(true);
    expect(inPeriod('2025-06-30T23:30:00Z', quarter(2025, 2))).toBe(false);
    expect(inPeriod('2025-12-31T23:30:00Z', quarter(2025, 4))).toBe(true);
  });
});

describe('measures by period, given events', () => {
  it('counts offences recorded in the period, and outcomes assigned in it whenever the crime was recorded', () => {
    const m = measuresOf(
      Q2,
      aCase().recorded(10).outcome(16, 100), // recorded in Q1, outcome in Q2: the outcome counts in Q2, the offence in Q1
      aCase().recorded(95).charged(120).outcome(1, 130),
      aCase().recorded(100),
      aCase().recorded(100).outcome(14, 200), // outcome in Q3: not in Q2's outcomes
      aCase().recorded(100).cancelled(110), // a cancelled record is no crime
    );
    expect(value(m.offencesRecorded)).toBe(3);
    expect(value(m.outcomesAssigned.total)).toBe(2);
    expect(shown(m.outcomesAssigned.byCode['16']!)).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    // Charge rate: charge/summons outcomes assigned in the period over offences recorded in the period.
    expect(shown(m.chargeRate)).toEqual({ numerator: 1, denominator: 3, rate: 0.3333 });
    expect(shown(m.evidentialDifficulties['16'])).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    // Days from recording (not report) to charge, over the charge outcomes of the period.
    expect(m.medianDays.recordingToCharge).toEqual({ n: 1, days: 25 });
  });

  it('measures days to charge from recording, not from the report', () => {
    const m = measuresOf(Q2, aCase().recorded(0, 30).charged(120).outcome(1, 121));
    expect(m.medianDays.recordingToCharge).toEqual({ n: 1, days: 90 });
  });

  it('a reopened case counts its current outcome in the period it was assigned', () => {
    const reclosed = aCase().recorded(0).outcome(18, 20).reopened(60, 18).outcome(15, 100);
    expect(value(measuresOf(Q1, reclosed).outcomesAssigned.total)).toBe(0);
    expect(shown(measuresOf(Q2, reclosed).outcomesAssigned.byCode['15']!).numerator).toBe(1);
  });

  it('counts referrals for a charging decision (a case once, by its first charging file), never early advice', () => {
    const m = measuresOf(
      Q2,
      aCase().recorded(0).earlyAdvice(95),
      aCase().recorded(0).earlyAdvice(20).chargingFile(100).chargingFile(150),
      aCase().recorded(0).chargingFile(80), // referred in Q1
    );
    expect(value(m.referralsForChargingDecision)).toBe(1);
  });

  it('counts CPS decisions to charge, bail and RUI releases, repeat-suspect flags and disruption tactics in the period', () => {
    const m = measuresOf(
      Q2,
      aCase().recorded(0).cpsDecision(100).cpsDecision(110, 'no-further-action').bailed(95).releasedUnderInvestigation(96).bailed(10),
      aCase().recorded(0).releasedUnderInvestigation(120).releasedUnderInvestigation(130).flagged(140).disrupted(150).disrupted(20),
    );
    expect(value(m.cpsCharges)).toBe(1);
    expect(value(m.releases.total)).toBe(4);
    expect(shown(m.releases.bail)).toEqual({ numerator: 1, denominator: 4, rate: 0.25 });
    expect(shown(m.releases.underInvestigation)).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
    expect(value(m.repeatSuspectFlags)).toBe(1);
    expect(value(m.disruptionTactics)).toBe(1);
    expect(value(m.bailLapses)).toBe(0);
    const lapses = measuresOf(Q2, aCase().recorded(0).bailed(10).bailLapsed(100), aCase().recorded(0).bailed(10).bailLapsed(80));
    expect(value(lapses.bailLapses)).toBe(1);
  });

  it('counts disruption decisions (those choosing no tactic among them) and order breaches in the period', () => {
    const m = measuresOf(
      Q2,
      aCase().recorded(0).disruptionDecided(100).disruptionDecided(110, []).disruptionDecided(120, ['stalking-protection-order']),
      aCase().recorded(0).disruptionDecided(20, []).orderBreached(150).orderBreached(160, 'sexual-risk-order').orderBreached(200),
    );
    expect(value(m.disruptionDecisions.total)).toBe(3);
    expect(shown(m.disruptionDecisions.withoutTactics)).toEqual({ numerator: 1, denominator: 3, rate: 0.3333 });
    expect(value(m.orderBreaches)).toBe(2);
    expect(value(measuresOf(Q1, aCase().recorded(0).disruptionDecided(20, [])).disruptionDecisions.total)).toBe(1);
  });

  it('times CPS decisions per suspect from the submission of the file (CPS timeliness), and counts their charges', () => {
    const m = measuresOf(
      Q2,
      // decided in Q2 after 20, 40 and 90 days; a file submitted in Q1 counts when decided in Q2
      aCase().recorded(0).suspectDecision(80, 100).suspectDecision(100, 140, 'no-further-action'),
      aCase().recorded(0).suspectDecision(60, 150, 'further-investigation-requested'),
      aCase().recorded(0).suspectDecision(10, 50), // decided in Q1: not in Q2
      aCase().recorded(0).suspectDecision(150, 200), // decided in Q3
    );
    expect(m.medianDays.cpsFileToDecision).toEqual({ n: 3, days: 40 });
    expect(value(m.cpsCharges)).toBe(1);
    expect(measuresOf(Q1, aCase().recorded(0).suspectDecision(10, 50)).medianDays.cpsFileToDecision).toEqual({ n: 1, days: 40 });
  });

  it('counts withdrawals in the period by reason and stage', () => {
    const m = measuresOf(
      Q2,
      aCase().recorded(0).withdrew(100, 'early-investigation', undefined, 'fear-of-reprisal'),
      aCase().recorded(0).withdrew(101, 'digital-device-examination', undefined, 'digital-device-concerns'),
      aCase().recorded(0).withdrew(10, 'reporting'),
    );
    expect(value(m.withdrawals.total)).toBe(2);
    expect(shown(m.withdrawals.byReason['digital-device-concerns']!).numerator).toBe(1);
    expect(shown(m.withdrawals.byStage['early-investigation']!).numerator).toBe(1);
    expect(shown(m.withdrawals.byStage['reporting']!).numerator).toBe(0);
  });

  it("measures days from report to first contact, arrest and interview over those first made in the period, and a device's retention", () => {
    const m = measuresOf(
      Q2,
      aCase().recorded(90).contacted(92).arrested(100).interviewed(101).arrested(150),
      aCase().recorded(80).contacted(81).arrested(120).device(85, 125).device(86),
    );
    expect(m.medianDays.reportToFirstContact).toEqual({ n: 1, days: 2 });
    expect(m.medianDays.reportToArrest).toEqual({ n: 2, days: 25 });
    expect(m.medianDays.reportToInterview).toEqual({ n: 1, days: 11 });
    expect(m.medianDays.deviceRetention).toEqual({ n: 1, days: 40 });
  });

  it("measures days from report to a victim's first video-recorded (ABE) interview conducted in the period", () => {
    const m = measuresOf(
      Q2,
      // First interview in the period: counted from the report (day 88), not the recording (day 90).
      aCase().recorded(88, 90).contacted(92).abeInterviewed(100).abeInterviewed(120),
      // First interview before the period: a further one in it is not a first interview.
      aCase().recorded(50).abeInterviewed(60).abeInterviewed(100),
      // In the period, never interviewed; and interviewed in the period on a cancelled record.
      aCase().recorded(95),
      aCase().recorded(95).abeInterviewed(110).cancelled(111),
    );
    expect(m.medianDays.reportToAbeInterview).toEqual({ n: 1, days: 12 });
    const none = measuresOf(Q2, aCase().recorded(95));
    expect(none.medianDays.reportToAbeInterview).toEqual({ n: 0, days: null });
  });

  it('holds the open caseload at the period end, by time since recording', () => {
    // Q2 2026 ends on 30 June 2026: 6 months before is 30 December 2025 (day -2), 12 months 30 June 2025.
    const m = measuresOf(
      Q2,
      aCase().recorded(100),
      aCase().recorded(-3),
      aCase().recorded(-400),
      aCase().recorded(-400).outcome(16, 150), // closed before the end
      aCase().recorded(-400).outcome(16, 200), // closed after the end: open at the end of Q2
      aCase().recorded(200), // recorded after the end
    );
    expect(value(m.openCaseload.total)).toBe(4);
    expect(value(m.openCaseload.under6Months)).toBe(1);
    expect(value(m.openCaseload['6To12Months'])).toBe(1);
    expect(value(m.openCaseload.over12Months)).toBe(2);
  });

  it('keeps adult rape apart from the rape of children and other sexual offences', () => {
    const facts = foldKpiFacts(
      [
        aCase().recorded(100),
        aCase().recorded(100, 100, 'rape-of-male-16-plus'),
        aCase().recorded(100, 100, 'rape-of-female-under-13'),
        aCase().recorded(100, 100, 'sexual-assault'),
      ].flatMap((c) => c.events),
    );
    const recorded = (group: Parameters<typeof forceMeasures>[2]) => value(forceMeasures(facts, Q2, group).offencesRecorded);
    expect([recorded('adult-rape'), recorded('child-rape'), recorded('other-sexual-offences'), recorded('all')]).toEqual([2, 1, 1, 4]);
  });
});

/**
 * Differencing: an adversary holding every national answer for every run of consecutive quarters (overlapping
 * periods included) tries to solve for a hidden quarter's count. A quarter's count x_q is derivable exactly when its
 * unit vector lies in the span of the shown periods' indicator vectors (each shown period tells sum x_q over its
 * quarters); checked by Gaussian elimination over the rationals, for every cell of every scope.
 */
function derivable(shownPeriods: readonly (readonly number[])[], quarterCount: number, target: number): boolean {
  const rows = shownPeriods.map((r) => [...r]);
  const pivots: number[] = [];
  let rank = 0;
  for (let col = 0; col < quarterCount && rank < rows.length; col += 1) {
    const pivot = rows.findIndex((r, i) => i >= rank && r[col] !== 0);
    if (pivot === -1) continue;
    [rows[rank], rows[pivot]] = [rows[pivot]!, rows[rank]!];
    for (let i = 0; i < rows.length; i += 1) {
      if (i === rank || rows[i]![col] === 0) continue;
      const f = rows[i]![col]! / rows[rank]![col]!;
      rows[i] = rows[i]!.map((x, j) => x - f * rows[rank]![j]!);
    }
    pivots.push(col);
    rank += 1;
  }
  // e_target is in the row space iff reducing it by the pivot rows leaves nothing.
  const e: number[] = Array.from({ length: quarterCount }, (_, j) => (j === target ? 1 : 0));
  for (let i = 0; i < rank; i += 1) {
    const col = pivots[i]!;
    if (e[col] === 0) continue;
    const f = e[col]! / rows[i]![col]!;
    for (let j = 0; j < quarterCount; j += 1) e[j] = e[j]! - f * rows[i]![j]!;
  }
  return e.every((x) => Math.abs(x) < 1e-9);
}

describe('national measures: suppression holds across periods', () => {
  // Four forces over 2026; small counts in some quarters (wiltshire records 3 in Q2), more elsewhere.
  const perQuarter: Record<string, readonly number[]> = {
    wiltshire: [12, 3, 14, 12],
    dorset: [20, 25, 2, 30],
    kent: [40, 41, 42, 43],
    essex: [11, 12, 13, 9],
  };
  const quarterDay = [10, 100, 190, 280];
  const factsByForce = new Map<string, KpiFacts>(
    Object.entries(perQuarter).map(([force, counts]) => [
      force,
      foldKpiFacts(
        counts.flatMap((n, q) =>
          Array.from({ length: n }, (_, i) =>
            aCase(force)
              .recorded(quarterDay[q]! + (i % 5))
              .outcome(i % 3 === 0 ? 1 : 16, quarterDay[q]! + 30),
          ).flatMap((c) => c.events),
        ),
      ),
    ]),
  );
  const quarters = [1, 2, 3, 4].map((q) => quarter(2026, q));
  const runs: { period: Period; indicator: number[] }[] = [];
  for (let a = 0; a < 4; a += 1) {
    for (let b = a; b < 4; b += 1) {
      runs.push({
        period: { from: quarters[a]!.from, to: quarters[b]!.to, label: `${a}-${b}` },
        indicator: [0, 1, 2, 3].map((q) => (q >= a && q <= b ? 1 : 0)),
      });
    }
  }
  const flowCells = MEASURE_TABLE.cells.filter((c) => !STOCK_CELLS.includes(c) && !c.startsWith('days.'));

  /** For each scope and flow cell: the value shown for each run of quarters (undefined when hidden). */
  function shownByRun(answer: (period: Period) => Map<string, Map<string, number | undefined>>) {
    return runs.map((r) => ({ ...r, shown: answer(r.period) }));
  }
  function leaks(answers: ReturnType<typeof shownByRun>): string[] {
    const found: string[] = [];
    for (const scope of ['national', ...Object.keys(perQuarter)]) {
      for (const cell of flowCells) {
        const shownRows = answers.filter((a) => a.shown.get(scope)?.get(cell) !== undefined).map((a) => a.indicator);
        for (let q = 0; q < 4; q += 1) {
          const single = answers.find((a) => a.indicator.filter((x) => x === 1).length === 1 && a.indicator[q] === 1)!;
          if (single.shown.get(scope)?.get(cell) !== undefined) continue; // shown anyway
          if (derivable(shownRows, 4, q)) found.push(`${scope} ${cell} in Q${q + 1}`);
        }
      }
    }
    return found;
  }
  const cellsOf = (report: ReturnType<typeof nationalMeasures>['national']): Map<string, number | undefined> => {
    const out = new Map<string, number | undefined>();
    const count = (c: Count): number | undefined => ('suppressed' in c ? undefined : c.value);
    const numerator = (r: Rate): number | undefined => ('suppressed' in r ? undefined : r.numerator);
    out.set(MEASURE.recorded, count(report.offencesRecorded));
    out.set(MEASURE.assigned, count(report.outcomesAssigned.total));
    for (const [code, r] of Object.entries(report.outcomesAssigned.byCode)) out.set(MEASURE.outcome(Number(code)), numerator(r));
    return out;
  };

  it('lets no hidden quarter count be solved for from any set of answers over overlapping periods', () => {
    const answers = shownByRun((period) => {
      const m = nationalMeasures(factsByForce, period, 'all', 10);
      return new Map([['national', cellsOf(m.national)], ...Object.entries(m.forces).map(([f, r]) => [f, cellsOf(r)] as const)]);
    });
    // Hidden cells exist (wiltshire's Q2, dorset's Q3, ...) and none of them can be solved for.
    expect(
      answers
        .find((a) => a.period.label === '1-1')!
        .shown.get('wiltshire')!
        .get(MEASURE.recorded),
    ).toBeUndefined();
    expect(leaks(answers)).toEqual([]);
  });

  it('would leak if each period were suppressed on its own totals (the check above can fail)', () => {
    const naive = shownByRun((period) => {
      const forces = new Map([...factsByForce].map(([f, facts]) => [f, measureCountsOf(facts, period)]));
      const national = sumMeasureCounts([...forces.values()]);
      const hidden = suppressCells(forces, national, 10, MEASURE_TABLE);
      const cells = (counts: { cells: Readonly<Record<string, number>> }, h: ReadonlyMap<string, unknown>) =>
        new Map(flowCells.map((c) => [c, h.has(c) ? undefined : counts.cells[c]]));
      return new Map([
        ['national', cells(national, hidden.national)],
        ...[...forces].map(([f, counts]) => [f, cells(counts, hidden.forces.get(f)!)] as const),
      ]);
    });
    expect(leaks(naive)).toContain(`wiltshire ${MEASURE.recorded} in Q2`);
  });

  it('shows a period made of quarters as the sum of its shown quarters, and refuses one that is not made of whole quarters', () => {
    const half = nationalMeasures(factsByForce, { from: quarters[0]!.from, to: quarters[1]!.to, label: 'H1' });
    expect(half.quarters).toEqual(['2026-Q1', '2026-Q2']);
    expect(half.forces['kent']!.offencesRecorded).toEqual({ value: 81 });
    expect(half.forces['wiltshire']!.offencesRecorded).toEqual({ suppressed: 'primary' });
    expect(() => nationalMeasures(factsByForce, { from: '2026-01-01', to: '2026-02-28', label: '' })).toThrow(NotWholeQuarters);
  });
});
