import type { Queryable } from '@praxis/event-store';

/**
 * A quarter is published to researchers once, then only ever shrinks (the
 * why: migrations/1766000000000-research-frozen-quarters.ts).
 *
 * Two exports of one quarter that placed its records afresh could differ by a
 * group of fewer than k people: a week that gains or loses someone moves to
 * another level, and the records pooled with it are left on their own. So
 * the first build of a quarter records where each (organisation, team, week)
 * went (`research_placements`), and every build places records by that
 * record, leaving out any class that has fallen below k since. With the cut
 * (`rx_cut`: nothing written or amended after it enters), the records of a
 * class in a later export are those of the same class in an earlier one, less
 * what was withdrawn or erased between them.
 */

/**
 * The cut of every quarter exported so far into `rx_cut`, the range's among
 * them: the one its first export fixed, or (for a quarter of the range that
 * has none, which the export's creation gives it) this export's horizon.
 * Amendments after the cut of the quarter a reflection is in, or would move
 * to, are not applied (amendments.ts); a reflection written into a quarter
 * after its cut is left out (staging.ts, dropIneligible).
 */
export async function loadCuts(db: Queryable, quarters: string[], horizon: number): Promise<void> {
  await db.query(
    `INSERT INTO research_quarters (quarter, horizon) SELECT unnest($1::text[]), $2 ON CONFLICT (quarter) DO NOTHING`,
    [quarters, horizon],
  );
  await db.query(`INSERT INTO rx_cut (quarter, horizon) SELECT quarter, horizon FROM research_quarters`);
}

/**
 * Once `placeAfresh` has placed the staged records (`rx_place`, when some
 * quarter of the range had no placement yet): those quarters keep it for good, in one
 * statement (a second builder waits on the quarter's row, then finds it
 * placed); then `rx_place` is rebuilt from the kept placement of every
 * quarter of the range, and each released class with fewer than k people now
 * is left out. A week the kept placement did not release stays out.
 */
export async function freezePlacement(db: Queryable, quarters: string[], k: number): Promise<void> {
  await db.query(
    `WITH claimed AS (
       UPDATE research_quarters q SET placed = true
        WHERE q.quarter = ANY ($1::text[]) AND NOT q.placed
       RETURNING q.quarter
     )
     INSERT INTO research_placements (organisation, team, week, quarter, granularity, period)
     SELECT p.organisation, p.team, p.week, p.quarter, p.granularity, p.period
       FROM rx_place p JOIN claimed c ON c.quarter = p.quarter`,
    [quarters],
  );
  await db.query(`DELETE FROM rx_place`);
  await db.query(
    `INSERT INTO rx_place (organisation, team, week, granularity, period, quarter, records)
     SELECT g.organisation, g.team, g.week, r.granularity, r.period, g.quarter, g.records
       FROM rx_group g
       JOIN research_placements r ON r.organisation = g.organisation AND r.team = g.team AND r.week = g.week`,
  );
  // A week class has its people counted; a month or quarter class pools weeks of fewer than k people each, listed
  // (rx_group.persons), unless one week of it has k or more now (k changed), which makes it big enough alone.
  await db.query(
    `WITH small AS (
       SELECT p.organisation, p.team, p.period
         FROM rx_place p JOIN rx_group g ON g.organisation = p.organisation AND g.team = p.team AND g.week = p.week
        WHERE p.granularity = 'week' AND g.people < $1
       UNION ALL
       SELECT organisation, team, period
         FROM (SELECT p.organisation, p.team, p.period, g.persons IS NULL AS big, person
                 FROM rx_place p JOIN rx_group g ON g.organisation = p.organisation AND g.team = p.team AND g.week = p.week
                 LEFT JOIN LATERAL unnest(g.persons) AS person ON true
                WHERE p.granularity <> 'week') d
        GROUP BY organisation, team, period
       HAVING NOT bool_or(big) AND count(DISTINCT person) < $1
     )
     DELETE FROM rx_place p USING small s
      WHERE p.organisation = s.organisation AND p.team = s.team AND p.period = s.period`,
    [k],
  );
  await db.query(`ANALYZE rx_place`);
}

/** Whether some quarter of the range has no placement yet (its first build places it). */
export async function anyUnplaced(db: Queryable, quarters: string[]): Promise<boolean> {
  const [{ any }]: { any: boolean }[] = await db.query(
    `SELECT EXISTS (SELECT 1 FROM research_quarters WHERE quarter = ANY ($1::text[]) AND NOT placed) AS any`,
    [quarters],
  );
  return any;
}
