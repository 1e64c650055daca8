import { MEASURE, measureCountsOf, medianDays, ratio, sumMeasureCounts, type KpiFacts, type MeasureCounts, type Period } from '#kpis';

/**
 * The shapes of a simulated national history that DOMAIN's figures give (docs/simulator.md), measured the way the
 * official measures count (docs/kpis.md, measures by period), adult rape (19C and 19F) only, in one period:
 * * the median days from recording to charge, of the charges in the period (about 426 days for rape);
 * * the share of the outcomes assigned in the period that are 14 or 16, the victim not supporting action (55% of
 *   closed rape investigations in the year to March 2025);
 * * the charge rate (charge outcomes over offences recorded, both in the period) nationally and by force, with its
 *   spread (1.6% nationally in 2022; Avon and Somerset 17.4% by 2024 under the model).
 * Counts are the raw ones: these figures are for the simulator's own check, never served.
 */
export interface SimulationShapes {
  readonly period: string;
  readonly recorded: number;
  readonly outcomes: number;
  readonly medianDaysRecordingToCharge: number | null;
  readonly victimDoesNotSupportShare: number | null;
  readonly nationalChargeRate: number | null;
  /** Charge rate of each force with at least `minimumRecorded` offences recorded in the period. */
  readonly chargeRateByForce: Readonly<Record<string, number>>;
  readonly chargeRateSpread: { readonly lowest: number; readonly highest: number } | null;
}

export const SHAPE_TARGETS = {
  medianDaysRecordingToCharge: { target: 426, within: [362, 490] },
  victimDoesNotSupportShare: { target: 0.55, within: [0.5, 0.6] },
  nationalChargeRate: { target: 'between the 2022 national rate (1.6%) and the best force (17.4%)', within: [0.03, 0.1] },
  // About 100 adult rapes recorded there in two years of the test's history: the tolerance is twice the sampling error.
  avonSomersetChargeRate: { target: 0.174, within: [0.1, 0.25] },
  lowestForceChargeRate: { target: 'under 5%', within: [0, 0.05] },
} as const;

const cell = (counts: MeasureCounts, name: string): number => counts.cells[name] ?? 0;

export function simulationShapes(factsByForce: ReadonlyMap<string, KpiFacts>, period: Period, minimumRecorded = 40): SimulationShapes {
  const byForce = new Map([...factsByForce].map(([force, facts]) => [force, measureCountsOf(facts, period, 'adult-rape')]));
  const national = sumMeasureCounts([...byForce.values()]);
  const chargeRate = (counts: MeasureCounts) => ratio(cell(counts, MEASURE.outcome(1)), cell(counts, MEASURE.recorded));
  const chargeRateByForce: Record<string, number> = {};
  for (const [force, counts] of [...byForce].sort(([a], [b]) => a.localeCompare(b))) {
    const rate = chargeRate(counts);
    if (rate !== null && cell(counts, MEASURE.recorded) >= minimumRecorded) chargeRateByForce[force] = rate;
  }
  const rates = Object.values(chargeRateByForce);
  return {
    period: period.label,
    recorded: cell(national, MEASURE.recorded),
    outcomes: cell(national, MEASURE.assigned),
    medianDaysRecordingToCharge: medianDays(national.days.recordingToCharge),
    victimDoesNotSupportShare: ratio(
      cell(national, MEASURE.outcome(14)) + cell(national, MEASURE.outcome(16)),
      cell(national, MEASURE.assigned),
    ),
    nationalChargeRate: chargeRate(national),
    chargeRateByForce,
    chargeRateSpread: rates.length === 0 ? null : { lowest: Math.min(...rates), highest: Math.max(...rates) },
  };
}
