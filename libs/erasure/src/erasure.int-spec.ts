import { randomUUID } from 'node:crypto';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ConfigModule, DatabaseModule, ErasureStep } from '@praxis/common';
import { dropTestSchema, testConfig } from '@praxis/testing';
import {
  EventStore,
  EventStoreModule,
  InlineProjectionRegistry,
  isErased,
  ProjectionHost,
  SubjectKeyStore,
} from '@praxis/event-store';
import {
  AddMemberCommand,
  AuthService,
  CreateOrganisationCommand,
  CreateTeamCommand,
  IdentityModule,
  IdentityQueries,
  SessionStore,
  SYSTEM,
  TokenService,
} from '@praxis/identity';
import {
  ErasePersonalDataCommand,
  INDIVIDUAL_PROJECTION,
  JournalModule,
  JournalQueries,
  RecordReflectionCommand,
  reflectionStream,
  SetResearchConsentCommand,
} from '@praxis/journal';
import { CONTRIBUTIONS, ProjectionsModule } from '@praxis/projections';
import {
  EXPORT_BUILD,
  ExportFiles,
  ExportKeys,
  ExportWorker,
  Pseudonymiser,
  ResearchExports,
  ResearchModule,
} from '@praxis/research';
import { Erasure } from './erasure';
import { ErasureModule } from './erasure.module';

const PASSWORD = 'a password of their own';
const SECRET = 'what Ann wrote, and nobody may read after';

/**
 * Erases one person of four and walks every step of the erasure plan, each
 * checked before and after: what the step removes was there, and is gone.
 */
