import { randomUUID } from 'node:crypto';
import { forceKpis, foldKpiFacts, medianDays, type KpiReport, type Rate } from '#kpis';
import { aCase } from '#testing';

const kpisOf = (...cases: ReturnType<typeof aCase>[]): KpiReport => forceKpis(foldKpiFacts(cases.flatMap((c) => c.events)));
const shown = (rate: Rate): { numerator: number; denominator: number; rate: number | null } => {
  if ('suppressed' in rate) throw new Error('a force sees its own KPIs unsuppressed');
  return rate;
};

describe('KPI definitions (docs/kpis.md)', () => {
  it('charge rate and outcome mix count closed cases by their current outcome; open cases are not in either', () => {
    const kpis = kpisOf(
      aCase().recorded(0).charged(40).outcome(1, 41),
      aCase().recorded(0).outcome(14, 30),
      aCase().recorded(0).outcome(16, 30),
      aCase().recorded(0).outcome(16, 30),
      aCase().recorded(0),
    );
    expect(kpis.cases).toEqual({ recorded: { value: 5 }, closed: { value: 4 } });
    expect(shown(kpis.chargeRate)).toEqual({ numerator: 1, denominator: 4, rate: 0.25 });
    expect(shown(kpis.outcomeMix['16']!)).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
    expect(shown(kpis.outcomeMix['18']!)).toEqual({ numerator: 0, denominator: 4, rate: 0 });
  });

  it('no charge at all: a charge rate of 0, and no median days to charge (null, n 0)', () => {
    const kpis = kpisOf(aCase().recorded(0).outcome(18, 10), aCase().recorded(0).outcome(14, 20));
    expect(shown(kpis.chargeRate)).toEqual({ numerator: 0, denominator: 2, rate: 0 });
    expect(kpis.medianDays.toCharge).toEqual({ n: 0, days: null });
    expect(kpis.medianDays.toClosure).toEqual({ n: 2, days: 15 });
  });

  it('nothing closed: rates over closed cases are null, not zero', () => {
    const kpis = kpisOf(aCase().recorded(0));
    expect(shown(kpis.chargeRate)).toEqual({ numerator: 0, denominator: 0, rate: null });
  });

  it('a reopened case is open again (out of the outcome mix) until closed again, then counts once with its last outcome and closure', () => {
    const reopened = aCase().recorded(0).outcome(18, 10).reopened(20, 18);
    expect(kpisOf(reopened).cases.closed).toEqual({ value: 0 });
    reopened.charged(50).outcome(1, 60);
    const kpis = kpisOf(reopened);
    expect(shown(kpis.chargeRate)).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    expect(shown(kpis.outcomeMix['18']!).numerator).toBe(0);
    expect(kpis.medianDays.toClosure).toEqual({ n: 1, days: 60 });
  });

  it('days are counted from the report, not the recording; a referral is the first charging file, never early advice', () => {
    const kpis = kpisOf(aCase().recorded(0, 3).chargingFile(30).earlyAdvice(12).charged(45));
    expect(kpis.medianDays.toReferral).toEqual({ n: 1, days: 30 });
    expect(kpisOf(aCase().recorded(0).earlyAdvice(12)).medianDays.toReferral).toEqual({ n: 0, days: null });
    expect(kpis.medianDays.toCharge).toEqual({ n: 1, days: 45 });
  });

  it('the first charge of any suspect counts, whichever suspect stream arrives first', () => {
    const c = aCase().recorded(0).charged(50).charged(30);
    expect(kpisOf(c).medianDays.toCharge).toEqual({ n: 1, days: 30 });
    const reversed = aCase().recorded(0);
    reversed.events.unshift(
      ...aCase()
        .charged(30)
        .events.map((e) => ({ ...e, data: { ...(e.data as object), caseId: reversed.caseId } })),
    );
    expect(kpisOf(reversed).medianDays.toCharge).toEqual({ n: 1, days: 30 });
  });

  it('medians: odd and even samples', () => {
    expect(medianDays([5, 1, 3])).toBe(3);
    expect(medianDays([4, 1, 3, 2])).toBe(2.5);
    expect(medianDays([])).toBeNull();
    expect(medianDays([1 / 3])).toBe(0.3);
  });

  it('cancelled records and N100 reports that were never recorded are no crimes: not counted anywhere', () => {
    const kpis = kpisOf(aCase().recorded(0).cancelled(2).outcome(18, 3).contacted(0), aCase().contacted(0).isva(1));
    expect(kpis.cases.recorded).toEqual({ value: 0 });
    expect(shown(kpis.isvaReferralRate)).toEqual({ numerator: 0, denominator: 0, rate: null });
  });

  it('withdrawal then re-engagement is not a withdrawal; withdrawn again counts with the latest stage', () => {
    const reEngaged = aCase().recorded(0).contacted(0).withdrew(10, 'early-investigation').reEngaged(20).outcome(15, 30);
    const again = aCase()
      .recorded(0)
      .contacted(0)
      .withdrew(10, 'early-investigation')
      .reEngaged(20)
      .withdrew(40, 'awaiting-charging-decision')
      .outcome(16, 50);
    const kpis = kpisOf(reEngaged, again);
    expect(shown(kpis.victimWithdrawal.share)).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(shown(kpis.victimWithdrawal.stages['awaiting-charging-decision']!)).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    expect(shown(kpis.victimWithdrawal.stages['early-investigation']!).numerator).toBe(0);
  });

  it('withdrawal share counts closed cases only; a case with two withdrawn victims counts once, each victim in the stages', () => {
    const two = aCase().recorded(0);
    const second = randomUUID();
    two.contacted(0).contacted(0, second).withdrew(5, 'reporting').withdrew(6, 'early-investigation', second).outcome(14, 10);
    const open = aCase().recorded(0).contacted(0).withdrew(5, 'reporting');
    const kpis = kpisOf(two, open);
    expect(shown(kpis.victimWithdrawal.share)).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    expect(shown(kpis.victimWithdrawal.stages['reporting']!)).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
  });

  it("Victims' Code timeliness: met on time over met or missed; late and missed-then-met are one miss each; open and closed duties are undecided", () => {
    const c = aCase().recorded(0).contacted(0);
    c.duty(randomUUID(), 'on-time').duty(randomUUID(), 'on-time').duty(randomUUID(), 'late').duty(randomUUID(), 'missed-then-met');
    c.duty(randomUUID(), 'missed').duty(randomUUID(), 'open').duty(randomUUID(), 'closed');
    const kpis = kpisOf(c);
    expect(shown(kpis.victimsCodeTimeliness)).toEqual({ numerator: 2, denominator: 5, rate: 0.4 });
    expect(kpis.updateDeadlinesMissed).toEqual({ value: 3 });
  });

  it("Victims' Code timeliness: one trigger event opens a duty for each victim of the case, and each counts", () => {
    const second = randomUUID();
    const arrest = randomUUID();
    const c = aCase().recorded(0).contacted(0).contacted(0, second);
    c.duty(arrest, 'on-time').duty(arrest, 'missed', second);
    const kpis = kpisOf(c);
    expect(shown(kpis.victimsCodeTimeliness)).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(kpis.updateDeadlinesMissed).toEqual({ value: 1 });
  });

  it('ISVA referral rate: victims referred over victims contacted (a second referral counts once)', () => {
    const kpis = kpisOf(
      aCase().recorded(0).contacted(0).isva(1).isva(5),
      aCase().recorded(0).contacted(0),
      aCase().recorded(0).contacted(0),
    );
    expect(shown(kpis.isvaReferralRate)).toEqual({ numerator: 1, denominator: 3, rate: 0.3333 });
  });
});
