/**
 * A decider's spec, as the domain reads: given these events, when this
 * command, then these events — or a refusal with this error code. `then`
 * returns what was decided, so a spec can build on it.
 */
export function deciderSpec<Command, Event, State>(decider: {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initial: State;
}) {
  return {
    given: (events: readonly Event[] = []) => ({
      when: (command: Command) => ({
        then: (expected: readonly Event[] | string): Event[] => {
          const state = events.reduce(decider.evolve, decider.initial);
          if (typeof expected === 'string') {
            expect(() => decider.decide(command, state)).toThrow(expect.objectContaining({ code: expected }));
            return [];
          }
          const decided = decider.decide(command, state);
          expect(decided).toEqual(expected);
          return decided;
        },
      }),
    }),
  };
}
