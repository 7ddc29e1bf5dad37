import { MigrationInterface, QueryRunner } from 'typeorm';

/** The quarters leaders have been shown, frozen (the `published-quarters` inline projection of `QuarterPublished`). */
export class PublishedQuarters1765300000000 implements MigrationInterface {
  name = 'PublishedQuarters1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE published_quarters (
         organisation_id uuid        NOT NULL,
         quarter         text        NOT NULL,
         k               integer     NOT NULL,
         published_at    timestamptz NOT NULL,
         shown           jsonb       NOT NULL,
         PRIMARY KEY (organisation_id, quarter)
       )`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE published_quarters`);
  }
}
