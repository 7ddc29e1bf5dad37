import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The individual read model: each worker's reflections in their current state.
 * A projection of the log, kept inline (in the append's transaction); it can be
 * dropped and rebuilt at any time. The personal text stays sealed here too.
 */
export class Journal1764400000000 implements MigrationInterface {
  name = 'Journal1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE journal_reflections (
        reflection_id     uuid        PRIMARY KEY,
        author_id         text        NOT NULL,
        organisation_id   text        NOT NULL,
        team_id           text,
        version           integer     NOT NULL,
        occurred_on       date        NOT NULL,
        recorded_at       timestamptz NOT NULL,
        amended_at        timestamptz,
        ladder_rung       text        NOT NULL,
        rung              smallint    NOT NULL,
        aspired_rung      text,
        aspired           smallint,
        resource_pressure text        NOT NULL,
        pressure          smallint    NOT NULL,
        pressure_sources  text[]      NOT NULL DEFAULT '{}',
        challenges        text[]      NOT NULL DEFAULT '{}',
        principles        text[]      NOT NULL DEFAULT '{}',
        stage             text,
        embedding         text,
        advocacy          jsonb,
        lived_experience  boolean,
        content           jsonb       NOT NULL
      )`);
    await q.query(
      `CREATE INDEX journal_reflections_by_author ON journal_reflections (author_id, occurred_on DESC, reflection_id DESC)`,
    );
    // A person's own export finds every reflection they wrote, withdrawn ones included. An index is not a change to the log.
    await q.query(
      `CREATE INDEX events_reflections_by_author ON events ((data->>'authorId')) WHERE type = 'ReflectionRecorded'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_reflections_by_author`);
    await q.query(`DROP TABLE journal_reflections`);
  }
}
