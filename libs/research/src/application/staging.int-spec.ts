import { randomUUID } from 'node:crypto';
import type { Queryable } from '@praxis/event-store';
import { openTestDatabase, TestDatabase } from '@praxis/testing';
import { codedFields } from '../../../projections/src/testing/journal-events';
import { applyLater } from './amendments';
import { createStageTables, stageChunk } from './staging';

/**
 * Folding the log into `rx_stage`: amendments merge key by key in log order,
 * and a withdrawal sticks, however the log is cut into chunks and the
 * amendments into parts.
 */
describe('staging the log for an export', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('research_staging');
  });
  afterAll(() => db?.close());

  const FIELDS = codedFields('2025-03-05', 2, 3, { pressureSources: ['time'] }); // stretched, informing

  async function append(tx: Queryable, type: string, data: object): Promise<number> {
    const [{ p }]: { p: number }[] = await tx.query(
      `INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, recorded_at)
       VALUES ($1, 1, $2, $3, $4, '{}', now()) RETURNING global_position::int AS p`,
      [`test-${randomUUID()}`, randomUUID(), type, JSON.stringify(data)],
    );
    return p;
  }

  async function staged(chunk: number, partSize: number) {
    return db.dataSource.transaction(async (tx) => {
      const who = { authorId: randomUUID(), organisationId: randomUUID(), teamId: null };
      const [r1, r2, r3]: string[] = [randomUUID(), randomUUID(), randomUUID()];
      const from = await append(tx, 'ReflectionRecorded', {
        reflectionId: r1,
        ...who,
        researchConsent: true,
        fields: FIELDS,
      });
      await append(tx, 'ReflectionRecorded', { reflectionId: r2, ...who, researchConsent: true, fields: FIELDS });
      await append(tx, 'ReflectionRecorded', { reflectionId: r3, ...who, researchConsent: false, fields: FIELDS });
      await append(tx, 'ReflectionAmended', { reflectionId: r1, fields: { resourcePressure: 'survival' } });
      await append(tx, 'ReflectionAmended', { reflectionId: r3, fields: { resourcePressure: 'survival' } });
      await append(tx, 'ReflectionAmended', {
        reflectionId: r1,
        fields: { ladderRung: 'co_production', occurredOn: '2025-04-02' },
      });
      await append(tx, 'ReflectionWithdrawn', { reflectionId: r2 });
      const upTo = await append(tx, 'ReflectionAmended', { reflectionId: r2, fields: { stage: 'co_delivery' } });
      await createStageTables(tx);
      let read = 0;
      for (let after = from - 1; after < upTo; after += chunk)
        read += await stageChunk(tx, after, Math.min(after + chunk, upTo));
      await applyLater(tx, async () => {}, partSize);
      const rows: {
        rid: string;
        withdrawn: boolean;
        amended: boolean;
        rung: string;
        pressure: string;
        week: string;
        stage: string | null;
      }[] = await tx.query(
        `SELECT reflection_id AS rid, withdrawn, amended, ladder_rung AS rung, resource_pressure AS pressure, week, stage
             FROM rx_stage ORDER BY written_at`,
      );
      return { read, rows: rows.map(({ rid, ...row }) => ({ which: [r1, r2, r3].indexOf(rid) + 1, ...row })) };
    });
  }

  it('merges amendments key by key, keeps withdrawals, and leaves out what was written without consent', async () => {
    const expected = [
      {
        which: 1,
        withdrawn: false,
        amended: true,
        rung: 'co_production',
        pressure: 'survival',
        week: '2025-W14',
        stage: null,
      },
      {
        which: 2,
        withdrawn: true,
        amended: true,
        rung: 'informing',
        pressure: 'stretched',
        week: '2025-W10',
        stage: 'co_delivery',
      },
    ];
    for (const [chunk, partSize] of [
      [100, 100],
      [1, 1],
      [3, 2],
    ]) {
      const { read, rows } = await staged(chunk, partSize);
      expect({ chunk, partSize, read, rows }).toEqual({ chunk, partSize, read: 8, rows: expected });
    }
  });
});
