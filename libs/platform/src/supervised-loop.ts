import { Logger } from '@nestjs/common';
import { LeadershipLostError, PostgresLeaderLock, superviseLoop, type LoopContext, type LoopRegistry } from '#event-store';
import type { BackboneConfig } from './config.js';

export interface SupervisedLoopDeps {
  readonly signal: AbortSignal;
  readonly loops: LoopRegistry;
  readonly config: Pick<BackboneConfig, 'retry'>;
  readonly logger?: Logger;
}

/**
 * Runs a service's background loop under `superviseLoop` (ADR 0021): its state goes to the process's loop
 * registry (readiness), a transient failure is logged as a warning and a bug as an error with its stack, and
 * the recovery is logged once. Never rejects: no loop's failure ends the process.
 */
export function runSupervised(name: string, body: (loop: LoopContext) => Promise<void>, deps: SupervisedLoopDeps): Promise<void> {
  const logger = deps.logger ?? new Logger(name);
  let failed = false;
  return superviseLoop(name, body, {
    signal: deps.signal,
    backoff: deps.config.retry,
    onState: (state) => {
      deps.loops.report(state);
      if (state.state === 'running' && failed) logger.log(`${name} recovered (last error: ${state.lastError ?? 'none'})`);
      failed = state.state === 'retrying' || state.state === 'failing';
    },
    onError: (error, state) => {
      const line = `${name} ${state.state === 'failing' ? 'FAILING (not a transient fault: a bug?)' : 'waiting for its servers'}, attempt ${state.attempt}, retrying in ${state.retryInMs ?? 0} ms: ${state.lastError ?? ''}`;
      if (state.state === 'failing') logger.error(`${line}\n${error instanceof Error ? (error.stack ?? '') : ''}`);
      else logger.warn(line);
    },
  });
}

export interface SingletonDeps extends SupervisedLoopDeps {
  readonly config: Pick<BackboneConfig, 'retry' | 'databaseUrl' | 'eventStoreSchema' | 'leaderLock'>;
}

/**
 * Runs a singleton's loop (the relay, the process manager, the national views, the sealer) under a leader lock
 * (ADR 0037): the loop works only while this process holds `<name>:<event store schema>`; meanwhile it is on
 * standby (ready). A lost lock (the session ended) stops the work at once and the supervisor asks for the lock
 * again. Without a database (the in-memory quick start) or with NOM_LEADER_LOCK=false, it runs as any loop.
 */
export function runSingleton(name: string, body: (loop: LoopContext) => Promise<void>, deps: SingletonDeps): Promise<void> {
  const { databaseUrl, leaderLock, eventStoreSchema } = deps.config;
  if (!databaseUrl || !leaderLock.enabled) return runSupervised(name, body, deps);
  const logger = deps.logger ?? new Logger(name);
  const lock = new PostgresLeaderLock({ connectionString: databaseUrl, name: `${name}:${eventStoreSchema}`, retryMs: leaderLock.retryMs });
  return runSupervised(
    name,
    async (loop) => {
      const leadership = await lock.acquire(loop.signal, () => {
        loop.standby();
        logger.log(`${name}: standby (another replica holds the leader lock ${lock.name})`);
      });
      if (!leadership) return;
      logger.log(`${name}: leader (holds ${lock.name})`);
      let failure: { readonly error: unknown } | undefined;
      try {
        await body({ ...loop, signal: AbortSignal.any([loop.signal, leadership.lost]) });
      } catch (error) {
        failure = { error };
      }
      const lost = leadership.lost.aborted && !loop.signal.aborted;
      const reason: unknown = leadership.lost.reason;
      await leadership.release();
      // Whatever the body did after losing the lock is the lock's fault: ask for it again.
      if (lost) throw new LeadershipLostError(lock.name, reason);
      if (failure) throw failure.error;
    },
    deps,
  );
}
