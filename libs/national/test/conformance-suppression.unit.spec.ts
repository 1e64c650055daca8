import { isSmall, suppressConformance, type RuleCounts } from '../src/index.js';

/** Small-count suppression of the national conformance report (threshold 10). */
describe('conformance suppression', () => {
  const T = 10;
  const rule = (met: number, total: number): Partial<RuleCounts> => ({ victimUpdatesOnTime: { met, total } });
  const sum = (...parts: Partial<RuleCounts>[]): Partial<RuleCounts> => {
    const met = parts.reduce((n, p) => n + (p.victimUpdatesOnTime?.met ?? 0), 0);
    const total = parts.reduce((n, p) => n + (p.victimUpdatesOnTime?.total ?? 0), 0);
    return rule(met, total);
  };

  it('hides a share whose occasions, met or missed counts are small', () => {
    expect(isSmall({ met: 5, total: 9 }, T)).toBe(true); // few occasions
    expect(isSmall({ met: 3, total: 200 }, T)).toBe(true); // few met
    expect(isSmall({ met: 195, total: 200 }, T)).toBe(true); // few missed: total - met singles out
    expect(isSmall({ met: 100, total: 200 }, T)).toBe(false);
    expect(isSmall(undefined, T)).toBe(true);
  });

  it('publishes met, total and share when nothing is small', () => {
    const kent = rule(60, 100);
    const report = suppressConformance(new Map([['kent', kent]]), kent, T);
    expect(report.forces.get('kent')!.victimUpdatesOnTime).toEqual({ met: 60, total: 100, share: 0.6 });
    expect(report.national.victimUpdatesOnTime).toEqual({ met: 60, total: 100, share: 0.6 });
    expect(report.national.chargesAfterSuspectFocusedAction).toEqual({ suppressed: true });
  });

  it('hides a second force when the nation and the other forces would give away the one hidden', () => {
    const kent = rule(60, 100);
    const essex = rule(40, 80);
    const surrey = rule(5, 50); // primary: 5 met
    const report = suppressConformance(
      new Map([
        ['kent', kent],
        ['essex', essex],
        ['surrey', surrey],
      ]),
      sum(kent, essex, surrey),
      T,
    );
    expect(report.forces.get('surrey')!.victimUpdatesOnTime).toEqual({ suppressed: true });
    // nation - kent - essex would be surrey's: the smallest shown force (essex, 80 occasions) is hidden too.
    expect(report.forces.get('essex')!.victimUpdatesOnTime).toEqual({ suppressed: true });
    expect(report.forces.get('kent')!.victimUpdatesOnTime).toEqual({ met: 60, total: 100, share: 0.6 });
    expect(report.national.victimUpdatesOnTime).toEqual({ met: 105, total: 230, share: 0.4565 });
  });

  it('needs no secondary suppression when the nation itself is hidden, or two forces already are', () => {
    const a = rule(2, 5);
    const b = rule(3, 6);
    const c = rule(50, 100);
    const report = suppressConformance(
      new Map([
        ['a', a],
        ['b', b],
        ['c', c],
      ]),
      sum(a, b, c),
      T,
    );
    expect(report.forces.get('c')!.victimUpdatesOnTime).toEqual({ met: 50, total: 100, share: 0.5 });
    expect(report.forces.get('a')!.victimUpdatesOnTime).toEqual({ suppressed: true });
    expect(report.forces.get('b')!.victimUpdatesOnTime).toEqual({ suppressed: true });
  });
});
