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
 * and quarter are the week's — so the records are read once, into one row per
 * such group (`rx_group`: its people and records counted, and its people listed
 * only when fewer than k). Weeks are released from the counts; months and
 * quarters count the people listed by the weeks not released — fewer than k
 * each, so those passes read a few rows per group, not the records again. The
 * outcome is written once per group (`rx_place`, thousands of rows where
 * records are millions, with each group's record count), which the write
 * joins each record to; the staged records themselves are never rewritten.
 */
export async function generalise(
  db: Queryable,
  k: number,
  between: () => Promise<void> = async () => {},
): Promise<GeneralisationCounts> {
  await groupRecords(db, k, between);
  await placeAfresh(db, k, between);
  return countPlacement(db);
}

/** `rx_group`: one row per (organisation, team, week) of the staged records, its people listed where fewer than k. */
export async function groupRecords(
  db: Queryable,
  k: number,
  between: () => Promise<void> = async () => {},
): Promise<void> {
  // Distinct people per group in two hashed steps (distinct (group, person), then count), not a sort of every record.
  await db.query(
    `INSERT INTO rx_group (organisation, team, week, month, quarter, people, records, persons)
     SELECT organisation, team, week, month, quarter, count(*), sum(records),
            CASE WHEN count(*) < $1 THEN array_agg(person) END
       FROM (SELECT organisation, team, week, month, quarter, person, count(*) AS records
               FROM rx_stage GROUP BY organisation, team, week, month, quarter, person) d
      GROUP BY organisation, team, week, month, quarter`,
    [k],
  );
  await db.query(`ANALYZE rx_group`);
  await between();
}

/** The release levels of `rx_group`, week then month then quarter, into `rx_release` and `rx_place`. */
export async function placeAfresh(
  db: Queryable,
  k: number,
  between: () => Promise<void> = async () => {},
): Promise<void> {
  await db.query(
    `INSERT INTO rx_release (organisation, team, period, level, granularity)
     SELECT organisation, team, week, 1, 'week' FROM rx_group WHERE people >= $1`,
    [k],
  );
  for (const [i, level] of GRANULARITIES.entries()) {
    if (i === 0) continue;
    // `level` comes from the fixed list above, never from input; a week counts here only if no finer level released it.
    const unplaced = GRANULARITIES.slice(1, i)
      .map(
        (finer) =>
          `AND NOT EXISTS (SELECT 1 FROM rx_release r WHERE r.organisation = g.organisation AND r.team = g.team AND r.period = g.${finer})`,
      )
      .join(' ');
    await db.query(
      `INSERT INTO rx_release (organisation, team, period, level, granularity)
       SELECT organisation, team, p, ${i + 1}, '${level}'
         FROM (SELECT DISTINCT g.organisation, g.team, g.${level} AS p, person
                 FROM rx_group g CROSS JOIN LATERAL unnest(g.persons) AS person
                WHERE g.people < $1 ${unplaced}) d
        GROUP BY organisation, team, p HAVING count(*) >= $1`,
      [k],
    );
    await between();
  }
  await db.query(`ANALYZE rx_release`);
  await db.query(
    `INSERT INTO rx_place (organisation, team, week, granularity, period, quarter, records)
     SELECT g.organisation, g.team, g.week, coalesce(w.granularity, m.granularity, q.granularity),
            coalesce(w.period, m.period, q.period), g.quarter, g.records
       FROM rx_group g
       LEFT JOIN rx_release w ON w.organisation = g.organisation AND w.team = g.team AND w.period = g.week
       LEFT JOIN rx_release m ON m.organisation = g.organisation AND m.team = g.team AND m.period = g.month
       LEFT JOIN rx_release q ON q.organisation = g.organisation AND q.team = g.team AND q.period = g.quarter
      WHERE coalesce(w.period, m.period, q.period) IS NOT NULL`,
  );
  await db.query(`ANALYZE rx_place`);
  await between();
}

/** Records released at each granularity (`rx_place`) and the rest of the staged ones (`rx_group`), suppressed. */
export async function countPlacement(db: Queryable): Promise<GeneralisationCounts> {
  const [{ total }]: { total: number }[] = await db.query(
    `SELECT coalesce(sum(records), 0)::int AS total FROM rx_group`,
  );
  const rows: { granularity: Granularity; n: number }[] = await db.query(
    `SELECT granularity, sum(records)::int AS n FROM rx_place GROUP BY granularity`,
  );
  const byGranularity = { week: 0, month: 0, quarter: 0 };
  for (const row of rows) byGranularity[row.granularity] = row.n;
  const placed = byGranularity.week + byGranularity.month + byGranularity.quarter;
  return { byGranularity, suppressed: total - placed };
}
