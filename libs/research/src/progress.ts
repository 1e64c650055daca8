import { SingleBar } from 'cli-progress';

export interface ProgressSnapshot {
  readonly done: number;
  /** Undefined while unknown (an export counts its selection beside its work): no percentage nor ETA yet. */
  readonly total: number | undefined;
}

export interface ProgressReporter {
  update(progress: ProgressSnapshot): void;
  stop(): void;
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/**
 * Progress on stderr: a bar with rate and ETA on a terminal (cli-progress), plain lines otherwise (logs, CI),
 * at most one per `intervalMs` plus the last one. The bar appears once the total is known.
 */
export function progressReporter(options: {
  readonly label: string;
  readonly stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly tty?: boolean;
  readonly intervalMs?: number;
  readonly clock?: () => number;
}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? (stream as NodeJS.WriteStream).isTTY === true;
  const clock = options.clock ?? (() => Date.now());
  const started = clock();
  if (tty) {
    const bar = new SingleBar({
      stream,
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}`,
      etaBuffer: 50,
      hideCursor: true,
    });
    let begun = false;
    return {
      update({ done, total }) {
        if (total === undefined) return;
        const elapsed = Math.max(0.001, (clock() - started) / 1000);
        if (!begun) {
          bar.start(Math.max(total, done), done, { rate: 0 });
          begun = true;
        }
        bar.setTotal(Math.max(total, done));
        bar.update(done, { rate: Math.round(done / elapsed) });
      },
      stop() {
        if (begun) bar.stop();
      },
    };
  }
  const interval = options.intervalMs ?? 5000;
  let lastLine = -Infinity;
  let last: ProgressSnapshot | undefined;
  let printed: ProgressSnapshot | undefined;
  const print = (p: ProgressSnapshot): void => {
    const elapsed = Math.max(0.001, (clock() - started) / 1000);
    const rate = p.done / elapsed;
    if (p.total === undefined) {
      stream.write(`${options.label}: ${p.done} events, ${Math.round(rate)} events/s\n`);
      printed = p;
      lastLine = clock();
      return;
    }
    const pct = p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 100;
    const eta = rate > 0 ? (p.total - p.done) / rate : Number.POSITIVE_INFINITY;
    stream.write(
      `${options.label}: ${p.done}/${p.total} events (${pct.toFixed(1)}%), ${Math.round(rate)} events/s, ETA ${seconds(Math.max(0, eta))}\n`,
    );
    printed = p;
    lastLine = clock();
  };
  return {
    update(p) {
      last = p;
      if (clock() - lastLine >= interval) print(p);
    },
    stop() {
      if (last && last !== printed) print(last);
    },
  };
}
