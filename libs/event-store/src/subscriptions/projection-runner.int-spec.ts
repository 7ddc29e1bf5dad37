import { Subject } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { onServer, openTestDatabase, TestDatabase } from '@praxis/testing';
import { CheckpointConflictError } from '../errors';
import { EventStore } from '../event-store';
import { buildStore } from '../testing';
import { RecordedEvent } from '../types';
import { Projection } from '../projection';
import { NotificationListener } from './notification-listener';
import { ProjectionRunner } from './projection-runner';

const itOnServer = onServer() ? it : it.skip;

/** Counts applied events per stream, so double application shows. */
function countingProjection(name: string, table: string, fail?: (e: RecordedEvent) => boolean): Projection {
  return {
    name,
    eventTypes: ['Tick'],
    apply: async (events: RecordedEvent[], tx: EntityManager) => {
      for (const e of events) {
        if (fail?.(e)) throw new Error(`cannot project ${e.eventId}`);
        await tx.query(`INSERT INTO ${table} (event_id, stream_id) VALUES ($1, $2)`, [e.eventId, e.streamId]);
      }
    },
  };
}

describe('ProjectionRunner (real database)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let ds: DataSource;

  beforeAll(async () => {
    db = await openTestDatabase('projection_runner');
    ds = db.dataSource;
    ({ store } = buildStore(ds));
  });
  afterAll(() => db.close());

  const makeTable = (table: string) =>
    ds.query(`CREATE TABLE ${table} (event_id uuid PRIMARY KEY, stream_id text NOT NULL)`);
  const rows = async (table: string) => (await ds.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  it('applies every relevant event once, in batches, and stores its checkpoint', async () => {
    await makeTable('p_basic');
    for (let i = 0; i < 7; i++)
      await store.append(`basic-${i}`, 'no_stream', [
        { type: 'Tick', data: {} },
        { type: 'Ignored', data: {} },
      ]);
    const runner = new ProjectionRunner(ds, store, countingProjection('basic', 'p_basic'), { batchSize: 3 });
    await runner.catchUp();
    expect(await rows('p_basic')).toBe(7);
    const checkpoint = await runner.checkpoint();
    const head = await store.headPosition();
    expect(checkpoint.globalPosition).toBe(head);
    await runner.catchUp(); // nothing new: nothing applied twice
    expect(await rows('p_basic')).toBe(7);
  });

  it('moves a checkpoint only by compare-and-set: a stale runner cannot advance it', async () => {
    const runner = new ProjectionRunner(ds, store, countingProjection('cas', 'p_basic'));
    const start = await runner.checkpoint();
    const [first, second] = await store.readAll(start, 2);
    await ds.transaction((tx) =>
      runner.advance(tx, start, { transactionId: first.transactionId, globalPosition: first.globalPosition }),
    );
    // A second runner that read the same starting checkpoint now tries to move it.
    await expect(
      ds.transaction((tx) =>
        runner.advance(tx, start, { transactionId: second.transactionId, globalPosition: second.globalPosition }),
      ),
    ).rejects.toBeInstanceOf(CheckpointConflictError);
    expect((await runner.checkpoint()).globalPosition).toBe(first.globalPosition);
  });

  it('retries a failing event with backoff, then parks it in the dead-letter table and goes on', async () => {
    await makeTable('p_poison');
    await store.append('poison-a', 'no_stream', [{ type: 'Tick', data: {} }]);
    const { lastPosition } = await store.append('poison-b', 'no_stream', [{ type: 'Tick', data: { poison: true } }]);
    await store.append('poison-c', 'no_stream', [{ type: 'Tick', data: {} }]);
    let attempts = 0;
    const projection = countingProjection('poison', 'p_poison', (e) => {
      const poisoned = (e.data as { poison?: boolean }).poison === true;
      if (poisoned) attempts += 1;
      return poisoned;
    });
    const runner = new ProjectionRunner(ds, store, projection, { batchSize: 100, maxAttempts: 3, backoffMs: 5 });
    await runner.catchUp();
    const parked = await ds.query(
      `SELECT global_position::int AS p, event_type, error, attempts FROM projection_dead_letters WHERE projection = 'poison'`,
    );
    expect(parked).toEqual([
      { p: lastPosition, event_type: 'Tick', error: expect.stringContaining('cannot project'), attempts: 3 },
    ]);
    expect(attempts).toBeGreaterThanOrEqual(3);
    const projected: { stream_id: string }[] = await ds.query(
      `SELECT stream_id FROM p_poison WHERE stream_id LIKE 'poison-%' ORDER BY stream_id`,
    );
    expect(projected.map((r) => r.stream_id)).toEqual(['poison-a', 'poison-c']);
  });

  it('wakes at once on a local append rather than waiting for the poll', async () => {
    await makeTable('p_wake');
    const wake$ = new Subject<void>();
    const runner = new ProjectionRunner(ds, store, countingProjection('wake', 'p_wake'), { pollMs: 60_000, wake$ });
    runner.start();
    try {
      await new Promise((r) => setTimeout(r, 200)); // let it catch up and go idle
      const before = await rows('p_wake');
      await store.append('wake-1', 'no_stream', [{ type: 'Tick', data: {} }]);
      wake$.next();
      await waitFor(async () => (await rows('p_wake')) === before + 1, 5000);
    } finally {
      await stopSoon(runner, wake$);
    }
  });

  itOnServer('lets only one of two concurrent runners apply each event', async () => {
    await makeTable('p_pair');
    for (let i = 0; i < 40; i++) await store.append(`pair-${i}`, 'no_stream', [{ type: 'Tick', data: {} }]);
    const a = new ProjectionRunner(ds, store, countingProjection('pair', 'p_pair'), { batchSize: 5, backoffMs: 1 });
    const b = new ProjectionRunner(ds, store, countingProjection('pair', 'p_pair'), { batchSize: 5, backoffMs: 1 });
    // Double application would hit the primary key and fail the batch.
    await Promise.all([a.catchUp(), b.catchUp()]);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM p_pair`);
    const [{ total }] = await ds.query(`SELECT count(*)::int AS total FROM events WHERE type = 'Tick'`);
    expect(n).toBe(total);
    expect(await ds.query(`SELECT * FROM projection_dead_letters WHERE projection = 'pair'`)).toEqual([]);
  });

  itOnServer('is woken by NOTIFY from another connection (another process)', async () => {
    await makeTable('p_notify');
    const listener = new NotificationListener(db.database.url);
    await listener.start();
    const runner = new ProjectionRunner(ds, store, countingProjection('notify', 'p_notify'), {
      pollMs: 60_000,
      wake$: listener.notified$,
    });
    runner.start();
    const { Client } = await import('pg');
    const other = new Client({
      connectionString: db.database.url,
      options: `-c search_path=${db.config.databaseSchema}`,
    });
    await other.connect();
    try {
      await new Promise((r) => setTimeout(r, 200)); // caught up and idle, with a 60 s poll
      const before = await rows('p_notify');
      // Another session appends: only its NOTIFY can wake this runner in time.
      await other.query(
        `INSERT INTO events (stream_id, stream_version, event_id, type, data, recorded_at)
         VALUES ('notify-1', 1, gen_random_uuid(), 'Tick', '{}', now())`,
      );
      await other.query(`SELECT pg_notify('praxis_events', '')`);
      await waitFor(async () => (await rows('p_notify')) === before + 1, 5000);
    } finally {
      await runner.stop();
      await listener.stop();
      await other.end();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

async function stopSoon(runner: ProjectionRunner, wake$: Subject<void>): Promise<void> {
  const stopping = runner.stop();
  wake$.next();
  await stopping;
}
