import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exports built in the background: each row says where its build stands
 * (`queued`, `running`, `ready`, `failed`), how far it has read (`done` of
 * `total` events of its cut) and the cut itself: `horizon`, the log position
 * of its own `ResearchExportCreated`, so events appended later are never in it.
 * Exports made before this migration were built at creation: they are ready.
 */
export class ResearchExportStatus1765500000000 implements MigrationInterface {
  name = 'ResearchExportStatus1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE research_exports
        ADD COLUMN status  text    NOT NULL DEFAULT 'ready' CHECK (status IN ('queued', 'running', 'ready', 'failed')),
        ADD COLUMN horizon bigint  NOT NULL DEFAULT 0,
        ADD COLUMN done    integer NOT NULL DEFAULT 0,
        ADD COLUMN total   integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE research_exports ALTER COLUMN status SET DEFAULT 'queued'`);
    await q.query(
      `CREATE INDEX research_exports_to_build ON research_exports (created_at) WHERE status IN ('queued', 'running')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX research_exports_to_build`);
    await q.query(
      `ALTER TABLE research_exports DROP COLUMN status, DROP COLUMN horizon, DROP COLUMN done, DROP COLUMN total`,
    );
  }
}
