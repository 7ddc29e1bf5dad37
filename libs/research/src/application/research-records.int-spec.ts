import { randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '@praxis/event-store';
import { openTestDatabase, TestDatabase } from '@praxis/testing';
import { Pseudonymiser } from '../domain/pseudonyms';
import { generalise } from './generalisation';
import {
  ARGUMENT_CODES,
  CHALLENGE_CODES,
  EMBEDDING_CODES,
  LADDER_CODES,
  PRESSURE_CODES,
  PRESSURE_SOURCE_CODES,
  PRINCIPLE_CODES,
  RECEPTION_CODES,
  STAGE_CODES,
} from '@praxis/journal';
import type {
  AdvocacyArgument,
  AdvocacyReception,
  Challenge,
  Embedding,
  LadderRung,
  Principle,
  PressureSource,
  ResourcePressure,
  Stage,
} from '@praxis/journal';
import type { Granularity } from '@praxis/common';
import { codedRecord, ExportRecord, ndjsonLine } from '../domain/export-record';
import { LostClaim, PAGE_RECORDS, stagePseudonyms, writeRecords } from './research-records';
import { createStageTables } from './staging';

/** A staged record as `rx_stage` holds it (with JSON columns parsed), and where its group was released. */
interface StagedRow {
  person: string;
  organisation: string;
  team: string;
  period: string;
  granularity: Granularity;
  schema_version: number;
  amended: boolean;
  ladder_rung: LadderRung;
  aspired_rung: LadderRung | null;
  resource_pressure: ResourcePressure;
  pressure_sources: PressureSource[] | null;
  challenges: Challenge[] | null;
  principles: Principle[] | null;
  stage: Stage | null;
  embedding: Embedding | null;
  advocacy_argument: AdvocacyArgument | null;
  advocacy_reception: AdvocacyReception | null;
  lived_experience: boolean | null;
}

/** Writing the records: only under the builder's own claim on the export. */
describe('writing an export’s records (k = 3)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('research_records');
  });
  afterAll(() => db?.close());

  async function staged(tx: Queryable, exportId: string, claim: number): Promise<void> {
    await tx.query(
      `INSERT INTO research_exports (id, researcher_id, range_from, range_to, created_at, k, records, report, status, claim)
       VALUES ($1, $2, '2025-01-01', '2025-03-31', now(), 3, 0, '{}', 'running', $3)`,
      [exportId, randomUUID(), claim],
    );
    await createStageTables(tx);
    for (const [i, person] of ['p1', 'p2', 'p3'].entries())
      await tx.query(
        `INSERT INTO rx_stage (reflection_id, person, written_at, organisation, team, schema_version, occurred_on, week, month, quarter,
                               ladder_rung, resource_pressure, pressure_sources, challenges, principles)
         VALUES ($1, $2, $3, 'o1', 't1', 1, '2025-03-05', '2025-W10', '2025-03', '2025-Q1', 'co_design', 'stretched',
                 '["funding","time"]', '[]', '["assets"]')`,
        [`r${i}`, person, i + 1],
      );
    await generalise(tx, 3);
    await stagePseudonyms(tx, new Pseudonymiser(randomBytes(32)));
  }

  it('writes them in file order under its claim', async () => {
    await db.dataSource.transaction(async (tx) => {
      const id = randomUUID();
      await staged(tx, id, 2);
      expect(await writeRecords(tx, id, 2)).toBe(3);
      const pages: { seq: number; records: number; lines: string }[] = await tx.query(
        `SELECT seq, records, lines FROM research_export_pages WHERE export_id = $1 ORDER BY seq`,
        [id],
      );
      expect(pages.map((p) => [p.seq, p.records])).toEqual([[1, 3]]);
      const lines = pages[0].lines.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(3);
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records[0]).toMatchObject({
        period: '2025-W10',
        periodGranularity: 'week',
        ladderRungOrdinal: 6,
        resourcePressureOrdinal: 2,
        pressureSources: ['time', 'funding'],
        challenges: [],
        aspiredRung: null,
      });
    });
  });

  it('cuts a period longer than a page into pages numbered on through the file, each page one period', async () => {
    await db.dataSource.transaction(async (tx) => {
      const id = randomUUID();
      await tx.query(
        `INSERT INTO research_exports (id, researcher_id, range_from, range_to, created_at, k, records, report, status, claim)
         VALUES ($1, $2, '2025-01-01', '2025-03-31', now(), 3, 0, '{}', 'running', 1)`,
        [id, randomUUID()],
      );
      await createStageTables(tx);
      // Week 10: many pages of records of three people; week 11: 4 records of three others.
      const inWeek10 = PAGE_RECORDS * 22 + 5;
      await tx.query(
        `INSERT INTO rx_stage (reflection_id, person, written_at, organisation, team, schema_version, occurred_on, week, month, quarter,
                               ladder_rung, resource_pressure, pressure_sources, challenges, principles)
         SELECT 'r' || n, CASE WHEN n <= $1 THEN 'p' || (n % 3) ELSE 'q' || (n % 3) END, n, 'o1', 't1', 1,
                CASE WHEN n <= $1 THEN date '2025-03-05' ELSE date '2025-03-12' END,
                CASE WHEN n <= $1 THEN '2025-W10' ELSE '2025-W11' END, '2025-03', '2025-Q1',
                (ARRAY['co_design', 'informing'])[1 + n % 2], 'stretched', '["time"]', '[]', '[]'
           FROM generate_series(1, $1 + 4) n`,
        [inWeek10],
      );
      await generalise(tx, 3);
      await stagePseudonyms(tx, new Pseudonymiser(randomBytes(32)));
      expect(await writeRecords(tx, id, 1)).toBe(inWeek10 + 4);
      const pages: { seq: number; records: number; lines: string }[] = await tx.query(
        `SELECT seq, records, lines FROM research_export_pages WHERE export_id = $1 ORDER BY seq`,
        [id],
      );
      const full = Math.floor(inWeek10 / PAGE_RECORDS);
      expect(pages.map((p) => [p.seq, p.records])).toEqual([
        ...Array.from({ length: full }, (_, i) => [i * PAGE_RECORDS + 1, PAGE_RECORDS]),
        [full * PAGE_RECORDS + 1, inWeek10 - full * PAGE_RECORDS],
        [inWeek10 + 1, 4],
      ]);
      const records = pages.flatMap((p) => {
        const lines = p.lines.split('\n').filter((line) => line !== '');
        expect(lines).toHaveLength(p.records);
        return lines.map((line) => JSON.parse(line) as { person: string; period: string; ladderRung: string });
      });
      expect(records.slice(0, inWeek10).every((r) => r.period === '2025-W10')).toBe(true);
      expect(records.slice(inWeek10).every((r) => r.period === '2025-W11')).toBe(true);
      // In file order: by person's pseudonym, then the codes, across page boundaries.
      const keys = records.slice(0, inWeek10).map((r) => `${r.person} ${r.ladderRung}`);
      expect(keys).toEqual([...keys].sort());
      expect(new Set(keys).size).toBe(6);
    });
  });

  it('writes nothing once another builder has claimed the export', async () => {
    await db.dataSource.transaction(async (tx) => {
      const id = randomUUID();
      await staged(tx, id, 3);
      await expect(writeRecords(tx, id, 2)).rejects.toBeInstanceOf(LostClaim);
      const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM research_export_pages WHERE export_id = $1`, [id]);
      expect(n).toBe(0);
    });
  });

  /** Many groups over two quarters, with every kind of period: weeks, a month and a quarter released. */
  async function stagedWide(tx: Queryable, exportId: string, key: Buffer): Promise<void> {
    await tx.query(
      `INSERT INTO research_exports (id, researcher_id, range_from, range_to, created_at, k, records, report, status, claim)
       VALUES ($1, $2, '2025-01-01', '2025-06-30', now(), 3, 0, '{}', 'running', 1)`,
      [exportId, randomUUID()],
    );
    await createStageTables(tx);
    // [team ('' for none), week, month, quarter, people, records each]
    const groups: [string, string, string, string, number, number][] = [
      ['', '2025-W03', '2025-01', '2025-Q1', 3, 2],
      ['t1', '2025-W02', '2025-01', '2025-Q1', 4, 3],
      ['t1', '2025-W10', '2025-03', '2025-Q1', 3, 2],
      ['t2', '2025-W11', '2025-03', '2025-Q1', 2, 2], // with the next: a month
      ['t2', '2025-W12', '2025-03', '2025-Q1', 1, 3],
      ['t3', '2025-W15', '2025-04', '2025-Q2', 1, 1], // with the next two: a quarter
      ['t3', '2025-W20', '2025-05', '2025-Q2', 1, 2],
      ['t3', '2025-W24', '2025-06', '2025-Q2', 1, 1],
      ['t1', '2025-W20', '2025-05', '2025-Q2', 5, 1],
    ];
    let n = 0;
    for (const [g, [team, week, month, quarter, people, each]] of groups.entries())
      for (let p = 0; p < people; p++)
        for (let r = 0; r < each; r++, n++)
          await tx.query(
            `INSERT INTO rx_stage (reflection_id, person, written_at, organisation, team, schema_version, occurred_on, week, month,
                                   quarter, ladder_rung, resource_pressure, pressure_sources, challenges, principles)
             VALUES ($1, $2, $3, 'o1', $4, 1, '2025-03-05', $5, $6, $7, $8, 'stretched', $9, '[]', '[]')`,
            [
              `r${n}`,
              `${team}-${g}-p${p}`,
              n + 1,
              team,
              week,
              month,
              quarter,
              ['co_design', 'informing'][r % 2],
              ['["time"]', '["funding","time"]', null][(p + r) % 3],
            ],
          );
    await generalise(tx, 3);
    await stagePseudonyms(tx, new Pseudonymiser(key));
  }

  const pagesOf = async (tx: Queryable, id: string) =>
    (await tx.query(`SELECT seq, records, lines FROM research_export_pages WHERE export_id = $1 ORDER BY seq`, [
      id,
    ])) as { seq: number; records: number; lines: string }[];

  it('writes each record as the domain renders it from the staged record, byte for byte, whatever its codes', async () => {
    const key = randomBytes(32);
    await db.dataSource.transaction(async (tx) => {
      const id = randomUUID();
      await stagedWide(tx, id, key);
      // Every kind of value a staged record can hold: sets in any order, empty, SQL NULL or JSON null; each optional code
      // present or not; both parts of advocacy or one. A fixed seed: the same values every run.
      let seed = 7;
      const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      const pick = <T>(values: readonly T[]): T => values[next(values.length)];
      const someOf = (codes: readonly string[]) =>
        pick([null, 'null', '[]', JSON.stringify(codes.filter(() => next(2) === 0).sort(() => next(3) - 1))]);
      const ids: { reflection_id: string }[] = await tx.query(`SELECT reflection_id FROM rx_stage`);
      for (const { reflection_id } of ids)
        await tx.query(
          `UPDATE rx_stage SET schema_version = $2, amended = $3, ladder_rung = $4, aspired_rung = $5, resource_pressure = $6,
                  pressure_sources = $7::jsonb, challenges = $8::jsonb, principles = $9::jsonb, stage = $10, embedding = $11,
                  advocacy_argument = $12, advocacy_reception = $13, lived_experience = $14
            WHERE reflection_id = $1`,
          [
            reflection_id,
            pick([1, 2]),
            pick([true, false]),
            pick(LADDER_CODES),
            pick([null, ...LADDER_CODES]),
            pick(PRESSURE_CODES),
            someOf(PRESSURE_SOURCE_CODES),
            someOf(CHALLENGE_CODES),
            someOf(PRINCIPLE_CODES),
            pick([null, ...STAGE_CODES]),
            pick([null, ...EMBEDDING_CODES]),
            pick([null, ...ARGUMENT_CODES]),
            pick([null, ...RECEPTION_CODES]),
            pick([null, true, false]),
          ],
        );
      await writeRecords(tx, id, 1);
      const written = (await pagesOf(tx, id)).flatMap((p) => p.lines.split(/(?<=\n)/));
      // The same records, rendered here by the domain from the staged rows and their placement.
      const staged: StagedRow[] = await tx.query(
        `SELECT s.*, p.period, p.granularity FROM rx_stage s
           JOIN rx_place p ON p.organisation = s.organisation AND p.team = s.team AND p.week = s.week`,
      );
      const pseudonyms = new Pseudonymiser(key);
      const expected = staged.map((r) =>
        ndjsonLine({
          person: pseudonyms.person(r.person),
          organisation: pseudonyms.organisation(r.organisation),
          team: r.team === '' ? null : pseudonyms.team(r.team),
          period: r.period,
          periodGranularity: r.granularity,
          ...codedRecord(
            {
              ladderRung: r.ladder_rung,
              aspiredRung: r.aspired_rung,
              resourcePressure: r.resource_pressure,
              pressureSources: r.pressure_sources ?? [],
              challenges: r.challenges ?? [],
              principles: r.principles ?? [],
              stage: r.stage,
              embedding: r.embedding,
              advocacy:
                r.advocacy_argument === null && r.advocacy_reception === null
                  ? null
                  : { argument: r.advocacy_argument, reception: r.advocacy_reception },
              livedExperienceInvolved: r.lived_experience,
            },
            r.schema_version,
            r.amended,
          ),
        }),
      );
      expect(written.length).toBeGreaterThan(30);
      expect([...written].sort()).toEqual([...expected].sort());
      const records = written.map((line) => JSON.parse(line) as ExportRecord);
      expect(new Set(records.map((r) => r.periodGranularity))).toEqual(new Set(['week', 'month', 'quarter']));
      expect(records.some((r) => r.team === null) && records.some((r) => r.team !== null)).toBe(true);
    });
  });

  it('writes the same file however small its spans and pages: pages follow on, one period each', async () => {
    const key = randomBytes(32);
    const written = async (sizes: { span?: number; page?: number }) =>
      db.dataSource.transaction(async (tx) => {
        const id = randomUUID();
        await stagedWide(tx, id, key);
        const n = await writeRecords(tx, id, 1, async () => {}, sizes);
        return { n, pages: await pagesOf(tx, id) };
      });
    const whole = await written({});
    const small = await written({ span: 5, page: 2 });
    expect(small.n).toBe(whole.n);
    expect(whole.n).toBeGreaterThan(30);
    expect(small.pages.map((p) => p.lines).join('')).toBe(whole.pages.map((p) => p.lines).join(''));
    let next = 1;
    for (const page of small.pages) {
      expect(page.seq).toBe(next);
      expect(page.records).toBeLessThanOrEqual(2);
      const lines = page.lines.split('\n').filter((line) => line !== '');
      expect(lines).toHaveLength(page.records);
      expect(new Set(lines.map((line) => (JSON.parse(line) as { period: string }).period)).size).toBe(1);
      next += page.records;
    }
    expect(next - 1).toBe(whole.n);
    const periods = whole.pages.flatMap((p) =>
      p.lines
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (JSON.parse(line) as { period: string }).period),
    );
    expect([...new Set(periods)]).toEqual(['2025-03', '2025-Q2', '2025-W02', '2025-W03', '2025-W10', '2025-W20']);
  });

  it('stops writing at the first write after its claim is lost', async () => {
    await db.dataSource.transaction(async (tx) => {
      const id = randomUUID();
      await stagedWide(tx, id, randomBytes(32));
      let before: number | undefined;
      const lose = async () => {
        if (before !== undefined) return;
        before = (await pagesOf(tx, id)).length;
        await tx.query(`UPDATE research_exports SET claim = claim + 1 WHERE id = $1`, [id]);
      };
      await expect(writeRecords(tx, id, 1, lose, { span: 5, page: 2 })).rejects.toBeInstanceOf(LostClaim);
      expect(before).toBeGreaterThan(0);
      expect((await pagesOf(tx, id)).length).toBe(before);
    });
  });
});
