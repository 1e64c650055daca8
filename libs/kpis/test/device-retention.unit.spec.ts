import { randomUUID } from 'node:crypto';
import { CaseEventTypes as C } from '#contracts';
import { foldKpiFacts, forceMeasures, quarter, type Median } from '#kpis';
import { aCase, recorded } from '#testing';

/**
 * The device-retention measure (docs/kpis.md, `medianDays.deviceRetention`) against the days the case decider
 * records on a device's return (`retentionDays`, whole days from `heldSince`: the agreement; docs/digital-material.md).
 */
const Q1 = quarter(2026, 1);
const agreedAt = '2026-02-02T10:00:00.000Z';
const days = (median: Median): { n: number; days: number | null } => {
  if ('suppressed' in median) throw new Error('a force sees its own measures unsuppressed');
  return median;
};

/** A victim's device agreed, then returned (as the decider writes it, with heldSince and retentionDays). */
function device(caseId: string, returnedAt: string, retentionDays: number, extra: readonly { type: string; data: object }[] = []) {
  const extractionId = randomUUID();
  return [
    recorded(C.DeviceExtractionAgreed, { caseId, extractionId, agreedAt }),
    ...extra.map((e) => recorded(e.type, { caseId, extractionId, ...e.data })),
    recorded(C.DeviceReturned, { caseId, extractionId, returnedAt, heldSince: agreedAt, retentionDays }),
  ];
}

describe('device retention (the measure and the returned device agree)', () => {
  it("counts the same span as the return's retentionDays: from the agreement to the return", () => {
    const c = aCase().recorded(0);
    const events = [...c.events, ...device(c.caseId, '2026-02-13T10:00:00.000Z', 11)];
    expect(days(forceMeasures(foldKpiFacts(events), Q1).medianDays.deviceRetention)).toEqual({ n: 1, days: 11 });
  });

  it('keeps the exact span (to a tenth of a day) where the return records whole days: 11.25 days, retentionDays 11', () => {
    const c = aCase().recorded(0);
    const events = [...c.events, ...device(c.caseId, '2026-02-13T16:00:00.000Z', 11)];
    const { days: median } = days(forceMeasures(foldKpiFacts(events), Q1).medianDays.deviceRetention);
    expect(median).toBe(11.3);
    expect(Math.floor(median!)).toBe(11);
  });

  it('counts a device returned after its user withdrew their agreement, from the agreement', () => {
    const c = aCase().recorded(0);
    const withdrawn = { type: C.DeviceExtractionAgreementWithdrawn, data: { withdrawnAt: '2026-02-03T10:00:00.000Z' } };
    const events = [...c.events, ...device(c.caseId, '2026-02-05T10:00:00.000Z', 3, [withdrawn])];
    expect(days(forceMeasures(foldKpiFacts(events), Q1).medianDays.deviceRetention)).toEqual({ n: 1, days: 3 });
  });

  it("does not count a suspect's seized device (no agreement: the measure is of devices given by victims and witnesses)", () => {
    const c = aCase().recorded(0);
    const extractionId = randomUUID();
    const seized = recorded(C.DeviceReturned, {
      caseId: c.caseId,
      extractionId,
      returnedAt: '2026-02-13T10:00:00.000Z',
      heldSince: agreedAt,
      retentionDays: 11,
    });
    expect(days(forceMeasures(foldKpiFacts([...c.events, seized]), Q1).medianDays.deviceRetention)).toEqual({ n: 0, days: null });
  });

  it('counts a device in the period it was returned, not the one it was agreed in', () => {
    const c = aCase().recorded(0);
    const events = [...c.events, ...device(c.caseId, '2026-04-02T10:00:00.000Z', 59)];
    expect(days(forceMeasures(foldKpiFacts(events), Q1).medianDays.deviceRetention).n).toBe(0);
    expect(days(forceMeasures(foldKpiFacts(events), quarter(2026, 2)).medianDays.deviceRetention)).toEqual({ n: 1, days: 59 });
  });
});
