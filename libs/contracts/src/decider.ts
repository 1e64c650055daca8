import type { ModelInForce } from './operating-model.js';

/**
 * A decider (STYLE.md habit 1): pure `decide(command, state, model) -> events` and `evolve(state, event) -> state`.
 * Domain libs implement it; the infrastructure runs it (load, fold, resolve the operating model in force when the
 * fact happened, decide, append with expected revision). Deciders with no rule of the model ignore `model`.
 */
export interface DomainEvent {
  readonly type: string;
  readonly data: object;
}

export interface Decider<C, E extends DomainEvent, S> {
  decide(command: C, state: S, model: ModelInForce): readonly E[];
  evolve(state: S, event: E): S;
  readonly initialState: S;
}
