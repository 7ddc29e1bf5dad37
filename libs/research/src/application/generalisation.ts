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
 */
export async function generalise(db: Queryable, k: number): Promise<GeneralisationCounts> {
  for (const level of GRANULARITIES) {
    // `level` comes from the fixed list above, never from input.
    await db.query(
      `UPDATE rx_stage s SET granularity = '${level}', period = s.${level}
         FROM (SELECT organisation, team, ${level} AS p FROM rx_stage WHERE granularity IS NULL
                GROUP BY organisation, team, ${level} HAVING count(DISTINCT person) >= $1) g
        WHERE s.granularity IS NULL AND s.organisation = g.organisation AND s.team = g.team AND s.${level} = g.p`,
      [k],
    );
  }
  const rows: { granularity: Granularity | null; n: number }[] = await db.query(
    `SELECT granularity, count(*)::int AS n FROM rx_stage GROUP BY granularity`,
  );
  const byGranularity = { week: 0, month: 0, quarter: 0 };
  let suppressed = 0;
  for (const row of rows) {
    if (row.granularity) byGranularity[row.granularity] = row.n;
    else suppressed = row.n;
  }
  return { byGranularity, suppressed };
}
