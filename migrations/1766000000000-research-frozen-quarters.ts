import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A quarter is published to researchers once, then only ever shrinks.
 *
 * Two exports of the same quarter could be told apart record by record: if a
 * week gains or loses people between them (a late entry, an erasure), it moves
 * to another level of generalisation, the records that were pooled with it are
 * left on their own, and the difference of the two files is a group of fewer
 * than k people — someone's reflections, linked by the pseudonym of the older
 * file to everything else they wrote.
 *
 * - `research_quarters`: the first export that holds a quarter fixes its cut
 *   (`horizon`, that export's own): reflections written, and amendments made,
 *   after it never enter an export of that quarter. Only ranges of quarters
 *   that ended at least `PRAXIS_PUBLISH_AFTER_DAYS` ago are accepted, so late
 *   entries still count.
 * - `research_placements`: the first build of a quarter records where each of
 *   its (organisation, team, week) groups was released (`granularity`,
 *   `period`); a group it did not release is not listed and stays out. Every
 *   later build places records by that list and then leaves out any class that
 *   has fallen below k people (a withdrawal, an erasure): records only ever
 *   leave an export of a quarter, never move or arrive.
 *
 * Organisations, teams and weeks only: nothing of a person. Quarters held by
 * exports made before this (any not failed: those published files) are fixed
 * at the earliest of their horizons. Every such export was sent back to be
 * built (1765900000000) and the worker takes the oldest first, so the export
 * that fixed a quarter's cut places it again as its own files had placed it;
 * files of later exports, made before this, stay what they were.
 */
export class ResearchFrozenQuarters1766000000000 implements MigrationInterface {
  name = 'ResearchFrozenQuarters1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE research_quarters (
        quarter      text COLLATE "C" PRIMARY KEY CHECK (quarter ~ '^\\d{4}-Q[1-4]$'),
        horizon      bigint  NOT NULL,
        placed       boolean NOT NULL DEFAULT false,
        published_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE research_placements (
        organisation text COLLATE "C" NOT NULL,
        team         text COLLATE "C" NOT NULL,
        week         text COLLATE "C" NOT NULL,
        quarter      text COLLATE "C" NOT NULL REFERENCES research_quarters (quarter),
        granularity  text NOT NULL CHECK (granularity IN ('week', 'month', 'quarter')),
        period       text COLLATE "C" NOT NULL,
        PRIMARY KEY (organisation, team, week)
      )`);
    await q.query(`CREATE INDEX research_placements_quarter ON research_placements (quarter)`);
    await q.query(`
      INSERT INTO research_quarters (quarter, horizon)
      SELECT to_char(d, 'YYYY-"Q"Q'), min(e.horizon)
        FROM research_exports e
       CROSS JOIN LATERAL generate_series(e.range_from::date, e.range_to::date, interval '3 months') AS d
       WHERE e.status <> 'failed'
       GROUP BY 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE research_placements`);
    await q.query(`DROP TABLE research_quarters`);
  }
}
