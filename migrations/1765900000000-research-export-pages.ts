import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An export's files are stored as pages of NDJSON lines, not one JSONB row per
 * record: `research_export_pages` holds runs of up to a hundred records of one
 * period in file order, each page numbered by its first record's place in the
 * file (`seq`, the keyset for streaming). The build renders the lines once, so
 * an NDJSON download sends the stored text as it is and a CSV download parses
 * it; a record's JSONB object built per row and its primary-key entry were most
 * of what a build cost (see the README's research export figures).
 *
 * Pages compress with LZ4 where the server has it (PostgreSQL built with lz4;
 * PGlite is not, and keeps the default): far cheaper to write than pglz.
 *
 * Exports built before this have their records only as JSONB rows: they go
 * back to the queue (keeping their horizon) and are built again into pages,
 * under a fresh key: their key row is deleted, and the builder gives an export
 * without one a new key (export-worker.ts). Nothing checks that the rewritten
 * build gives exactly the old records, so old and new files must not share a
 * pseudonym that could link a record that differs.
 */
/** Every export built or being built goes back to the queue: its records are only in the table being replaced. */
const REQUEUE_BUILT = `
  UPDATE research_exports
     SET status = 'queued', claim = claim + 1, attempts = 0, heartbeat_at = NULL, done = 0, total = 0,
         records = 0, report = '{}', member_tags = NULL
   WHERE status IN ('ready', 'running')`;

/** The keys of the exports sent back: each is built again under a new one. */
const FORGET_KEYS = `
  DELETE FROM research_export_keys k USING research_exports e WHERE e.id = k.export_id AND e.status = 'queued'`;

export class ResearchExportPages1765900000000 implements MigrationInterface {
  name = 'ResearchExportPages1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE research_export_pages (
        export_id uuid    NOT NULL REFERENCES research_exports (id) ON DELETE CASCADE,
        seq       integer NOT NULL CHECK (seq > 0),
        records   integer NOT NULL CHECK (records > 0),
        lines     text    NOT NULL,
        PRIMARY KEY (export_id, seq)
      )`);
    const [setting]: { lz4: boolean }[] = await q.query(
      `SELECT coalesce('lz4' = ANY (enumvals), false) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    if (setting?.lz4) await q.query(`ALTER TABLE research_export_pages ALTER COLUMN lines SET COMPRESSION lz4`);
    await q.query(REQUEUE_BUILT);
    await q.query(FORGET_KEYS);
    await q.query(`DROP TABLE research_export_records`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE research_export_records (
        export_id uuid    NOT NULL REFERENCES research_exports (id) ON DELETE CASCADE,
        seq       integer NOT NULL,
        record    jsonb   NOT NULL,
        PRIMARY KEY (export_id, seq)
      )`);
    await q.query(REQUEUE_BUILT);
    await q.query(FORGET_KEYS);
    await q.query(`DROP TABLE research_export_pages`);
  }
}
