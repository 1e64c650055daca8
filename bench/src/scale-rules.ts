/** The scale and soak benches' judgements (issue 14, item 7), pure so that unit tests hold them (bench/test/scale-rules.unit.spec.ts). */

/** What one stage did at one log size: how many events it handled and how long it took (wall clock). */
export interface StageRun {
  readonly events: number;
  readonly seconds: number;
}

export interface CostComparison {
  /** Wall-clock microseconds per event at the small and the large size. */
  readonly usPerEvent: { readonly small: number; readonly large: number };
  readonly eventsPerSec: { readonly small: number; readonly large: number };
  /** Cost per event at the large size over the small: 1.0 is flat, 1.2 is 20% dearer. */
  readonly costRatio: number;
  readonly meetsTarget: boolean;
}

const usPerEvent = (run: StageRun): number => (run.seconds * 1e6) / run.events;

/**
 * Per-event cost at the large size against the small one: the target holds when it is at most `tolerance` (20%)
 * dearer. Cheaper is fine (a large run amortises its start-up better). A run that handled nothing cannot hold it.
 */
export function compareCost(small: StageRun, large: StageRun, tolerance = 0.2): CostComparison {
  const valid = (run: StageRun): boolean => run.events > 0 && run.seconds > 0 && Number.isFinite(run.seconds);
  const ratio = valid(small) && valid(large) ? usPerEvent(large) / usPerEvent(small) : Number.NaN;
  const r2 = (x: number): number => Math.round(x * 100) / 100;
  return {
    usPerEvent: { small: r2(usPerEvent(small)), large: r2(usPerEvent(large)) },
    eventsPerSec: { small: Math.round(small.events / small.seconds), large: Math.round(large.events / large.seconds) },
    costRatio: Math.round(ratio * 1000) / 1000,
    meetsTarget: Number.isFinite(ratio) && ratio <= 1 + tolerance,
  };
}

/**
 * One memory sample of a long-running process (MiB). In this process: right after a full garbage collection, with
 * its live heap; in another process: its RSS as the kernel counts it (the median of a few readings), no heap.
 */
export interface MemorySample {
  /** Seconds since the soak's measured part began (0: the start sample, after the warm-up). */
  readonly atSec: number;
  readonly rssMiB: number;
  readonly heapUsedMiB?: number;
}

export interface MemoryVerdict {
  readonly flat: boolean;
  readonly rssGrowthMiB: number;
  readonly heapGrowthMiB: number | null;
  /** Least-squares slopes over all the samples, MiB per hour (a leak shows here before it shows at the end). */
  readonly rssSlopeMiBPerHour: number;
  readonly heapSlopeMiBPerHour: number | null;
  readonly reasons: readonly string[];
}

export interface FlatnessLimits {
  /** Growth allowed as a share of the start value (0.1: 10%). */
  readonly relative: number;
  /** Growth allowed on top of that for the RSS, MiB (allocator and code-space noise). */
  readonly rssSlackMiB: number;
  /** Growth allowed on top of that for the live heap, MiB. */
  readonly heapSlackMiB: number;
}

export const DEFAULT_FLATNESS: FlatnessLimits = { relative: 0.1, rssSlackMiB: 16, heapSlackMiB: 8 };

