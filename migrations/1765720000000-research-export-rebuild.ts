import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An erasure sends the exports that count the person back to be built again
 * (libs/research/src/application/research-erasure.ts), so:
 *
 * - `claim` stays a number that only grows — the erasure takes it on too, so
 *   a builder that was running writes nothing more — and `attempts` counts the
 *   claims since the export was last queued, for the limit on builders that
 *   keep dying (an erasure's rebuild is not one of them);
 * - `member_tags`: for each person the export counts (in its records, or only
 *   in its report's suppressed records), HMAC-SHA256 under the export's own key
 *   of "member:" and their id — not the pseudonym its files hold, so the list
 *   links no one to a record. An erasure recomputes the person's tag for each
 *   export and rebuilds only those that list it; NULL (exports built before
 *   this migration, or not built yet) counts as "may hold anyone".
 *
 * Records of a failed build are never served; they are deleted (a failed
 * build now deletes its own).
 */
export class ResearchExportRebuild1765720000000 implements MigrationInterface {
  name = 'ResearchExportRebuild1765720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE research_exports
        ADD COLUMN attempts    integer NOT NULL DEFAULT 0,
        ADD COLUMN member_tags text[]`);
    await q.query(`UPDATE research_exports SET attempts = claim`);
    await q.query(
      `DELETE FROM research_export_records r USING research_exports e WHERE e.id = r.export_id AND e.status = 'failed'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE research_exports DROP COLUMN attempts, DROP COLUMN member_tags`);
  }
}
