import { InvalidAppendError } from './errors';
import { assertValidAppend, assertValidExpectedVersion } from './validate';

describe('append input validation', () => {
  it.each([['latest'], [-1], [1.5], [null], [undefined], [NaN]])('refuses expected version %p', (expected) => {
    expect(() => assertValidExpectedVersion(expected)).toThrow(InvalidAppendError);
  });

  it.each([[0], [7], ['no_stream'], ['any'], ['stream_exists']])('accepts expected version %p', (expected) => {
    expect(() => assertValidExpectedVersion(expected)).not.toThrow();
  });

  it('refuses an empty event list and a missing stream id', () => {
    expect(() => assertValidAppend('s-1', [])).toThrow('at least one event');
    expect(() => assertValidAppend('', [{ type: 'A', data: {} }])).toThrow('streamId');
  });

  it('refuses an event without a type, naming which event', () => {
    expect(() => assertValidAppend('s-1', [{ type: 'A', data: {} }, { data: {} }])).toThrow('event 1 has no type');
    expect(() => assertValidAppend('s-1', [{ type: '  ', data: {} }])).toThrow('has no type');
  });

  it('refuses data that JSON cannot carry unchanged', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const data of [{ n: 10n }, { at: new Date() }, { x: NaN }, { f: () => 1 }, circular, { list: [Infinity] }]) {
      expect(() => assertValidAppend('s-1', [{ type: 'A', data }])).toThrow(InvalidAppendError);
    }
  });

  it('accepts plain JSON, dropping undefined fields as JSON would', () => {
    expect(() =>
      assertValidAppend('s-1', [
        { type: 'A', data: { a: 1, b: 'x', c: [true, null, { d: 2 }], e: undefined }, metadata: { actorId: 'u' } },
      ]),
    ).not.toThrow();
  });
});
