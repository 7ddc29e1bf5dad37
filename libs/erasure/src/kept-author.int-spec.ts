import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { onServer, openTestContext, testConfig, TestContext } from '@praxis/testing';
import { EventStore, EventStoreModule, SubjectKeyStore } from '@praxis/event-store';
import { IdentityModule } from '@praxis/identity';
import {
  ErasePersonalDataCommand,
  JournalModule,
  RecordReflectionCommand,
  reflectionStream,
  SetResearchConsentCommand,
} from '@praxis/journal';
import { ProjectionsModule } from '@praxis/projections';
import { ResearchModule } from '@praxis/research';
import { ErasureModule } from './erasure.module';

/**
 * A process keeps what it last read of a reflection's author (their consent, whether they are
 * erased, their key) and decides the next reflection on it without asking the database. These
 * are two api processes on one database: B changes the author, then A records for them at once.
 * What A kept is stale; the reflection must be decided on what is true now.
 */
describe('a reflection decided on what another process changed', () => {
  const config = testConfig('kept_author');
  const modules = [EventStoreModule, IdentityModule, JournalModule, ProjectionsModule, ResearchModule, ErasureModule];
  let a: TestContext;
  let b: TestContext;

  beforeAll(async () => {
    a = await openTestContext(config, modules);
    if (onServer()) b = await openTestContext(config, modules);
  });
  afterAll(async () => {
    await b?.ctx.close();
    await a?.close();
  });

  const reflection = (whatHappened: string) => ({
    occurredOn: '2025-02-12',
    whatHappened,
    ladderRung: 'co_design',
    resourcePressure: 'stretched',
    challenges: ['time'],
  });
  const record = (ctx: TestContext, personId: string, text: string) =>
    ctx.ctx
      .get(CommandBus)
      .execute(
        new RecordReflectionCommand(
          { id: personId, organisationId: randomUUID(), teamId: null },
          reflection(text) as never,
        ),
      );
  const consentOf = async (reflectionId: string) => {
    const [event] = await a.ctx.get(EventStore).readStream(reflectionStream(reflectionId));
    return (event.data as { researchConsent: boolean }).researchConsent;
  };

  // Two processes need a server: PGlite has one connection, in one process.
  const twoProcesses = onServer() ? it : it.skip;

  twoProcesses('records consent as withdrawn a moment ago in the other process', async () => {
    const person = randomUUID();
    await a.ctx.get(CommandBus).execute(new SetResearchConsentCommand(person, true));
    const first = await record(a, person, 'before withdrawing');
    expect(await consentOf(first.id)).toBe(true);

    await b.ctx.get(CommandBus).execute(new SetResearchConsentCommand(person, false));
    const second = await record(a, person, 'after withdrawing');

    expect(await consentOf(second.id)).toBe(false);
  });

  twoProcesses('refuses a reflection from a person the other process erased, and stores nothing', async () => {
    const person = randomUUID();
    await record(a, person, 'before the erasure');
    await b.ctx.get(CommandBus).execute(new ErasePersonalDataCommand(person));
    expect(await a.ctx.get(SubjectKeyStore).isDestroyed(person)).toBe(true);

    const attempt = record(a, person, 'after the erasure');

    await expect(attempt).rejects.toMatchObject({ code: 'PERSON.ERASED' });
    const written: { n: number }[] = await a.ctx
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM events WHERE type = 'ReflectionRecorded' AND data->>'authorId' = $1`, [
        person,
      ]);
    expect(written[0].n).toBe(1);
  });
});
