import { randomUUID } from 'node:crypto';
import { INestApplicationContext, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ConfigModule, DatabaseModule, ErasureStep } from '@praxis/common';
import { dropTestSchema, onServer, testConfig } from '@praxis/testing';
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
  ExportBuilder,
  ExportFiles,
  ExportKeys,
  ExportRecord,
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

  // Each test writes 2025-Q1 afresh and exports it: it starts as a fresh deployment would, with no quarter published
  // to researchers yet (the first export of a quarter fixes what every export of it holds; research-export e2e tests).
  beforeEach(async () => {
    await ds.query(`DELETE FROM research_placements`);
    await ds.query(`DELETE FROM research_quarters`);
  });

  /** An organisation with one team of workers (four unless told), each with one reflection of 2025-02-12 written with research consent. */
  async function teamOf(orgName: string, names = ['ann', 'bea', 'cal', 'dev']) {
    const org = await ctx.get(CommandBus).execute(new CreateOrganisationCommand(orgName, SYSTEM));
    const team = await ctx.get(CommandBus).execute(new CreateTeamCommand(org.id, 'Housing', SYSTEM));
    const people: { id: string; email: string; reflectionId: string }[] = [];
    for (const name of names) {
      const email = `${name}@${orgName.toLowerCase()}.example`;
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
    return { org, team, people };
  }

  it('leaves nothing of them: key, read models, account, research', async () => {
    const { org, team, people } = await teamOf('Riverside');
    const ann = people[0];
    const session = await ctx.get(SessionStore).start(ann.id);
    const bearer = await ctx
      .get(TokenService)
      .issue({ id: ann.id, email: ann.email, role: 'worker', organisationId: org.id, teamId: team.id });
    await ctx.get(ProjectionHost).catchUpAll();
    const exportBefore = await buildExport();
    // An export of a quarter nobody wrote in counts nobody: the erasure leaves it as it is.
    const empty = await buildExport('2025-04-01', '2025-06-30');
    const exportRow = async (id: string) =>
      (
        await ds.query(`SELECT status, claim, attempts, records, done, total FROM research_exports WHERE id = $1`, [id])
      )[0] as { status: string; claim: number; attempts: number; records: number; done: number; total: number };
    const emptyBefore = await exportRow(empty.id);
    let filesBefore: ExportRecord[] = [];

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
    const [individual, key, account, exports, organisation, research] = erasure.steps;
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
        // Destroyed when the log says the erasure happened, not when some transaction began.
        const [{ destroyed, erased }] = await ds.query(
          `SELECT k.destroyed_at AS destroyed, e.recorded_at AS erased FROM subject_keys k
             JOIN events e ON e.stream_id = 'person-' || k.subject_id AND e.type = 'PersonalDataErased'
            WHERE k.subject_id = $1`,
          [ann.id],
        );
        expect(new Date(destroyed).toISOString()).toBe(new Date(erased).toISOString());
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
    checks.set(exports, {
      before: async () => {
        expect(await exportRow(exportBefore.id)).toMatchObject({ status: 'ready', records: 4, attempts: 1 });
        expect(await recordsOf(exportBefore.id)).toContain(exportBefore.pseudonym(ann.id));
        filesBefore = await filesOf(exportBefore.id);
      },
      after: async () => {
        // Back to the queue at once, in the erasure's transaction: nothing of the export left to download.
        expect(await exportRow(exportBefore.id)).toMatchObject({
          status: 'queued',
          claim: 2,
          attempts: 0,
          records: 0,
          done: 0,
          total: 0,
        });
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM research_export_pages WHERE export_id = $1`, [
          exportBefore.id,
        ]);
        expect(n).toBe(0);
        await expect(recordsOf(exportBefore.id)).rejects.toThrow(/not ready/);
        await expect(ctx.get(ResearchExports).ready(exportBefore.researcherId, exportBefore.id)).rejects.toMatchObject({
          code: 'RESEARCH_EXPORT.NOT_READY',
        });
        expect(await exportRow(empty.id)).toEqual(emptyBefore);
        // Built again under its horizon and a fresh key: without Ann, and with no pseudonym of the old files, so a
        // researcher holding another export cannot tell whose pseudonym vanished from this one.
        await ctx.get(ExportWorker).drain();
        expect(await exportRow(exportBefore.id)).toMatchObject({ status: 'ready', records: 3, attempts: 1 });
        const rebuilt = await filesOf(exportBefore.id);
        const fresh = new Pseudonymiser((await ctx.get(ExportKeys).load(exportBefore.id, ds))!);
        expect(rebuilt.map((r) => r.person).sort()).toEqual(
          people
            .slice(1)
            .map((p) => fresh.person(p.id))
            .sort(),
        );
        expect(pseudonymsOf(rebuilt).filter((p) => pseudonymsOf(filesBefore).includes(p))).toEqual([]);
        // The others' records are all still there (pseudonyms aside), and Ann's are gone.
        const annOld = exportBefore.pseudonym(ann.id);
        expect(withoutPseudonyms(rebuilt)).toEqual(withoutPseudonyms(filesBefore.filter((r) => r.person !== annOld)));
        expect(rebuilt.map((r) => r.person)).not.toContain(fresh.person(ann.id));
        const [{ tags }] = await ds.query(`SELECT member_tags AS tags FROM research_exports WHERE id = $1`, [
          exportBefore.id,
        ]);
        expect(tags).toHaveLength(3);
        expect(tags).not.toContain(fresh.memberTag(ann.id));
        expect(tags.filter((t: string) => people.some((p) => exportBefore.tag(p.id) === t))).toEqual([]);
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
    // The export worker (a no-op here: the test builds with drain) is woken once the erasure has committed.
    const wake = jest.spyOn(ctx.get(ExportWorker), 'wake');
    await ctx.get(CommandBus).execute(new ErasePersonalDataCommand(ann.id));
    expect(wake).toHaveBeenCalledTimes(1);
    wake.mockRestore();
    for (const step of erasure.steps) await checks.get(step)!.after();
    // The others are untouched.
    expect((await ctx.get(JournalQueries).list(people[1].id)).items).toHaveLength(1);
    await expect(ctx.get(AuthService).authenticate(people[1].email, PASSWORD)).resolves.toBeDefined();
  });

  // Two sessions at once (the builder's own, and the erasure's): a server only, PGlite has one connection.
  (onServer() ? it : it.skip)(
    'stops a builder at work when the erasure comes: it writes nothing more, and the export is built again',
    async () => {
      const { people } = await teamOf('Hillside');
      const eve = people[0];
      const builder = ctx.get(ExportBuilder);
      const build = builder.build.bind(builder);
      let during: { status: string; claim: number; pages: number } | undefined;
      let claimed = 0;
      // The build stages and writes its records with Eve in them; then, before it can mark the export ready, she erases.
      const spy = jest.spyOn(builder, 'build').mockImplementationOnce(async (db, job) => {
        claimed = job.claim;
        const report = await build(db, job);
        expect(report.records).toBeGreaterThan(0);
        await ctx.get(CommandBus).execute(new ErasePersonalDataCommand(eve.id));
        [during] = await ds.query(
          `SELECT status, claim, (SELECT count(*)::int FROM research_export_pages WHERE export_id = $1) AS pages
             FROM research_exports WHERE id = $1`,
          [job.exportId],
        );
        return report;
      });
      try {
        const exp = await buildExport('2025-01-01', '2025-03-31');
        expect(spy).toHaveBeenCalledTimes(2);
        // The erasure took its claim and its records; the builder's "ready" then found the claim gone and wrote nothing.
        expect(during).toEqual({ status: 'queued', claim: claimed + 1, pages: 0 });
        // The second build (the drain goes on to it) made it ready without Eve, and counts no failing builder.
        const [row] = await ds.query(`SELECT status, claim, attempts FROM research_exports WHERE id = $1`, [exp.id]);
        expect(row).toEqual({ status: 'ready', claim: claimed + 2, attempts: 1 });
        expect(exp.people.has(exp.pseudonym(eve.id))).toBe(false);
        // Everyone else of the quarter is still there (Riverside's three and Hillside's three).
        for (const other of people.slice(1)) expect(exp.people.has(exp.pseudonym(other.id))).toBe(true);
      } finally {
        spy.mockRestore();
      }
    },
  );

  it('leaves alone an export that held the person only in its suppressed count', async () => {
    await teamOf('Brookside');
    // Alone in their team: under k = 3 in every period, so none of their records is released.
    const [fay] = (await teamOf('Lakeside', ['fay'])).people;
    const exp = await buildExport();
    const state = async () => ({
      row: (
        await ds.query(
          `SELECT status, claim, attempts, records, done, total, report, member_tags FROM research_exports WHERE id = $1`,
          [exp.id],
        )
      )[0],
      key: (await ds.query(`SELECT wrapped_key FROM research_export_keys WHERE export_id = $1`, [exp.id]))[0],
      files: await filesOf(exp.id),
    });
    const before = await state();
    expect(before.row).toMatchObject({ status: 'ready' });
    expect(before.row.report.suppressed).toBeGreaterThanOrEqual(1);
    expect(before.files.length).toBeGreaterThan(0);
    expect(before.files.map((r) => r.person)).not.toContain(exp.pseudonym(fay.id));
    expect(before.row.member_tags).not.toContain(exp.tag(fay.id));

    await ctx.get(CommandBus).execute(new ErasePersonalDataCommand(fay.id));
    // Rebuilding would change only the report's counts: that a reflection left a group under k, and whose.
    expect(await state()).toEqual(before);
  });

  it("erases even when an export's key cannot be unwrapped: that export is built again under a fresh key", async () => {
    const { people } = await teamOf('Meadowside');
    const damaged = await buildExport();
    const [{ wrapped_key: wrapped }] = await ds.query(
      `SELECT wrapped_key FROM research_export_keys WHERE export_id = $1`,
      [damaged.id],
    );
    const broken = Buffer.from(wrapped);
    broken[broken.length - 1] ^= 0xff;
    await ds.query(`UPDATE research_export_keys SET wrapped_key = $2 WHERE export_id = $1`, [damaged.id, broken]);
    await expect(ctx.get(ExportKeys).load(damaged.id, ds)).rejects.toThrow();

    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await ctx.get(CommandBus).execute(new ErasePersonalDataCommand(people[0].id));
      const [row] = await ds.query(`SELECT status, records FROM research_exports WHERE id = $1`, [damaged.id]);
      expect(row).toEqual({ status: 'queued', records: 0 });
      // Logged by the export's id alone: nothing of the person erasing.
      const logged = warn.mock.calls.map((call) => String(call[0]));
      expect(logged.some((line) => line.includes(damaged.id))).toBe(true);
      for (const line of logged) expect(line).not.toContain(people[0].id);
    } finally {
      warn.mockRestore();
    }
    // Its key row replaced: the rebuild has a key to work with, and the export is ready again.
    await ctx.get(ExportWorker).drain();
    const fresh = new Pseudonymiser((await ctx.get(ExportKeys).load(damaged.id, ds))!);
    const [row] = await ds.query(`SELECT status FROM research_exports WHERE id = $1`, [damaged.id]);
    expect(row).toEqual({ status: 'ready' });
    const persons = (await filesOf(damaged.id)).map((r) => r.person);
    expect(persons).toEqual(expect.arrayContaining(people.slice(1).map((p) => fresh.person(p.id))));
    expect(persons).not.toContain(fresh.person(people[0].id));
  });

  /** Every record of an export, in file order. */
  async function filesOf(id: string): Promise<ExportRecord[]> {
    const records: ExportRecord[] = [];
    for await (const page of ctx.get(ExportFiles).records(id)) records.push(...page);
    return records;
  }

  /** The person pseudonym of each record of an export, in file order. */
  async function recordsOf(id: string): Promise<string[]> {
    return (await filesOf(id)).map((r) => r.person);
  }

  /** Every pseudonym (person, organisation, team) the records hold. */
  function pseudonymsOf(records: ExportRecord[]): string[] {
    return records.flatMap((r) => [r.person, r.organisation, ...(r.team ? [r.team] : [])]);
  }

  /** The records with their pseudonyms removed, as a sorted multiset. */
  function withoutPseudonyms(records: ExportRecord[]): string[] {
    return records
      .map((r) => JSON.stringify({ ...r, person: undefined, organisation: undefined, team: undefined }))
      .sort();
  }

  /** Builds a research export (of 2025-Q1 unless told) and reads who is in it. */
  async function buildExport(
    from = '2025-01-01',
    to = '2025-03-31',
  ): Promise<{
    id: string;
    researcherId: string;
    people: Set<string>;
    pseudonym: (id: string) => string;
    tag: (id: string) => string;
  }> {
    const researcherId = randomUUID();
    const { id } = await ctx.get(ResearchExports).create(researcherId, from, to);
    await ctx.get(ExportWorker).drain();
    const people = new Set(await recordsOf(id));
    const pseudonyms = new Pseudonymiser((await ctx.get(ExportKeys).load(id, ds))!);
    return {
      id,
      researcherId,
      people,
      pseudonym: (personId) => pseudonyms.person(personId),
      tag: (personId) => pseudonyms.memberTag(personId),
    };
  }
});
