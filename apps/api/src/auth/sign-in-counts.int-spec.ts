import { Clock } from '@praxis/common';
import { openTestDatabase, TestDatabase } from '@praxis/testing';
import { SignInCounts } from './sign-in-counts';

class SetClock extends Clock {
  at = new Date('2026-03-02T09:00:00Z');
  now(): Date {
    return this.at;
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

const TTL = 60_000;
const LIMIT = 3;

describe('sign-in counts in the database', () => {
  let db: TestDatabase;
  let clock: SetClock;
  let counts: SignInCounts;
  beforeAll(async () => {
    db = await openTestDatabase('sign_in_counts');
  });
  afterAll(() => db?.close());
  beforeEach(() => {
    clock = new SetClock();
    counts = new SignInCounts(db.dataSource, clock);
  });

  const hit = (key: string, store = counts) => store.increment(key, TTL, LIMIT, TTL);

  it('counts up to the limit, then blocks until the block runs out, then starts again', async () => {
    for (let i = 1; i <= LIMIT; i++)
      expect(await hit('a')).toMatchObject({ totalHits: i, isBlocked: false, timeToBlockExpire: 0 });
    expect(await hit('a')).toMatchObject({ totalHits: LIMIT + 1, isBlocked: true, timeToBlockExpire: 60 });
    clock.advance(30_000);
    // Refused attempts while blocked are not counted and do not stretch the block.
    expect(await hit('a')).toMatchObject({ totalHits: LIMIT + 1, isBlocked: true, timeToBlockExpire: 30 });
    expect(await hit('other')).toMatchObject({ totalHits: 1, isBlocked: false });
    clock.advance(30_000);
    expect(await hit('a')).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
  });

  it('forgets a window once it has ended, and sweeps its row', async () => {
    await hit('b');
    await hit('b');
    clock.advance(TTL);
    expect(await hit('c')).toMatchObject({ totalHits: 1 });
    const rows: unknown[] = await db.dataSource.query(`SELECT key FROM sign_in_counts WHERE key = 'b'`);
    expect(rows).toHaveLength(0);
    expect(await hit('b')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('two stores on one database share the count', async () => {
    const second = new SignInCounts(db.dataSource, clock);
    await hit('d');
    expect(await hit('d', second)).toMatchObject({ totalHits: 2 });
  });

  // On a server the pool's connections race for the row; PGlite's one session queues them.
  it('concurrent attempts each count once: none is lost, exactly the limit get through', async () => {
    const attempts = 20;
    const records = await Promise.all(Array.from({ length: attempts }, () => hit('e')));
    const through = records.filter((r) => !r.isBlocked);
    expect(through).toHaveLength(LIMIT);
    expect(through.map((r) => r.totalHits).sort()).toEqual([1, 2, 3]);
  });
});
