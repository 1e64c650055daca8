import { Logger } from '@nestjs/common';
import { superviseLoop, type LoopContext, type LoopRegistry } from '#event-store';
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
