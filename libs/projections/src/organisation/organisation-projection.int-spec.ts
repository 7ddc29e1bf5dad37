import { SystemClock } from '@praxis/common';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { EventStore, InlineProjectionRegistry, ProjectionHost, ProjectionRunner } from '@praxis/event-store';
import { buildStore } from '../../../event-store/src/testing';
import { ARGUMENT_CODES, CHALLENGE_CODES, EMBEDDING_CODES, PRINCIPLE_CODES, RECEPTION_CODES } from '@praxis/journal';
import { onServer, openTestDatabase, TestDatabase } from '@praxis/testing';
import { ReadModelRebuilder } from '../rebuild/read-model-rebuilder';
import { leftoverShadows } from '../rebuild/shadow-tables';
import { amend, codedFields, erase, record, withdraw } from '../testing/journal-events';
import { OrganisationProjection } from './organisation-projection';

type Action =
  | {
      kind: 'record';
      author: number;
      team: number;
      day: number;
      pressure: number;
      rung: number;
      aspired: number | null;
      challenges: string[];
      embedding: number | null;
      lived: boolean | null;
    }
  | {
      kind: 'amend';
      target: number;
      day: number | null;
      pressure: number | null;
      rung: number | null;
      aspired: number | null | undefined;
      principles: string[] | null;
      advocacy: { argument: number; reception: number | null } | null | undefined;
    }
  | { kind: 'withdraw'; target: number }
  | { kind: 'erase'; author: number }
  | { kind: 'catchUp' };

const dayOf = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      author: fc.nat(5),
      team: fc.nat(2),
      day: fc.nat(120),
      pressure: fc.integer({ min: 1, max: 4 }),
      rung: fc.integer({ min: 1, max: 7 }),
      aspired: fc.option(fc.integer({ min: 1, max: 7 })),
      challenges: fc.subarray([...CHALLENGE_CODES]),
      embedding: fc.option(fc.integer({ min: 1, max: 4 })),
      lived: fc.option(fc.boolean()),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('amend' as const),
      target: fc.nat(50),
      day: fc.option(fc.nat(120)),
      pressure: fc.option(fc.integer({ min: 1, max: 4 })),
      rung: fc.option(fc.integer({ min: 1, max: 7 })),
      aspired: fc.option(fc.option(fc.integer({ min: 1, max: 7 })), { nil: undefined }),
      principles: fc.option(fc.subarray([...PRINCIPLE_CODES])),
      advocacy: fc.option(
        fc.option(
          fc.record({ argument: fc.integer({ min: 1, max: 4 }), reception: fc.option(fc.integer({ min: 1, max: 3 })) }),
        ),
        { nil: undefined },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), target: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase' as const), author: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'catchUp' as const }) },
);

interface ModelRow {
  reflection_id: string;
  author_id: string;
  organisation_id: string;
  team_id: string | null;
  occurred_on: string;
  pressure: number;
  rung: number;
  aspired: number | null;
  challenges: string[];
  principles: string[];
  embedding: number | null;
  argument: number | null;
  reception: number | null;
  lived: boolean | null;
}

const ROWS_SQL = `SELECT reflection_id, author_id, organisation_id, team_id, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on,
                         pressure, rung, aspired, challenges, principles, embedding, argument, reception, lived FROM org_contributions`;
const NO_PRACTICE = { embedding: null, argument: null, reception: null, lived: null };