describe('erasing a person, step by step', () => {
  // k = 3: four people in one team and week are exported; three still are after one is erased.
  const config = testConfig('erasure', { PRAXIS_MIN_COHORT: '3' });
  let ctx: INestApplicationContext;
  let ds: DataSource;

  beforeAll(async () => {
    @Module({
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        EventStoreModule,
        IdentityModule,
        JournalModule,
        ProjectionsModule,
        ResearchModule,
        ErasureModule,
      ],
    })
    class TestModule {}
    ctx = await NestFactory.createApplicationContext(TestModule, { logger: false });
    ds = ctx.get(DataSource);
  });
  afterAll(async () => {
    await ctx?.close();
    await dropTestSchema(config);
  });

  it('leaves nothing of them: key, read models, account, research', async () => {
    const org = await ctx.get(CommandBus).execute(new CreateOrganisationCommand('Riverside', SYSTEM));
    const team = await ctx.get(CommandBus).execute(new CreateTeamCommand(org.id, 'Housing', SYSTEM));
    const people: { id: string; email: string; reflectionId: string }[] = [];
    for (const name of ['ann', 'bea', 'cal', 'dev']) {
      const email = `${name}@riverside.example`;
      const member = await ctx
        .get(CommandBus)
        .execute(
          new AddMemberCommand(
            { organisationId: org.id, email, password: PASSWORD, role: 'worker', teamId: team.id },
            SYSTEM,
          ),
        );
      await ctx.get(CommandBus).execute(new SetResearchConsentCommand(member.id, true));
      const { id: reflectionId } = await ctx.get(CommandBus).execute(
        new RecordReflectionCommand(
          { id: member.id, organisationId: org.id, teamId: team.id },
          {
            occurredOn: '2025-02-12',
            whatHappened: name === 'ann' ? SECRET : `what ${name} wrote`,
            ladderRung: 'co_design',
            resourcePressure: 'stretched',
            challenges: ['time'],
          },
          `retry-${name}`,
        ),
      );
      people.push({ ...member, reflectionId });
    }
    const ann = people[0];
    const session = await ctx.get(SessionStore).start(ann.id);
    const bearer = await ctx
      .get(TokenService)
      .issue({ id: ann.id, email: ann.email, role: 'worker', organisationId: org.id, teamId: team.id });
    await ctx.get(ProjectionHost).catchUpAll();
    const exportBefore = await buildExport();

    /** One check per step, run before the erasure (it holds) and after (it holds no more). */
    const erasure = ctx.get(Erasure);
    const sealed = async () =>
      (
        (await ctx.get(EventStore).readStream(reflectionStream(ann.reflectionId)))[0].data as {
          content: { whatHappened: string };
        }
      ).content.whatHappened;
    const rows = async (sql: string) => Number((await ds.query(sql, [ann.id]))[0].n);
    const checks = new Map<ErasureStep, { before: () => Promise<void>; after: () => Promise<void> }>();
    const [individual, key, account, organisation, research] = erasure.steps;
    checks.set(individual, {
      before: async () => expect((await ctx.get(JournalQueries).list(ann.id)).items).toHaveLength(1),
      after: async () => {
        expect((await ctx.get(JournalQueries).list(ann.id)).items).toHaveLength(0);
        expect(await rows(`SELECT count(*) AS n FROM journal_reflections WHERE author_id = $1`)).toBe(0);
      },
    });
    checks.set(key, {
      before: async () => {
        expect(await ctx.get(SubjectKeyStore).decrypt(ann.id, await sealed())).toBe(SECRET);
        expect(
          await rows(`SELECT count(*) AS n FROM idempotency_keys WHERE key LIKE 'record-reflection:' || $1 || ':%'`),
        ).toBe(1);
      },
      after: async () => {
        expect(await ctx.get(SubjectKeyStore).isDestroyed(ann.id)).toBe(true);
        expect(isErased(await ctx.get(SubjectKeyStore).decrypt(ann.id, await sealed()))).toBe(true);
        expect(
          await rows(`SELECT count(*) AS n FROM idempotency_keys WHERE key LIKE 'record-reflection:' || $1 || ':%'`),
        ).toBe(0);
        const log = JSON.stringify(await ds.query(`SELECT data FROM events`));
        expect(log).not.toContain(SECRET);
      },
    });
    checks.set(account, {
      before: async () => {
        await expect(ctx.get(AuthService).authenticate(ann.email, PASSWORD)).resolves.toMatchObject({ id: ann.id });
        expect(await ctx.get(SessionStore).find(session.token)).toMatchObject({ id: ann.id });
        expect((await ctx.get(IdentityQueries).members(org.id)).map((m) => m.id)).toContain(ann.id);
      },
      after: async () => {
        await expect(ctx.get(AuthService).authenticate(ann.email, PASSWORD)).rejects.toThrow();
        expect(await ctx.get(SessionStore).find(session.token)).toBeUndefined();
        // A bearer token issued before names an account that is no longer there to let in.
        const { accountId } = await ctx.get(TokenService).verify(bearer.accessToken);
        expect(await ctx.get(AuthService).userById(accountId)).toBeUndefined();
        expect((await ctx.get(IdentityQueries).members(org.id)).map((m) => m.id)).not.toContain(ann.id);
        const [row] = await ds.query(`SELECT email, password_hash FROM accounts WHERE id = $1`, [ann.id]);
        expect(row).toEqual({ email: `erased-${ann.id}@erased.invalid`, password_hash: 'erased' });
        for (const table of ['web_sessions', 'account_tokens', 'mail_outbox'])
          expect(await rows(`SELECT count(*) AS n FROM ${table} WHERE account_id = $1`)).toBe(0);
      },
    });
    checks.set(organisation, {
      before: async () => expect(await rows(`SELECT count(*) AS n FROM ${CONTRIBUTIONS} WHERE author_id = $1`)).toBe(1),
      after: async () => {
        await ctx.get(ProjectionHost).catchUpAll();
        expect(await rows(`SELECT count(*) AS n FROM ${CONTRIBUTIONS} WHERE author_id = $1`)).toBe(0);
      },
    });
    checks.set(research, {
      before: async () => expect(exportBefore.people).toEqual(new Set(people.map((p) => exportBefore.pseudonym(p.id)))),
      after: async () => {
        const after = await buildExport();
        expect(after.people.has(after.pseudonym(ann.id))).toBe(false);
        expect(after.people).toEqual(new Set(people.slice(1).map((p) => after.pseudonym(p.id))));
      },
    });

    // Every step of the plan has its check, and every step read from the log is done by a reader that reads the event.
    expect([...checks.keys()]).toEqual(erasure.steps);
    expect(erasure.steps.map((s) => s.runs)).toEqual([
      'from the log',
      'with the erasure',
      'with the erasure',
      'from the log',
      'from the log',
    ]);
    const readers = new Map<string, readonly string[]>([
      ...ctx
        .get(InlineProjectionRegistry)
        .all()
        .map((p): [string, readonly string[]] => [p.name, p.eventTypes]),
      ...ctx
        .get(ProjectionHost)
        .names()
        .map((name): [string, readonly string[]] => [
          name,
          ctx.get(ProjectionHost).runner(name)!.projection.eventTypes,
        ]),
    ]);
    // The inline read model applies the event before the erasure's own steps, in the same transaction, as listed.
    const inline = ctx
      .get(InlineProjectionRegistry)
      .all()
      .map((p) => p.name);
    expect(inline.indexOf(INDIVIDUAL_PROJECTION)).toBeLessThan(inline.indexOf(erasure.name));
    for (const step of erasure.steps) {
      if (step.runs === 'from the log' && step.by !== EXPORT_BUILD)
        expect(readers.get(step.by)).toContain('PersonalDataErased');
    }

    for (const step of erasure.steps) await checks.get(step)!.before();
    await ctx.get(CommandBus).execute(new ErasePersonalDataCommand(ann.id));
    for (const step of erasure.steps) await checks.get(step)!.after();
    // The others are untouched.
    expect((await ctx.get(JournalQueries).list(people[1].id)).items).toHaveLength(1);
    await expect(ctx.get(AuthService).authenticate(people[1].email, PASSWORD)).resolves.toBeDefined();
  });

  /** Builds a research export of 2025-Q1 and reads who is in it. */
  async function buildExport(): Promise<{ people: Set<string>; pseudonym: (id: string) => string }> {
    const { id } = await ctx.get(ResearchExports).create(randomUUID(), '2025-01-01', '2025-03-31');
    await ctx.get(ExportWorker).drain();
    const people = new Set<string>();
    for await (const page of ctx.get(ExportFiles).records(id)) for (const record of page) people.add(record.person);
    const pseudonyms = new Pseudonymiser((await ctx.get(ExportKeys).load(id, ds))!);
    return { people, pseudonym: (personId) => pseudonyms.person(personId) };
  }
});
