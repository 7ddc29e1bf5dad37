import { UpcasterRegistry } from './upcasters';

describe('UpcasterRegistry', () => {
  it('upcasts step by step to the newest shape and leaves unknown types alone', () => {
    const registry = new UpcasterRegistry()
      .register('Renamed', 1, ({ data }) => ({ fullName: (data as { name: string }).name }))
      .register('Renamed', 2, ({ data }) => ({ ...(data as object), locale: 'en-GB' }));
    expect(registry.upcast('Renamed', 1, { name: 'A' }, {})).toEqual({
      schemaVersion: 3,
      data: { fullName: 'A', locale: 'en-GB' },
    });
    expect(registry.upcast('Renamed', 2, { fullName: 'B' }, {})).toEqual({
      schemaVersion: 3,
      data: { fullName: 'B', locale: 'en-GB' },
    });
    expect(registry.upcast('Other', 1, { name: 'C' }, {})).toEqual({ schemaVersion: 1, data: { name: 'C' } });
  });

  it('refuses two upcasters for the same step', () => {
    const registry = new UpcasterRegistry().register('A', 1, ({ data }) => data);
    expect(() => registry.register('A', 1, ({ data }) => data)).toThrow('already registered');
  });
});
