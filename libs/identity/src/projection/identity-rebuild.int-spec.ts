import { INestApplicationContext } from '@nestjs/common';
import { Database } from '@praxis/common';
import { onServer, openTestContext, testConfig, TestContext } from '@praxis/testing';
import { EventStore, EventStoreModule } from '@praxis/event-store';
import { organisationStream } from '../domain/identity-events';
import { IdentityModule } from '../identity.module';
import { IdentityProjection } from './identity-projection';

// Two connections at once: the embedded database has one session.
const itOnServer = onServer() ? it : it.skip;

describe('rebuilding the identity tables in place', () => {
  const config = testConfig('identity_rebuild');
  let context: TestContext;
  let ctx: INestApplicationContext;
  let db: Database;
  beforeAll(async () => {
    context = await openTestContext(config, [EventStoreModule, IdentityModule]);
    ctx = context.ctx;
    db = ctx.get(Database);
  });
  afterAll(() => context?.close());

  itOnServer(
    'finishes while other appends commit: its own open transaction must not hold back what it reads',
    async () => {
      const store = ctx.get(EventStore);
      for (const [id, name] of [
        ['7d1f3c1e-0000-4000-8000-000000000001', 'Northside'],
        ['7d1f3c1e-0000-4000-8000-000000000002', 'Southside'],
      ])
        await store.append(organisationStream(id), 'no_stream', [
          { type: 'OrganisationCreated', data: { organisationId: id, name } },
        ]);
      const before = await db.dataSource.query(`SELECT * FROM organisations ORDER BY id`);

      // Once the rebuild has begun, another connection appends (and commits) an event of its own.
      let appended = false;
      const appendElsewhere = async () => {
        if (appended) return;
        appended = true;
        await store.append('elsewhere-1', 'no_stream', [{ type: 'SomethingElse', data: {} }]);
      };
      const readAll = store.readAll.bind(store);
      const readAllUnbounded = store.readAllUnbounded.bind(store);
      jest.spyOn(store, 'readAll').mockImplementation(async (...args) => {
        await appendElsewhere();
        return readAll(...args);
      });
      jest.spyOn(store, 'readAllUnbounded').mockImplementation(async (...args) => {
        await appendElsewhere();
        return readAllUnbounded(...args);
      });
      try {
        const rebuilt = ctx.get(IdentityProjection).rebuild();
        const outcome = await Promise.race([
          rebuilt.then((events) => ({ events })),
          new Promise((resolve) => setTimeout(() => resolve('still running after 10 s'), 10_000).unref()),
        ]);
        expect(appended).toBe(true);
        expect(outcome).toEqual({ events: 2 });
        expect(await db.dataSource.query(`SELECT * FROM organisations ORDER BY id`)).toEqual(before);
      } finally {
        jest.restoreAllMocks();
      }
    },
  );
});
