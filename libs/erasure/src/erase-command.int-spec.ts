import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { openTestContext, testConfig, TestContext } from '@praxis/testing';
import { EventStore, EventStoreModule } from '@praxis/event-store';
import { ErasePersonalDataCommand, JournalModule, personStream } from '@praxis/journal';

/**
 * An erasure is its event and every step the plan lists, in one transaction. So only a
 * module with the whole plan can erase: with the journal alone, the command has no
 * handler, and nothing is appended (no PersonalDataErased whose key was never destroyed).
 */
describe('the erase command without the erasure plan', () => {
  const config = testConfig('erase_command');
  let context: TestContext;
  let ctx: INestApplicationContext;

  beforeAll(async () => {
    context = await openTestContext(config, [EventStoreModule, JournalModule]);
    ctx = context.ctx;
  });
  afterAll(() => context?.close());

  it('is refused for want of a handler, and appends nothing', async () => {
    const personId = randomUUID();
    const erase = async () => ctx.get(CommandBus).execute(new ErasePersonalDataCommand(personId));
    await expect(erase()).rejects.toThrow(/no handler found/i);
    expect(await ctx.get(EventStore).readStream(personStream(personId))).toEqual([]);
  });
});
