import { randomUUID } from 'node:crypto';
import { EventStore, ProjectionHost, ProjectionRunner } from '@praxis/event-store';
import { openTestDatabase, TestDatabase } from '@praxis/testing';
import { buildStore, FixedClock } from '../../../event-store/src/testing';
import { codedFields, record } from '../testing/journal-events';
import { OrganisationProjection } from './organisation-projection';
import { OrganisationTrends } from './organisation-trends';
import { PublishedQuarters } from './published-quarters';

/** Publication against a real database: what it freezes, and when it refuses to. */
describe('published quarters (real database)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner;
  let trends: OrganisationTrends;
  // 2025-Q1 ended on 30 March 2025: with a grace of 14 days it is shown from 14 April.
  const clock = new FixedClock(new Date('2025-04-14T09:00:00Z'));

  beforeAll(async () => {
    db = await openTestDatabase('published_quarters');
    const built = buildStore(db.dataSource, clock);
    store = built.store;
    built.inline.register(new PublishedQuarters(built.inline));
    runner = new ProjectionRunner(
      db.dataSource,
      store,
      new OrganisationProjection(undefined as unknown as ProjectionHost),
    );
    await runner.catchUp(); // the checkpoint exists from here on
    trends = new OrganisationTrends(db.dataSource, db.config, clock, store);
  });
  afterAll(() => db.close());

  const write = (org: string, n: number, day: string) =>
    Promise.all(
      Array.from({ length: n }, () =>
        record(store, { authorId: randomUUID(), organisationId: org, teamId: null }, codedFields(day, 2, 5)),
      ),
    );

  it('does not show a quarter before its grace has passed, and publishes it on the first answer after', async () => {
    const org = randomUUID();
    await write(org, 6, '2025-03-12');
    await runner.catchUp();
    const early = new OrganisationTrends(
      db.dataSource,
      db.config,
      new FixedClock(new Date('2025-04-13T23:00:00Z')),
      store,
    );
    const [before] = (await early.trends(org, { granularity: 'quarter', from: '2025-01-01', to: '2025-03-30' }))
      .periods;
    expect(before).toEqual({
      period: '2025-Q1',
      starts: '2024-12-30',
      ends: '2025-03-30',
      suppressed: true,
      open: true,
      appearsOn: '2025-04-14',
    });
    const [after] = (await trends.trends(org, { granularity: 'quarter', from: '2025-01-01', to: '2025-03-30' }))
      .periods;
    expect(after).toMatchObject({ period: '2025-Q1', suppressed: false, reflections: 6 });
    expect(await store.readStream(`publication-${org}-2025-Q1`)).toHaveLength(1);
  });

  it('refuses (503) to freeze a quarter while the contributions miss reflections already in the log, and publishes once they hold them', async () => {
    const org = randomUUID();
    await write(org, 6, '2025-02-12'); // not yet projected
    await expect(
      trends.trends(org, { granularity: 'month', from: '2025-02-01', to: '2025-02-28' }),
    ).rejects.toMatchObject({ code: 'TRENDS.NOT_READY', kind: 'unavailable' });
    expect(await store.readStream(`publication-${org}-2025-Q1`)).toEqual([]);
    await runner.catchUp();
    const answer = await trends.trends(org, { granularity: 'month', from: '2025-02-01', to: '2025-02-28' });
    expect(answer.periods.find((p) => p.period === '2025-02')).toMatchObject({ suppressed: false, reflections: 6 });
  });
});
