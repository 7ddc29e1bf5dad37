import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One organisation per name. Organisations are streams of their own, so no
 * decider sees them all; the name is reserved in `organisation_names` in the
 * transaction that appends the organisation's creation, and a second creation
 * under the same name (trimmed, in any case) finds it taken and appends
 * nothing (409). Not a read model: a rebuild leaves it alone. Names already
 * shared by two organisations stay as they are (the first keeps the name).
 */
export class OrganisationNames1766100000000 implements MigrationInterface {
  name = 'OrganisationNames1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation_names (
        name_key        text PRIMARY KEY, -- lower(btrim(name))
        organisation_id uuid NOT NULL
      )`);
    await q.query(
      `INSERT INTO organisation_names (name_key, organisation_id)
       SELECT lower(btrim(name)), id FROM organisations ORDER BY created_at, id
       ON CONFLICT (name_key) DO NOTHING`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organisation_names`);
  }
}