function slopePerHour(points: readonly (readonly [number, number])[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  return sxx === 0 ? 0 : (sxy / sxx) * 3600;
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Memory is flat when, from the start (after the warm-up) to the end, neither the RSS nor (when sampled) the live heap
 * grew by more than `relative` of its start value plus a small absolute slack. Start and end are the medians of the
 * first and the last `window` samples (3), so that one sample caught at a peak of the collector's cycle decides nothing.
 */
export function judgeMemory(samples: readonly MemorySample[], limits: FlatnessLimits = DEFAULT_FLATNESS, window = 3): MemoryVerdict {
  if (samples.length < 2)
    return {
      flat: false,
      rssGrowthMiB: 0,
      heapGrowthMiB: null,
      rssSlopeMiBPerHour: 0,
      heapSlopeMiBPerHour: null,
      reasons: ['fewer than two samples'],
    };
  const k = Math.max(1, Math.min(window, samples.length - 1));
  const ends = (values: readonly number[]): [number, number] => [median(values.slice(0, k)), median(values.slice(-k))];
  const r1 = (x: number): number => Math.round(x * 10) / 10;
  const grew = (what: string, [from, to]: [number, number], slack: number): string[] => {
    const allowed = from * limits.relative + slack;
    return to - from > allowed ? [`${what} grew ${r1(to - from)} MiB (${r1(from)} -> ${r1(to)}), more than ${r1(allowed)}`] : [];
  };
  const rss = ends(samples.map((s) => s.rssMiB));
  const heaps = samples.every((s) => s.heapUsedMiB !== undefined) ? samples.map((s) => [s.atSec, s.heapUsedMiB!] as const) : undefined;
  const heap = heaps ? ends(heaps.map(([, h]) => h)) : undefined;
  const reasons = [...grew('RSS', rss, limits.rssSlackMiB), ...(heap ? grew('live heap', heap, limits.heapSlackMiB) : [])];
  return {
    flat: reasons.length === 0,
    rssGrowthMiB: r1(rss[1] - rss[0]),
    heapGrowthMiB: heap ? r1(heap[1] - heap[0]) : null,
    rssSlopeMiBPerHour: r1(slopePerHour(samples.map((s) => [s.atSec, s.rssMiB] as const))),
    heapSlopeMiBPerHour: heaps ? r1(slopePerHour(heaps)) : null,
    reasons,
  };
}

/**
 * The memory of a soak means something only if the services kept up with the load: a backlog (requests in flight and
 * accepted commands not yet projected) held in memory grows without any leak. Kept up when, at every sample, the
 * backlog was at most `maxSeconds` of the load. Returns the reason when it was not, else undefined.
 */
export function fellBehind(
  backlogs: readonly { readonly atSec: number; readonly backlog: number }[],
  rate: number,
  maxSeconds: number,
): string | undefined {
  const worst = backlogs.reduce<{ atSec: number; backlog: number } | undefined>(
    (w, b) => (w === undefined || b.backlog > w.backlog ? b : w),
    undefined,
  );
  if (worst === undefined || worst.backlog <= rate * maxSeconds) return undefined;
  return `the services fell behind the load: ${worst.backlog} commands in flight or not yet projected at ${worst.atSec} s (more than ${maxSeconds} s of load)`;
}

/** What the soak counted of its commands (it keeps no list: a 30-minute soak sends 360,000). */
export interface SoakCounts {
  readonly sent: number;
  /** Answers by HTTP status (0: no answer). */
  readonly statuses: Readonly<Record<number, number>>;
  readonly projected: number;
  /** Accepted commands still not seen in the read model when the wait for them ended. */
  readonly pending: number;
}

/** Integrity of a soak: every command sent was accepted (201) and reached the projection. Empty when it held. */
export function soakProblems(counts: SoakCounts): string[] {
  const refused = Object.entries(counts.statuses).filter(([status]) => Number(status) !== 201);
  const refusedCount = refused.reduce((n, [, k]) => n + k, 0);
  const accepted = counts.statuses[201] ?? 0;
  const answered = accepted + refusedCount;
  return [
    ...(counts.sent === 0 ? ['no command was sent'] : []),
    ...(answered !== counts.sent ? [`${counts.sent - answered} of ${counts.sent} commands got no answer`] : []),
    ...(refusedCount > 0
      ? [
          `${refusedCount} of ${counts.sent} commands refused (${refused.map(([s, n]) => `status ${s === '0' ? 'none' : s}: ${n}`).join(', ')})`,
        ]
      : []),
    ...(counts.projected !== accepted || counts.pending > 0
      ? [`${accepted - counts.projected} accepted commands never reached the projection`]
      : []),
  ];
}
