import { BASELINE_MODEL, type Decider, type DomainEvent, type ModelInForce } from '#contracts';

/**
 * Given-when-then for deciders (STYLE.md habit 3): `given(past events).when(command).then(new events)`
 * or `.thenThrows(ErrorClass)`. No mocks: the decider is a pure function. The operating model in force is the
 * baseline unless a test states another (`specFor(decider, model)`).
 */
export function specFor<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, model: ModelInForce = BASELINE_MODEL) {
  return {
    given(history: readonly E[]) {
      const state = history.reduce(decider.evolve, decider.initialState);
      return {
        when(command: C) {
          const run = (): readonly E[] => decider.decide(command, state, model);
          return {
            then(expected: readonly E[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(errorClass: new (...args: never[]) => Error, message?: string | RegExp): void {
              expect(run).toThrow(errorClass);
              if (message !== undefined) expect(run).toThrow(message);
            },
          };
        },
      };
    },
  };
}