describe('organisation projection (real database)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: EventStore;
  let inline: InlineProjectionRegistry;
  const projection = new OrganisationProjection(undefined as unknown as ProjectionHost);

  beforeAll(async () => {
    db = await openTestDatabase('org_projection');
    ds = db.dataSource;
    ({ store, inline } = buildStore(ds));
  });
  afterAll(() => db.close());

  const rebuilder = () =>
    new ReadModelRebuilder(
      ds,
      store,
      inline,
      { names: () => [], runner: () => undefined } as unknown as ProjectionHost,
      new SystemClock(),
      db.config,
    );
  const snapshot = async (): Promise<ModelRow[]> => ds.query(`${ROWS_SQL} ORDER BY reflection_id`);

  it('keeps each live reflection as recorded, amended (occurredOn moves it), and forgets withdrawn and erased ones', async () => {
    const org = randomUUID();
    const [ana, ben] = [randomUUID(), randomUUID()];
    const team = randomUUID();
    const a = await record(
      store,
      { authorId: ana, organisationId: org, teamId: team },
      codedFields('2025-03-03', 2, 5, { challenges: ['time'], embedding: 'recurring', livedExperienceInvolved: true }),
    );
    const b = await record(
      store,
      { authorId: ben, organisationId: org, teamId: null },
      codedFields('2025-03-04', 4, 2),
    );
    const c = await record(
      store,
      { authorId: ben, organisationId: org, teamId: null },
      codedFields('2025-03-05', 3, 3),
    );
    await amend(store, a.reflectionId, ana, {
      occurredOn: '2025-05-01',
      aspiredRung: 'co_production',
      principles: ['assets'],
      advocacy: { argument: 'less_risk', reception: 'neutral' },
    });
    await withdraw(store, b.reflectionId, ben);
    await new ProjectionRunner(ds, store, projection, { batchSize: 2 }).catchUp();
    const rows = (await snapshot()).filter((r) => r.organisation_id === org);
    expect(rows).toEqual(
      [
        {
          reflection_id: a.reflectionId,
          author_id: ana,
          organisation_id: org,
          team_id: team,
          occurred_on: '2025-05-01',
          pressure: 2,
          rung: 5,
          aspired: 7,
          challenges: ['time'],
          principles: ['assets'],
          embedding: 2,
          argument: 3,
          reception: 2,
          lived: true,
        },
        {
          reflection_id: c.reflectionId,
          author_id: ben,
          organisation_id: org,
          team_id: null,
          occurred_on: '2025-03-05',
          pressure: 3,
          rung: 3,
          aspired: null,
          challenges: [],
          principles: [],
          ...NO_PRACTICE,
        },
      ].sort((x, y) => (x.reflection_id < y.reflection_id ? -1 : 1)),
    );
    await erase(store, ben);
    await new ProjectionRunner(ds, store, projection).catchUp();
    expect((await snapshot()).filter((r) => r.author_id === ben)).toEqual([]);
    // No free text ever reaches this model: its columns are the ordinals and codes above.
    const columns: { column_name: string }[] = await ds.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'org_contributions' AND table_schema = current_schema()`,
    );
    expect(columns.map((c) => c.column_name).sort()).toEqual([
      'argument',
      'aspired',
      'author_id',
      'challenges',
      'embedding',
      'lived',
      'occurred_on',
      'organisation_id',
      'pressure',
      'principles',
      'reception',
      'reflection_id',
      'rung',
      'team_id',
    ]);
  });

  it('incremental updates, cut into any batches, equal the model and a full rebuild (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(action, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        async (actions, batchSize) => {
          const org = randomUUID();
          const authors = Array.from({ length: 6 }, () => randomUUID());
          const teams = [randomUUID(), randomUUID(), null];
          const model = new Map<string, ModelRow>();
          const erased = new Set<string>();
          const runner = new ProjectionRunner(ds, store, projection, { batchSize });
          const written: string[] = [];
          for (const act of actions) {
            if (act.kind === 'record') {
              const author = authors[act.author];
              if (erased.has(author)) continue; // an erased person's account is closed
              const fields = codedFields(dayOf(act.day), act.pressure, act.rung, {
                challenges: act.challenges as never,
                aspiredRung: act.aspired ? codedFields('2025-01-01', 1, act.aspired).ladderRung : null,
                embedding: act.embedding ? EMBEDDING_CODES[act.embedding - 1] : null,
                livedExperienceInvolved: act.lived,
              });
              const { reflectionId } = await record(
                store,
                { authorId: author, organisationId: org, teamId: teams[act.team] },
                fields,
              );
              written.push(reflectionId);
              model.set(reflectionId, {
                reflection_id: reflectionId,
                author_id: author,
                organisation_id: org,
                team_id: teams[act.team],
                occurred_on: dayOf(act.day),
                pressure: act.pressure,
                rung: act.rung,
                aspired: act.aspired,
                challenges: act.challenges,
                principles: [],
                ...NO_PRACTICE,
                embedding: act.embedding,
                lived: act.lived,
              });
            } else if (act.kind === 'amend' || act.kind === 'withdraw') {
              const id = written[act.target % Math.max(1, written.length)];
              const row = id ? model.get(id) : undefined;
              if (!row) continue; // gone: the journal refuses to amend or withdraw it
              if (act.kind === 'withdraw') {
                await withdraw(store, id, row.author_id);
                model.delete(id);
                continue;
              }
              const change = {
                ...(act.day !== null && { occurredOn: dayOf(act.day) }),
                ...(act.pressure !== null && { resourcePressure: codedFields('', act.pressure, 1).resourcePressure }),
                ...(act.rung !== null && { ladderRung: codedFields('', 1, act.rung).ladderRung }),
                ...(act.aspired !== undefined && {
                  aspiredRung: act.aspired === null ? null : codedFields('', 1, act.aspired).ladderRung,
                }),
                ...(act.principles !== null && { principles: act.principles as never }),
                ...(act.advocacy !== undefined && {
                  advocacy: act.advocacy && {
                    argument: ARGUMENT_CODES[act.advocacy.argument - 1],
                    reception: act.advocacy.reception ? RECEPTION_CODES[act.advocacy.reception - 1] : null,
                  },
                }),
              };
              await amend(store, id, row.author_id, change);
              model.set(id, {
                ...row,
                occurred_on: act.day !== null ? dayOf(act.day) : row.occurred_on,
                pressure: act.pressure ?? row.pressure,
                rung: act.rung ?? row.rung,
                aspired: act.aspired !== undefined ? act.aspired : row.aspired,
                principles: act.principles ?? row.principles,
                ...(act.advocacy !== undefined && {
                  argument: act.advocacy?.argument ?? null,
                  reception: act.advocacy?.reception ?? null,
                }),
              });
            } else if (act.kind === 'erase') {
              const author = authors[act.author];
              await erase(store, author);
              erased.add(author);
              for (const [id, row] of model) if (row.author_id === author) model.delete(id);
            } else {
              await runner.catchUp();
            }
          }
          await runner.catchUp();
          const incremental = await snapshot();
          expect(incremental.filter((r) => r.organisation_id === org)).toEqual(
            [...model.values()].sort((x, y) => (x.reflection_id < y.reflection_id ? -1 : 1)),
          );
          await rebuilder().rebuild(projection, 'async');
          expect(await snapshot()).toEqual(incremental);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a rebuild swaps in tables shaped exactly like the migrated ones, and moves the checkpoint', async () => {
    const shape = () =>
      ds.query(
        `SELECT indexname, regexp_replace(indexdef, ' ON \\S+', ' ON t') AS def FROM pg_indexes
          WHERE tablename = 'org_contributions' AND schemaname = current_schema() ORDER BY indexname`,
      );
    const before = await shape();
    const result = await rebuilder().rebuild(projection, 'async');
    expect(result.method).toBe('shadow');
    expect(await shape()).toEqual(before);
    const [{ position }] = await ds.query(
      `SELECT global_position::int AS position FROM projection_checkpoints WHERE name = 'organisation-trends'`,
    );
    expect(position).toBe(await store.headPosition());
    expect(await leftoverShadows(ds, ['org_contributions'])).toEqual([]);
  });

  it('drops the shadow tables rebuilds that did not finish left behind, and nothing else', async () => {
    for (const name of [
      'org_contributions__rebuild_deadbeef',
      'org_contributions__rebuild',
      'org_contributions__rebuild_log',
    ]) {
      await ds.query(`CREATE TABLE ${name} (LIKE org_contributions INCLUDING ALL)`);
      await ds.query(
        `INSERT INTO ${name} (reflection_id, author_id, organisation_id, occurred_on, pressure, rung)
         VALUES ($1, $2, $3, '2025-01-06', 1, 1)`,
        [randomUUID(), randomUUID(), randomUUID()],
      );
    }
    expect(await leftoverShadows(ds, ['org_contributions'])).toEqual([
      'org_contributions__rebuild',
      'org_contributions__rebuild_deadbeef',
    ]);
    const before = await snapshot();
    await rebuilder().rebuild(projection, 'async');
    expect(await leftoverShadows(ds, ['org_contributions'])).toEqual([]);
    expect(await snapshot()).toEqual(before); // nothing of the leftovers came in
    expect(await ds.query(`SELECT count(*)::int AS n FROM org_contributions__rebuild_log`)).toEqual([{ n: 1 }]); // not a shadow: kept
    await ds.query(`DROP TABLE org_contributions__rebuild_log`);
  });

  // Two processes means two sessions: PGlite is one.
  describe('the rebuild lock (server only)', () => {
    const LOCK = `hashtextextended('praxis.read-model-rebuild:' || current_schema(), 0)`;
    const withTrends = () =>
      new ReadModelRebuilder(
        ds,
        store,
        inline,
        { names: () => [projection.name], runner: () => ({ projection }) } as unknown as ProjectionHost,
        new SystemClock(),
        db.config,
      );
    const shadow = async () => (await leftoverShadows(ds, ['org_contributions'])).length > 0;
    const checkpoint = async () =>
      (
        await ds.query(
          `SELECT global_position::text AS p FROM projection_checkpoints WHERE name = 'organisation-trends'`,
        )
      )[0]?.p ?? null;

    (onServer() ? it : it.skip)(
      'refuses a rebuild while another process holds the lock, and runs once it is given back',
      async () => {
        await record(
          store,
          { authorId: randomUUID(), organisationId: randomUUID(), teamId: null },
          codedFields('2025-02-03', 2, 4),
        );
        const other = ds.createQueryRunner();
        try {
          await other.query(`SELECT pg_advisory_lock(${LOCK})`);
          const before = { rows: await snapshot(), checkpoint: await checkpoint() };
          await expect(withTrends().rebuildAll()).rejects.toMatchObject({
            code: 'REBUILD.RUNNING',
            message: expect.stringMatching(/already running in another process/),
          });
          // Two requests at once in one process: the second joins the first, and is refused with it.
          const one = withTrends();
          const answers = await Promise.allSettled([one.start(), one.start()]);
          expect(
            answers.map((a) => (a.status === 'rejected' ? (a.reason as { code: string }).code : a.status)),
          ).toEqual(['REBUILD.RUNNING', 'REBUILD.RUNNING']);
          expect(await shadow()).toBe(false);
          expect({ rows: await snapshot(), checkpoint: await checkpoint() }).toEqual(before);
          await other.query(`SELECT pg_advisory_unlock(${LOCK})`);
        } finally {
          await other.release();
        }
        const results = await withTrends().rebuildAll();
        expect(results.map((r) => r.projection)).toEqual(['organisation-trends']);
        expect(await checkpoint()).toBe(String(await store.headPosition()));
      },
    );

    (onServer() ? it : it.skip)(
      'stops before swapping, and changes nothing, when the connection holding the lock is lost',
      async () => {
        const before = { rows: await snapshot(), checkpoint: await checkpoint() };
        // An older open transaction holds the next event back, so the rebuild waits in its catch-up while we cut its lock's connection.
        const older = ds.createQueryRunner();
        await older.startTransaction();
        await older.query('SELECT pg_current_xact_id()');
        await record(
          store,
          { authorId: randomUUID(), organisationId: randomUUID(), teamId: null },
          codedFields('2025-02-04', 3, 3),
        );
        const rebuilding = withTrends().rebuildAll();
        rebuilding.catch(() => undefined);
        let holder: number | undefined;
        for (let i = 0; i < 200 && holder === undefined; i++) {
          const rows: { pid: number }[] = await ds.query(
            `SELECT pid FROM pg_locks
              WHERE locktype = 'advisory' AND granted AND objsubid = 1
                AND ((classid::bigint << 32) | objid::bigint) = ${LOCK}`,
          );
          holder = rows[0]?.pid;
          if (holder === undefined) await new Promise((r) => setTimeout(r, 10));
        }
        expect(holder).toBeDefined();
        await ds.query('SELECT pg_terminate_backend($1)', [holder]);
        await older.commitTransaction();
        await older.release();
        await expect(rebuilding).rejects.toThrow(/connection holding the rebuild lock was lost/);
        expect(await shadow()).toBe(false);
        expect({ rows: await snapshot(), checkpoint: await checkpoint() }).toEqual(before);
      },
    );
  });
});
