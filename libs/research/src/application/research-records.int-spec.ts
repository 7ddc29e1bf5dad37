import { randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '@praxis/event-store';
import { openTestDatabase, TestDatabase } from '@praxis/testing';
import { Pseudonymiser } from '../domain/pseudonyms';
import { generalise } from './generalisation';
import { LostClaim, stagePseudonyms, writeRecords } from './research-records';
import { createStageTables } from './staging';

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
      const rows: { seq: number; record: Record<string, unknown> }[] = await tx.query(
        `SELECT seq, record FROM research_export_records WHERE export_id = $1 ORDER BY seq`,
        [id],
      );
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
      expect(rows[0].record).toMatchObject({
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

  it('writes nothing once another builder has claimed the export', async () => {
    await db.dataSource.transaction(async (tx) => {
      const id = randomUUID();
      await staged(tx, id, 3);
      await expect(writeRecords(tx, id, 2)).rejects.toBeInstanceOf(LostClaim);
      const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM research_export_records WHERE export_id = $1`, [
        id,
      ]);
      expect(n).toBe(0);
    });
  });
});
