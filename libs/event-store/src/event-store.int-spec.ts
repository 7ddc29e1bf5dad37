import { DataSource } from 'typeorm';
import { onServer, openTestDatabase, TestDatabase } from '@praxis/testing';
import { IdempotencyKeyReusedError, InvalidAppendError, StreamVersionConflictError } from './errors';
import { READ_ALL_SQL } from './append-sql';
import { EventStore } from './event-store';
import { InlineProjectionRegistry } from './inline-projections';
import { buildStore } from './testing';
import { RecordedEvent, START } from './types';
import { UpcasterRegistry } from './upcasters';

const itOnServer = onServer() ? it : it.skip;

describe('EventStore (real database)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let upcasters: UpcasterRegistry;
  let inline: InlineProjectionRegistry;

  beforeAll(async () => {
    db = await openTestDatabase('event_store');
    ({ store, upcasters, inline } = buildStore(db.dataSource));
    upcasters.register('ThingNamed', 1, ({ data }) => ({ fullName: (data as { name: string }).name }));
  });
  afterAll(() => db.close());

  const count = async (streamId?: string) => {
    const [row] = await db.dataSource.query(
      streamId ? 'SELECT count(*)::int AS n FROM events WHERE stream_id = $1' : 'SELECT count(*)::int AS n FROM events',
      streamId ? [streamId] : [],
    );
    return row.n as number;
  };

  it('appends atomically and reads a stream back in order with metadata', async () => {
    const result = await store.append('thing-1', 'no_stream', [
      { type: 'ThingCreated', data: { a: 1 }, metadata: { actorId: 'u-1', correlationId: 'c-1' } },
      { type: 'ThingChanged', data: { a: 2 }, schemaVersion: 2 },
    ]);
    expect(result).toMatchObject({ streamId: 'thing-1', nextExpectedVersion: 2, duplicate: false });
    expect(result.lastPosition).toBeGreaterThan(result.firstPosition);
    const events = await store.readStream('thing-1');
    expect(events.map((e) => [e.type, e.streamVersion, e.schemaVersion, e.data])).toEqual([
      ['ThingCreated', 1, 1, { a: 1 }],
      ['ThingChanged', 2, 2, { a: 2 }],
    ]);
    expect(events[0].metadata).toEqual({ actorId: 'u-1', correlationId: 'c-1' });
    expect(events[0].recordedAt).toEqual(new Date('2026-01-05T10:00:00Z'));
    expect(await store.readStream('thing-1', 2)).toHaveLength(1);
  });

  it('stores a batch of a hundred events in order, each with its own data, ids and metadata byte for byte', async () => {
    const tricky = ['quote " and \\ backslash', 'ünïcödé — 🙂', "it's", '{"not":"json"}', ''];
    const batch = Array.from({ length: 100 }, (_, i) => ({
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type: i % 2 ? 'ThingChanged' : 'ThingCreated',
      schemaVersion: 1 + (i % 3),
      data: { i, text: tricky[i % tricky.length], nested: { list: [i, null, true, 1.5] } },
      metadata: { actorId: `u-${i}` },
    }));
    const result = await store.append('thing-batch', 'no_stream', batch);
    const more = await store.append(
      'thing-batch',
      100,
      batch.slice(0, 3).map(({ type, data }) => ({ type, data })),
    );

    expect(result).toMatchObject({ nextExpectedVersion: 100 });
    expect(result.lastPosition - result.firstPosition).toBe(99);
    expect(more.nextExpectedVersion).toBe(103);
    const events = await store.readStream('thing-batch');
    expect(
      events.slice(0, 100).map((e) => [e.eventId, e.type, e.streamVersion, e.schemaVersion, e.data, e.metadata]),
    ).toEqual(batch.map((b, i) => [b.eventId, b.type, i + 1, b.schemaVersion, b.data, b.metadata]));
    expect(events.map((e) => e.globalPosition)).toEqual([...events.map((e) => e.globalPosition)].sort((a, b) => a - b));
    expect(events.slice(100).map((e) => [e.streamVersion, e.data, e.metadata])).toEqual(
      batch.slice(0, 3).map((b, i) => [101 + i, b.data, {}]),
    );
  });

  it('checks every form of expected version and reports the actual version on conflict', async () => {
    await store.append('thing-2', 0, [{ type: 'A', data: {} }]);
    await store.append('thing-2', 1, [{ type: 'B', data: {} }]);
    await store.append('thing-2', 'stream_exists', [{ type: 'C', data: {} }]);
    await store.append('thing-2', 'any', [{ type: 'D', data: {} }]);
    await store.append('thing-2b', 'any', [{ type: 'A', data: {} }]);

    const stale = store.append('thing-2', 2, [{ type: 'E', data: {} }]);
    await expect(stale).rejects.toBeInstanceOf(StreamVersionConflictError);
    await expect(stale).rejects.toMatchObject({ actual: 4, expected: 2, code: 'STREAM.VERSION_CONFLICT' });
    await expect(store.append('thing-2', 'no_stream', [{ type: 'E', data: {} }])).rejects.toMatchObject({ actual: 4 });
    await expect(store.append('thing-missing', 'stream_exists', [{ type: 'E', data: {} }])).rejects.toMatchObject({
      actual: 0,
    });
    await expect(store.append('thing-missing', 3, [{ type: 'E', data: {} }])).rejects.toMatchObject({ actual: 0 });
    expect(await count('thing-2')).toBe(4);
    expect(await count('thing-missing')).toBe(0);
  });

  it('appends only while another stream is still at the version the decision read (alsoExpect), in every form', async () => {
    await store.append('basis-1', 'no_stream', [{ type: 'A', data: {} }]);
    const basis = { streamId: 'basis-1', version: 1 };
    await store.append('decided-1', 'no_stream', [{ type: 'A', data: {} }], { alsoExpect: basis });
    await store.append('decided-1', 1, [{ type: 'B', data: {} }], { alsoExpect: basis });
    await store.append('decided-1', 'any', [{ type: 'C', data: {} }], { alsoExpect: basis, idempotencyKey: 'also-1' });
    await store.append('basis-1', 1, [{ type: 'B', data: {} }]);

    // The basis moved: refused whatever the form, naming the stream that moved and where it is now.
    const moved = { streamId: 'basis-1', expected: 1, actual: 2, code: 'STREAM.VERSION_CONFLICT' };
    await expect(
      store.append('decided-2', 'no_stream', [{ type: 'A', data: {} }], { alsoExpect: basis }),
    ).rejects.toMatchObject(moved);
    await expect(store.append('decided-1', 3, [{ type: 'D', data: {} }], { alsoExpect: basis })).rejects.toMatchObject(
      moved,
    );
    await expect(
      store.append('decided-1', 'stream_exists', [{ type: 'D', data: {} }], { alsoExpect: basis }),
    ).rejects.toMatchObject(moved);
    await expect(
      store.append('decided-1', 'any', [{ type: 'D', data: {} }], { alsoExpect: basis, idempotencyKey: 'also-2' }),
    ).rejects.toMatchObject(moved);
    // Its own stream stale as well: that is the conflict reported.
    await expect(store.append('decided-1', 1, [{ type: 'D', data: {} }], { alsoExpect: basis })).rejects.toMatchObject({
      streamId: 'decided-1',
      actual: 3,
    });
    // A basis that never existed is at 0.
    await store.append('decided-3', 'no_stream', [{ type: 'A', data: {} }], {
      alsoExpect: { streamId: 'basis-none', version: 0 },
    });

    expect(await count('decided-1')).toBe(3);
    expect(await count('decided-2')).toBe(0);
    expect(await count('decided-3')).toBe(1);
    expect(await count('basis-1')).toBe(2);
    // The key of the refused append is free again.
    await store.append('decided-1', 'any', [{ type: 'D', data: {} }], { idempotencyKey: 'also-2' });
    expect(await count('decided-1')).toBe(4);
  });

  it('lets exactly one of two racing writers with the same expected version win', async () => {
    await store.append('race', 'no_stream', [{ type: 'A', data: {} }]);
    const outcomes = await Promise.allSettled(
      [1, 2, 3, 4].map((i) => store.append('race', 1, [{ type: 'B', data: { writer: i } }])),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(
      outcomes
        .filter((o) => o.status === 'rejected')
        .every((o) => (o as PromiseRejectedResult).reason instanceof StreamVersionConflictError),
    ).toBe(true);
    expect(await count('race')).toBe(2);
  });

  it('returns the first result for a retried idempotency key and stores nothing new', async () => {
    const events = [{ type: 'Paid', data: { amount: 5 } }];
    const first = await store.append('pay-1', 'no_stream', events, { idempotencyKey: 'key-1' });
    const again = await store.append('pay-1', 'no_stream', events, { idempotencyKey: 'key-1' });
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await count('pay-1')).toBe(1);
    await expect(
      store.append('pay-1', 'any', [{ type: 'Paid', data: { amount: 6 } }], { idempotencyKey: 'key-1' }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await count('pay-1')).toBe(1);
  });

  it('releases an idempotency key when its append fails, so a corrected retry can use it', async () => {
    await store.append('pay-2', 'no_stream', [{ type: 'Paid', data: {} }]);
    await expect(
      store.append('pay-2', 'no_stream', [{ type: 'Paid', data: {} }], { idempotencyKey: 'key-2' }),
    ).rejects.toBeInstanceOf(StreamVersionConflictError);
    const retried = await store.append('pay-2', 1, [{ type: 'Paid', data: {} }], { idempotencyKey: 'key-2' });
    expect(retried.nextExpectedVersion).toBe(2);
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const before = await count();
    const bad: [string, () => Promise<unknown>][] = [
      ['unknown expected version', () => store.append('bad', 'latest' as never, [{ type: 'A', data: {} }])],
      ['empty list', () => store.append('bad', 'any', [])],
      ['no type', () => store.append('bad', 'any', [{ data: {} } as never])],
      ['bigint data', () => store.append('bad', 'any', [{ type: 'A', data: { n: 1n } }])],
      [
        'valid then invalid',
        () =>
          store.append('bad', 'any', [
            { type: 'A', data: {} },
            { type: 'B', data: { d: new Date() } },
          ]),
      ],
    ];
    for (const [, attempt] of bad) await expect(attempt()).rejects.toBeInstanceOf(InvalidAppendError);
    expect(await count()).toBe(before);
    expect(await store.streamVersion('bad')).toBe(0);
  });

  it('upcasts old shapes on read without rewriting the stored event', async () => {
    await store.append('named', 'no_stream', [{ type: 'ThingNamed', data: { name: 'Ada' } }]);
    const [event] = await store.readStream('named');
    expect(event).toMatchObject({ schemaVersion: 2, data: { fullName: 'Ada' } });
    const [row] = await db.dataSource.query(`SELECT schema_version, data FROM events WHERE stream_id = 'named'`);
    expect(row).toEqual({ schema_version: 1, data: { name: 'Ada' } });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the log from raw SQL', async () => {
    await store.append('immutable', 'no_stream', [{ type: 'A', data: { v: 1 } }]);
    await expect(
      db.dataSource.query(`UPDATE events SET data = '{"v":2}' WHERE stream_id = 'immutable'`),
    ).rejects.toThrow(/append-only/);
    await expect(db.dataSource.query(`DELETE FROM events WHERE stream_id = 'immutable'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.dataSource.query(`TRUNCATE events`)).rejects.toThrow(/append-only/);
    const [event] = await store.readStream('immutable');
    expect(event.data).toEqual({ v: 1 });
  });

  it('runs inline projections in the append transaction: a failing one undoes the append', async () => {
    await db.dataSource.query(`CREATE TABLE inline_counts (stream_id text PRIMARY KEY, n int NOT NULL)`);
    inline.register({
      name: 'inline-counts',
      eventTypes: ['Counted', 'Poison'],
      apply: async (events, tx) => {
        for (const e of events) {
          if (e.type === 'Poison') throw new Error('refused by projection');
          await tx.query(
            `INSERT INTO inline_counts VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = inline_counts.n + 1`,
            [e.streamId],
          );
        }
      },
    });
    await store.append('counted', 'no_stream', [
      { type: 'Counted', data: {} },
      { type: 'Other', data: {} },
      { type: 'Counted', data: {} },
    ]);
    expect(await db.dataSource.query(`SELECT n FROM inline_counts WHERE stream_id = 'counted'`)).toEqual([{ n: 2 }]);
    await expect(
      store.append('counted', 3, [
        { type: 'Counted', data: {} },
        { type: 'Poison', data: {} },
      ]),
    ).rejects.toThrow('refused by projection');
    expect(await count('counted')).toBe(3);
    expect(await db.dataSource.query(`SELECT n FROM inline_counts WHERE stream_id = 'counted'`)).toEqual([{ n: 2 }]);
  });

  it('lets an inline write ride in the append statement: all or nothing, nothing on a stale version, apply() when it cannot ride', async () => {
    await db.dataSource.query(`CREATE TABLE ridden (stream_id text, version int, note text, how text)`);
    const applied: string[] = [];
    inline.register({
      name: 'inline-rider',
      eventTypes: ['Ridden', 'RiddenTwice'],
      statement: (events, first) =>
        events.length === 1 && events[0].type === 'Ridden'
          ? {
              sql: `INSERT INTO ridden SELECT $${first}, $${first + 1}, $${first + 2}, 'statement' WHERE EXISTS (SELECT 1 FROM appended)`,
              params: [events[0].streamId, events[0].streamVersion, (events[0].data as { note: string }).note],
            }
          : undefined,
      apply: async (events, tx) => {
        for (const e of events) {
          applied.push(e.type);
          await tx.query(`INSERT INTO ridden VALUES ($1, $2, $3, 'apply')`, [
            e.streamId,
            e.streamVersion,
            (e.data as { note: string }).note,
          ]);
        }
      },
    });
    const rows = () =>
      db.dataSource.query(`SELECT stream_id, version, note, how FROM ridden ORDER BY stream_id, version`);

    await store.append('ride-1', 'no_stream', [{ type: 'Ridden', data: { note: 'first' } }]);
    await store.append('ride-1', 1, [{ type: 'Ridden', data: { note: 'second' } }]);
    await expect(store.append('ride-1', 1, [{ type: 'Ridden', data: { note: 'stale' } }])).rejects.toBeInstanceOf(
      StreamVersionConflictError,
    );
    await expect(
      store.append('ride-1', 2, [{ type: 'Ridden', data: { note: 'x'.repeat(3) }, eventId: 'not-a-uuid' }]),
    ).rejects.toThrow();
    await store.append('ride-2', 'no_stream', [
      { type: 'RiddenTwice', data: { note: 'a' } },
      { type: 'RiddenTwice', data: { note: 'b' } },
    ]);

    expect(await rows()).toEqual([
      { stream_id: 'ride-1', version: 1, note: 'first', how: 'statement' },
      { stream_id: 'ride-1', version: 2, note: 'second', how: 'statement' },
      { stream_id: 'ride-2', version: 1, note: 'a', how: 'apply' },
      { stream_id: 'ride-2', version: 2, note: 'b', how: 'apply' },
    ]);
    expect(applied).toEqual(['RiddenTwice', 'RiddenTwice']);
    expect(await count('ride-1')).toBe(2);
  });

  it('gives inline projections the events exactly as a reader of the log gets them, upcast, with their positions and transaction', async () => {
    const seen: RecordedEvent[] = [];
    inline.register({
      name: 'inline-witness',
      eventTypes: ['ThingNamed', 'Witnessed'],
      apply: async (events) => void seen.push(...events),
    });
    await store.append('witnessed', 'no_stream', [
      { type: 'ThingNamed', data: { name: 'Ada', dropped: undefined }, metadata: { actorId: 'u-9' } },
      { type: 'Witnessed', data: { list: [1, 'two', { three: null }] }, schemaVersion: 3 },
    ]);
    const logged = await store.readStream('witnessed');
    expect(seen).toEqual(logged);
    expect(seen[0].data).toEqual({ fullName: 'Ada' });
    expect(Object.keys(seen[0].data as object)).toEqual(['fullName']);
  });

  it('readAll pages through the whole log in order without gaps', async () => {
    for (let i = 0; i < 5; i++)
      await store.append(`page-${i}`, 'no_stream', [
        { type: 'P', data: { i } },
        { type: 'P', data: { i } },
      ]);
    // Other suites' open transactions can hold the horizon back for a moment: wait them out, as a projection does.
    const seen: number[] = [];
    for await (const page of store.readAllCommitted(START, 3)) {
      expect(page.length).toBeLessThanOrEqual(3);
      seen.push(...page.map((e) => e.globalPosition));
    }
    const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM events');
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
  });

  itOnServer('never skips an event whose transaction took a lower position but committed later', async () => {
    const a = db.dataSource.createQueryRunner();
    const b = db.dataSource.createQueryRunner();
    const insert = (stream: string) =>
      `INSERT INTO events (stream_id, stream_version, event_id, type, data, recorded_at)
       VALUES ('${stream}', 1, gen_random_uuid(), 'Late', '{}', now()) RETURNING global_position::int AS p`;
    let after = START;
    for await (const page of store.readAllCommitted(START, 1000))
      after = { transactionId: page.at(-1)!.transactionId, globalPosition: page.at(-1)!.globalPosition };
    try {
      await a.startTransaction();
      const [{ p: low }] = await a.query(insert('late-a'));
      await b.startTransaction();
      const [{ p: high }] = await b.query(insert('late-b'));
      await b.commitTransaction();
      expect(high).toBeGreaterThan(low);

      // B is committed, but A (lower position) is still open: a reader must not move past it.
      expect((await store.readAll(after, 100)).map((e) => e.streamId)).not.toContain('late-b');

      await a.commitTransaction();
      const seen: string[] = [];
      for await (const page of store.readAllCommitted(after, 100)) seen.push(...page.map((e) => e.streamId));
      expect(seen.filter((s) => s.startsWith('late-'))).toEqual(['late-a', 'late-b']);
    } finally {
      await a.release();
      await b.release();
    }
  });

  itOnServer('reads the log in commit order straight from its index, with no sort', async () => {
    // The table is tiny here, so take the planner's cheaper choices away; the bench measures the real thing.
    const plan: { 'QUERY PLAN': string }[] = await db.dataSource.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      await tx.query('SET LOCAL enable_bitmapscan = off');
      return tx.query(`EXPLAIN ${READ_ALL_SQL}`, ['0', 0, 1000]);
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index Scan using events_commit_order/);
    expect(text).not.toMatch(/Sort/);
  });
});

/** A second DataSource through a TCP proxy we can cut, to lose the database mid-append. */
describe('EventStore when the database goes away', () => {
  const itServer = onServer() ? it : it.skip;
  itServer('fails the append cleanly, stores nothing partial, and the next append succeeds', async () => {
    const { createServer, connect } = await import('node:net');
    const db = await openTestDatabase('event_store_outage');
    const target = new URL(db.config.databaseUrl!);
    let cutOnAppend = false;
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      client.on('data', (chunk) => {
        if (cutOnAppend && chunk.includes('INSERT INTO events')) {
          // The append's statement never reaches the server: the connection dies mid-request.
          client.destroy();
          upstream.destroy();
          return;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => client.write(chunk));
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    const url = new URL(db.config.databaseUrl!);
    url.host = `127.0.0.1:${port}`;
    const proxied = new DataSource({
      type: 'postgres',
      url: url.toString(),
      extra: { max: 2, options: `-c search_path=${db.config.databaseSchema}` },
    });
    await proxied.initialize();
    const { store } = buildStore(proxied);
    try {
      await store.append('outage', 'no_stream', [{ type: 'A', data: {} }]);
      cutOnAppend = true;
      await expect(
        store.append('outage', 1, [
          { type: 'B', data: {} },
          { type: 'C', data: {} },
        ]),
      ).rejects.toMatchObject({
        code: 'STORE.UNAVAILABLE',
      });
      cutOnAppend = false;
      expect(await buildStore(db.dataSource).store.readStream('outage')).toHaveLength(1);
      const next = await store.append('outage', 1, [{ type: 'B', data: {} }]);
      expect(next.nextExpectedVersion).toBe(2);
    } finally {
      await proxied.destroy();
      proxy.close();
      await db.close();
    }
  });
});
