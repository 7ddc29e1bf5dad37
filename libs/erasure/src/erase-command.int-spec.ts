import { randomUUID } from 'node:crypto';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { ConfigModule, DatabaseModule } from '@praxis/common';
import { dropTestSchema, testConfig } from '@praxis/testing';
import { EventStore, EventStoreModule } from '@praxis/event-store';
import { ErasePersonalDataCommand, JournalModule, personStream } from '@praxis/journal';

/**
 * An erasure is its event and every step the plan lists, in one transaction. So only a
 * module with the whole plan can erase: with the journal alone, the command has no
 * handler, and nothing is appended (no PersonalDataErased whose key was never destroyed).
 */
describe('the erase command without the erasure plan', () => {
  const config = testConfig('erase_command');
  let ctx: INestApplicationContext;

  beforeAll(async () => {
    @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), EventStoreModule, JournalModule] })
    class JournalOnly {}
    ctx = await NestFactory.createApplicationContext(JournalOnly, { logger: false });
    await ctx.init();
  });
  afterAll(async () => {
    await ctx?.close();
    await dropTestSchema(config);
  });

  it('is refused for want of a handler, and appends nothing', async () => {
    const personId = randomUUID();
    const erase = async () => ctx.get(CommandBus).execute(new ErasePersonalDataCommand(personId));
    await expect(erase()).rejects.toThrow(/no handler found/i);
    expect(await ctx.get(EventStore).readStream(personStream(personId))).toEqual([]);
  });
});
