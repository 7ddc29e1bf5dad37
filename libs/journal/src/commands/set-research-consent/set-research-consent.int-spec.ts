import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { onServer, openTestContext, testConfig, TestContext } from '@praxis/testing';
import { EventStore, EventStoreModule } from '@praxis/event-store';
import { JournalModule } from '../../journal.module';
import { personStream } from '../../domain/reflection-events';
import { SetResearchConsentCommand } from './set-research-consent.command';

/** A double click on "I agree": both requests answer with consent given, and it is given once. */
describe('research consent given twice at once', () => {
  const config = testConfig('consent_race');
  let context: TestContext;
  let ctx: INestApplicationContext;

  beforeAll(async () => {
    context = await openTestContext(config, [EventStoreModule, JournalModule]);
    ctx = context.ctx;
  });
  afterAll(() => context?.close());

  // Two connections are needed for a real race; PGlite has one.
  (onServer() ? it : it.skip)('answers both with consent given and records it once', async () => {
    const personId = randomUUID();
    const bus = ctx.get(CommandBus);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => bus.execute(new SetResearchConsentCommand(personId, true))),
    );
    for (const answer of answers) expect(answer).toMatchObject({ granted: true, since: expect.any(String) });
    const events = await ctx.get(EventStore).readStream(personStream(personId));
    expect(events.map((e) => e.type)).toEqual(['ResearchConsentGiven']);
  });
});
