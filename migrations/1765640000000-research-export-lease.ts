import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A builder's claim on an export is a lease: `claim` counts the claims (each
 * builder writes only under its own number, so one that lost the export
 * writes nothing more), and `heartbeat_at` is moved on between the build's
 * chunks. A `running` export whose heartbeat is older than the lease (its
 * builder died) is claimed again and built from scratch.
 */
export class ResearchExportLease1765640000000 implements MigrationInterface {
  name = 'ResearchExportLease1765640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE research_exports
        ADD COLUMN claim        integer NOT NULL DEFAULT 0,
        ADD COLUMN heartbeat_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE research_exports DROP COLUMN claim, DROP COLUMN heartbeat_at`);
  }
}
