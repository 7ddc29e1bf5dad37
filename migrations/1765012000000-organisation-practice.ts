import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The guide's questions in the organisation read model: how embedded each
 * reflection says co-production is, the case made for it and its reception,
 * and whether people with lived experience took part — as ordinals (codebook
 * order), never text. The covering index carries them too (see 1764900000000).
 * Rows written before this migration lack them, so the projection starts again
 * from the beginning of the log (the table is a disposable read model).
 */
export class OrganisationPractice1765012000000 implements MigrationInterface {
  name = 'OrganisationPractice1765012000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE org_contributions
        ADD COLUMN embedding smallint CHECK (embedding BETWEEN 1 AND 4),
        ADD COLUMN argument  smallint CHECK (argument BETWEEN 1 AND 4),
        ADD COLUMN reception smallint CHECK (reception BETWEEN 1 AND 3),
        ADD COLUMN lived     boolean`);
    await q.query(
      `CREATE INDEX org_contributions_by_period_practice ON org_contributions (organisation_id, occurred_on)
         INCLUDE (author_id, team_id, pressure, rung, aspired, challenges, principles, embedding, argument, reception, lived)`,
    );
    await q.query(`DROP INDEX org_contributions_by_period`);
    await q.query(`ALTER INDEX org_contributions_by_period_practice RENAME TO org_contributions_by_period`);
    await q.query(`TRUNCATE org_contributions`);
    await q.query(`DELETE FROM projection_checkpoints WHERE name = 'organisation-trends'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX org_contributions_by_period`);
    await q.query(
      `ALTER TABLE org_contributions DROP COLUMN embedding, DROP COLUMN argument, DROP COLUMN reception, DROP COLUMN lived`,
    );
    await q.query(
      `CREATE INDEX org_contributions_by_period ON org_contributions (organisation_id, occurred_on)
         INCLUDE (author_id, team_id, pressure, rung, aspired, challenges, principles)`,
    );
    await q.query(`TRUNCATE org_contributions`);
    await q.query(`DELETE FROM projection_checkpoints WHERE name = 'organisation-trends'`);
  }
}
