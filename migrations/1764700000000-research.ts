import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Research exports, materialised once at creation so every download of an
 * export is the same file, and the k-anonymity pass has its group counts.
 *
 * - `research_exports`: one row per export, with its anonymisation report;
 * - `research_export_records`: its records, already pseudonymised and
 *   generalised; `seq` is the file order and the keyset for streaming;
 * - `research_export_keys`: each export's own HMAC key, wrapped by the master
 *   key, outside the log (see libs/research/src/application/export-keys.ts).
 *
 * None of these tables holds a store id of a person, organisation, team or
 * reflection: only pseudonyms, and the researcher's own id for ownership.
 */
export class Research1764700000000 implements MigrationInterface {
  name = 'Research1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE research_exports (
        id            uuid        PRIMARY KEY,
        researcher_id uuid        NOT NULL,
        range_from    date        NOT NULL,
        range_to      date        NOT NULL,
        created_at    timestamptz NOT NULL,
        k             integer     NOT NULL CHECK (k >= 3),
        records       integer     NOT NULL,
        report        jsonb       NOT NULL
      )`);
    await q.query(`CREATE INDEX research_exports_by_researcher ON research_exports (researcher_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE research_export_records (
        export_id uuid    NOT NULL REFERENCES research_exports (id) ON DELETE CASCADE,
        seq       integer NOT NULL,
        record    jsonb   NOT NULL,
        PRIMARY KEY (export_id, seq)
      )`);
    await q.query(`
      CREATE TABLE research_export_keys (
        export_id   uuid        PRIMARY KEY REFERENCES research_exports (id) ON DELETE CASCADE,
        wrapped_key bytea       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE research_export_keys`);
    await q.query(`DROP TABLE research_export_records`);
    await q.query(`DROP TABLE research_exports`);
  }
}
