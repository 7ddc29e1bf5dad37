import { ConflictError, NotFoundError } from '@praxis/common';
import { openTestDatabase, TestDatabase } from '@praxis/testing';
import { aggregateStream, handle } from './command-handling';
import { StreamVersionConflictError } from './errors';
import { EventStore } from './event-store';
import { DomainEvent } from './projection';
import { buildStore } from './testing';

/** A counter that must exist before it counts, and stops at a limit. */
type CounterEvent = { type: 'CounterOpened'; data: { limit: number } } | { type: 'Counted'; data: { by: string } };
type Counter = { status: 'none' } | { status: 'open'; limit: number; count: number };
const counter = {
  eventTypes: ['CounterOpened', 'Counted'] as const,
  initial: { status: 'none' } as Counter,
  evolve: (state: Counter, event: CounterEvent): Counter =>
    event.type === 'CounterOpened'
      ? { status: 'open', limit: event.data.limit, count: 0 }
      : state.status === 'open'
        ? { ...state, count: state.count + 1 }
        : state,
};
const open = (limit: number) => (): CounterEvent[] => [{ type: 'CounterOpened', data: { limit } }];
const count =
  (by: string) =>
  (state: Counter): CounterEvent[] => {
    if (state.status === 'none') throw new NotFoundError('COUNTER.NOT_FOUND', 'no such counter');
    if (state.count >= state.limit) return [];
    return [{ type: 'Counted', data: { by } }];
  };

describe('handle(): load, decide, append at the version decided on (real database)', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await openTestDatabase('command_handling');
    ({ store } = buildStore(db.dataSource));
  });
  afterAll(() => db.close());

  it('decides on the folded state and appends with the metadata, returning the state and version after', async () => {
    await handle(store, 'counter-1', counter, open(2), { expectedVersion: 'no_stream' });
    const handled = await handle(store, 'counter-1', counter, count('ann'), {
      retries: 0,
      metadata: { actorId: 'ann' },
    });
    expect(handled).toEqual({
      events: [{ type: 'Counted', data: { by: 'ann' } }],
      state: { status: 'open', limit: 2, count: 1 },
      version: 2,
      duplicate: false,
    });
    const [, counted] = await store.readStream('counter-1');
    expect(counted.metadata).toEqual({ actorId: 'ann' });
  });

  it('stores the schemaVersion an event is decided with, and 1 when it carries none', async () => {
    await handle(store, 'counter-versioned', counter, open(3), { expectedVersion: 'no_stream' });
    await handle(
      store,
      'counter-versioned',
      counter,
      (): (CounterEvent & DomainEvent)[] => [{ type: 'Counted', data: { by: 'bea' }, schemaVersion: 2 }],
      { retries: 0 },
    );
    const stored = await store.readStream('counter-versioned');
    expect(stored.map((e) => [e.type, e.schemaVersion])).toEqual([
      ['CounterOpened', 1],
      ['Counted', 2],
    ]);
  });

  it('folds a stream only of the types its fold declares: another type stored there is refused, not skipped', async () => {
    await handle(store, 'counter-typed', counter, open(1), { expectedVersion: 'no_stream' });
    expect(await aggregateStream(store, 'counter-typed', counter)).toEqual({
      state: { status: 'open', limit: 1, count: 0 },
      version: 1,
    });
    await store.append('counter-typed', 1, [{ type: 'CounterPainted', data: { colour: 'red' } }]);
    await expect(aggregateStream(store, 'counter-typed', counter)).rejects.toThrow(
      'counter-typed holds a CounterPainted, which its fold does not declare',
    );
  });

  it('appends nothing when the decision changes nothing', async () => {
    await handle(store, 'counter-2', counter, open(0), { expectedVersion: 'no_stream' });
    const handled = await handle(store, 'counter-2', counter, count('ann'), { retries: 0 });
    expect(handled).toMatchObject({ events: [], version: 1 });
    expect(await store.streamVersion('counter-2')).toBe(1);
  });

  it('with an expected version: a refusal comes first, then a stale version is a conflict even if nothing would change', async () => {
    await expect(handle(store, 'counter-none', counter, count('ann'), { expectedVersion: 7 })).rejects.toMatchObject({
      code: 'COUNTER.NOT_FOUND',
    });
    await handle(store, 'counter-3', counter, open(0), { expectedVersion: 'no_stream' });
    await expect(handle(store, 'counter-3', counter, count('ann'), { expectedVersion: 0 })).rejects.toMatchObject({
      code: 'STREAM.VERSION_CONFLICT',
      expected: 0,
      actual: 1,
    });
    expect(await handle(store, 'counter-3', counter, count('ann'), { expectedVersion: 1 })).toMatchObject({
      events: [],
      version: 1,
    });
  });

  it("with 'no_stream': no read, so a retried idempotency key gets its first answer, and an existing stream is a conflict", async () => {
    const options = { expectedVersion: 'no_stream' as const, append: { idempotencyKey: 'open-counter-4' } };
    const first = await handle(store, 'counter-4', counter, open(1), options);
    const again = await handle(store, 'counter-4', counter, open(1), options);
    expect(again).toMatchObject({ version: first.version, duplicate: true });
    await expect(handle(store, 'counter-4', counter, open(1), { expectedVersion: 'no_stream' })).rejects.toBeInstanceOf(
      StreamVersionConflictError,
    );
  });

  it('with retries: a lost race decides again on the new state; without, the conflict is the caller’s', async () => {
    await handle(store, 'counter-5', counter, open(10), { expectedVersion: 'no_stream' });
    const racing = await Promise.all(
      ['a', 'b', 'c', 'd'].map((by) => handle(store, 'counter-5', counter, count(by), { retries: 5 })),
    );
    expect(racing.map((r) => r.version).sort()).toEqual([2, 3, 4, 5]);

    const settled = await Promise.allSettled(
      ['e', 'f', 'g'].map((by) => handle(store, 'counter-5', counter, count(by), { retries: 0 })),
    );
    const refused = settled.filter((s) => s.status === 'rejected');
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(await store.streamVersion('counter-5')).toBe(5 + settled.length - refused.length);
  });
});
