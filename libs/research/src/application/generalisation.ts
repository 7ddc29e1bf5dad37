import type { Queryable } from '@praxis/event-store';
import { Granularity, GRANULARITIES } from '@praxis/common';

/** What the anonymisation did, as the export's report states it. */
export interface GeneralisationCounts {
  /** Records released at each granularity. */
  byGranularity: Record<Granularity, number>;
  /** Records in a group of fewer than k people even by quarter: left out. */
  suppressed: number;
}

/**
 * k-anonymity over (organisation, team, period), on `rx_stage` rows that are
 * in the export. Level by level (week, then month, then quarter), every group
 * of still-unplaced records that has at least k distinct people is released at
 * that level; what is left goes up a level, and what is left after quarters is
 * suppressed. So each released (organisation, team, period) class — the
 * records that carry exactly those three values — holds at least k people.
 *
 * A class at month level holds only the records whose week was too small, so
 * it cannot be split by subtracting the week-level classes: they are disjoint.
 *
 * Where a record goes depends only on its (organisation, team, week) — month
 * and quarter are the week's — so the outcome is written once per such group
 * (`rx_place`, thousands of rows where records are millions) and read through
 * the `rx_placed` view; the staged records themselves are never rewritten.
 */
export async function generalise(
  db: Queryable,
  k: number,
  between: () => Promise<void> = async () => {},
): Promise<GeneralisationCounts> {
  for (const [i, level] of GRANULARITIES.entries()) {
    // `level` comes from the fixed list above, never from input; a record counts at a level only if no finer level released it.
    const unplaced = GRANULARITIES.slice(0, i)
      .map(
        (finer) =>
          `AND NOT EXISTS (SELECT 1 FROM rx_release r WHERE r.organisation = s.organisation AND r.team = s.team AND r.period = s.${finer})`,
      )
      .join(' ');
    // Distinct people per group in two hashed steps (distinct (group, person), then count), not a sort of every record.
    await db.query(
      `INSERT INTO rx_release (organisation, team, period, level, granularity)
       SELECT organisation, team, p, ${i + 1}, '${level}'
         FROM (SELECT DISTINCT s.organisation, s.team, s.${level} AS p, s.person FROM rx_stage s WHERE true ${unplaced}) d
        GROUP BY organisation, team, p HAVING count(*) >= $1`,
      [k],
    );
    await db.query(`ANALYZE rx_release`);
    await between();
  }
  await db.query(
    `INSERT INTO rx_place (organisation, team, week, granularity, period)
     SELECT g.organisation, g.team, g.week, coalesce(w.granularity, m.granularity, q.granularity), coalesce(w.period, m.period, q.period)
       FROM (SELECT DISTINCT organisation, team, week, month, quarter FROM rx_stage) g
       LEFT JOIN rx_release w ON w.organisation = g.organisation AND w.team = g.team AND w.period = g.week
       LEFT JOIN rx_release m ON m.organisation = g.organisation AND m.team = g.team AND m.period = g.month
       LEFT JOIN rx_release q ON q.organisation = g.organisation AND q.team = g.team AND q.period = g.quarter
      WHERE coalesce(w.period, m.period, q.period) IS NOT NULL`,
  );
  await db.query(`ANALYZE rx_place`);
  await between();
  const rows: { granularity: Granularity | null; n: number }[] = await db.query(
    `SELECT granularity, count(*)::int AS n FROM rx_placed GROUP BY granularity`,
  );
  const byGranularity = { week: 0, month: 0, quarter: 0 };
  let suppressed = 0;
  for (const row of rows) {
    if (row.granularity) byGranularity[row.granularity] = row.n;
    else suppressed = row.n;
  }
  return { byGranularity, suppressed };
}
