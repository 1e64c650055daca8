/** Integrity rules of the benches, pure so that unit tests hold them (bench/test/integrity.unit.spec.ts). */

/** What the command-to-projection bench knows of one command once its phase is over. */
export interface SentCommand {
  /** HTTP status of the answer; 0 or undefined when none came. */
  readonly status?: number;
  /** Set when the watcher saw the command's row in the read model. */
  readonly projectedAt?: number;
}

/**
 * A latency figure means something only if every command was accepted and projected: a refused command (429 from
 * the rate limit, 5xx) or one that never reached the read model fails the bench with the reason, instead of
 * leaving a p99 over the few that got through.
 */
export function assertIntegrity(phase: string, commands: readonly SentCommand[], drained: boolean): void {
  const refused = new Map<number, number>();
  for (const c of commands) if (c.status !== 201) refused.set(c.status ?? 0, (refused.get(c.status ?? 0) ?? 0) + 1);
  const refusedCount = [...refused.values()].reduce((n, k) => n + k, 0);
  const notProjected = commands.filter((c) => c.status === 201 && c.projectedAt === undefined).length;
  const problems = [
    ...(commands.length === 0 ? ['no command was sent'] : []),
    ...(refusedCount > 0
      ? [
          `${refusedCount} of ${commands.length} commands refused (${[...refused].map(([s, n]) => `status ${s === 0 ? 'none' : s}: ${n}`).join(', ')})`,
        ]
      : []),
    ...(notProjected > 0 || !drained ? [`${notProjected} accepted commands never reached the projection`] : []),
  ];
  if (problems.length > 0) throw new Error(`command-to-projection ${phase}: ${problems.join('; ')}`);
}

export interface BenchOutcome {
  readonly bench: string;
  readonly meetsTarget: unknown;
  readonly error?: string;
}

/**
 * The run's exit status: 1 when a bench errored (or broke its integrity), 2 when one missed its target (unless
 * `smoke`), 0 otherwise; with the reasons, for stderr.
 */
export function verdictOf(outcomes: readonly BenchOutcome[], smoke: boolean): { status: 0 | 1 | 2; reasons: string[] } {
  const errors = outcomes.filter((o) => o.error !== undefined).map((o) => `${o.bench}: ${o.error}`);
  if (errors.length > 0) return { status: 1, reasons: errors };
  if (outcomes.length === 0) return { status: 1, reasons: ['no bench emitted a result'] };
  const missed = outcomes.filter((o) => o.meetsTarget === false).map((o) => `${o.bench}: target missed`);
  if (missed.length > 0 && !smoke) return { status: 2, reasons: missed };
  return { status: 0, reasons: missed.map((m) => `${m} (smoke run: figures too small to hold a target)`) };
}
