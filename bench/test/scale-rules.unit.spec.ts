import { compareCost, fellBehind, judgeMemory, soakProblems, type MemorySample } from '../src/scale-rules.js';
import { coprimeStep, weightedCycle } from '../src/scale-history.js';

describe(compareCost.name, () => {
  it('meets the target when the large size costs at most 20% more per event', () => {
    const result = compareCost({ events: 1_000_000, seconds: 10 }, { events: 10_000_000, seconds: 119 });
    expect(result).toEqual({
      usPerEvent: { small: 10, large: 11.9 },
      eventsPerSec: { small: 100_000, large: 84_034 },
      costRatio: 1.19,
      meetsTarget: true,
    });
  });

  it('misses it beyond 20%, and not when the large size is cheaper', () => {
    expect(compareCost({ events: 1_000_000, seconds: 10 }, { events: 10_000_000, seconds: 121 })).toMatchObject({
      costRatio: 1.21,
      meetsTarget: false,
    });
    expect(compareCost({ events: 1_000_000, seconds: 10 }, { events: 10_000_000, seconds: 50 })).toMatchObject({
      costRatio: 0.5,
      meetsTarget: true,
    });
  });

  it('never meets it for a run that handled nothing', () => {
    expect(compareCost({ events: 0, seconds: 1 }, { events: 10, seconds: 1 }).meetsTarget).toBe(false);
    expect(compareCost({ events: 10, seconds: 1 }, { events: 0, seconds: 0 }).meetsTarget).toBe(false);
  });
});

describe(judgeMemory.name, () => {
  const sample = (atSec: number, rssMiB: number, heapUsedMiB?: number): MemorySample => ({
    atSec,
    rssMiB,
    ...(heapUsedMiB === undefined ? {} : { heapUsedMiB }),
  });

  it('is flat when RSS and live heap stay within 10% plus the slack of their start values', () => {
    const verdict = judgeMemory([sample(0, 300, 100), sample(900, 320, 104), sample(1800, 340, 117)], undefined, 1);
    expect(verdict).toMatchObject({ flat: true, rssGrowthMiB: 40, heapGrowthMiB: 17, rssSlopeMiBPerHour: 80, reasons: [] });
  });

  it('names the RSS when it grew too much', () => {
    const verdict = judgeMemory([sample(0, 300, 100), sample(1800, 347, 100)]);
    expect(verdict.flat).toBe(false);
    expect(verdict.reasons).toEqual(['RSS grew 47 MiB (300 -> 347), more than 46']);
  });

  it('names the live heap when it grew too much, and reports its slope per hour', () => {
    const verdict = judgeMemory([sample(0, 300, 100), sample(900, 300, 110), sample(1800, 300, 120)], undefined, 1);
    expect(verdict).toMatchObject({ flat: false, heapGrowthMiB: 20, heapSlopeMiBPerHour: 40 });
    expect(verdict.reasons).toEqual(['live heap grew 20 MiB (100 -> 120), more than 18']);
  });

  it('takes start and end as the medians of the first and last three samples: one peak decides nothing, a steady rise does', () => {
    const peakAtEnd = [200, 202, 198, 201, 199, 203, 200, 260].map((rss, i) => sample(i * 60, rss));
    expect(judgeMemory(peakAtEnd)).toMatchObject({ flat: true, rssGrowthMiB: 3 });
    const rising = [200, 205, 210, 215, 220, 225, 230, 235].map((rss, i) => sample(i * 60, rss));
    expect(judgeMemory(rising)).toMatchObject({ flat: true, rssGrowthMiB: 25 });
    const leaking = [200, 210, 220, 230, 240, 250, 260, 270].map((rss, i) => sample(i * 60, rss));
    expect(judgeMemory(leaking).reasons).toEqual(['RSS grew 50 MiB (210 -> 260), more than 37']);
  });

  it('judges the RSS alone for a process whose heap it cannot see', () => {
    expect(judgeMemory([sample(0, 200), sample(1800, 230)])).toMatchObject({ flat: true, heapGrowthMiB: null, heapSlopeMiBPerHour: null });
    expect(judgeMemory([sample(0, 200), sample(1800, 240)]).reasons).toEqual(['RSS grew 40 MiB (200 -> 240), more than 36']);
  });

  it('cannot judge from fewer than two samples', () => {
    expect(judgeMemory([sample(0, 300, 100)])).toMatchObject({ flat: false, reasons: ['fewer than two samples'] });
  });
});

describe(soakProblems.name, () => {
  it('is empty when every command was accepted and projected', () => {
    expect(soakProblems({ sent: 3, statuses: { 201: 3 }, projected: 3, pending: 0 })).toEqual([]);
  });

  it('names refused, unanswered and unprojected commands', () => {
    expect(soakProblems({ sent: 10, statuses: { 201: 6, 429: 2, 0: 1 }, projected: 5, pending: 1 })).toEqual([
      '1 of 10 commands got no answer',
      '3 of 10 commands refused (status none: 1, status 429: 2)',
      '1 accepted commands never reached the projection',
    ]);
  });

  it('fails a soak that sent nothing', () => {
    expect(soakProblems({ sent: 0, statuses: {}, projected: 0, pending: 0 })).toEqual(['no command was sent']);
  });
});

describe(fellBehind.name, () => {
  it('is undefined while the backlog stays within the allowed seconds of load', () => {
    expect(
      fellBehind(
        [
          { atSec: 0, backlog: 40 },
          { atSec: 60, backlog: 1000 },
        ],
        200,
        5,
      ),
    ).toBeUndefined();
  });

  it('names the worst backlog when it grew beyond them', () => {
    expect(
      fellBehind(
        [
          { atSec: 0, backlog: 40 },
          { atSec: 60, backlog: 9000 },
          { atSec: 120, backlog: 3000 },
        ],
        200,
        5,
      ),
    ).toBe('the services fell behind the load: 9000 commands in flight or not yet projected at 60 s (more than 5 s of load)');
  });
});

describe('the scale history shape', () => {
  it('weighs a cycle so that the lightest choice appears once', () => {
    expect(
      weightedCycle([
        ['met', 6],
        ['city', 0.2],
        ['durham', 1],
      ] as const),
    ).toEqual([...Array.from({ length: 30 }, () => 'met'), 'city', ...Array.from({ length: 5 }, () => 'durham')]);
    expect(
      weightedCycle([
        ['a', 58],
        ['b', 42],
      ] as const),
    ).toHaveLength(100);
  });

  it('steps through a cycle visiting every entry once per lap', () => {
    const step = coprimeStep(316);
    expect(new Set(Array.from({ length: 316 }, (_, n) => (n * step) % 316)).size).toBe(316);
    expect(coprimeStep(10, 4)).toBe(7);
  });
});
