/**
 * A decider (STYLE.md habit 1): pure `decide(command, state) -> events` and `evolve(state, event) -> state`.
 * Domain libs implement it; the infrastructure runs it (load, fold, decide, append with expected revision).
 */
export interface DomainEvent {
  readonly type: string;
  readonly data: object;
}

export interface Decider<C, E extends DomainEvent, S> {
  decide(command: C, state: S): readonly E[];
  evolve(state: S, event: E): S;
  readonly initialState: S;
}
