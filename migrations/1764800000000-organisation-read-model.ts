import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organisation read model: one row per live reflection with only what the
 * leaders' trends are computed from — ordinals and code lists, never text.
 * Period figures are aggregated from it at query time (a year of one
 * organisation is a few thousand rows on the index below), so an amendment,
 * withdrawal or erasure replaces or removes exactly one reflection's (or one
 * person's) part, and nothing is ever recomputed for the world. Rebuildable:
 * kept by the async projection `organisation-trends`.
 */
export class OrganisationReadModel1764800000000 implements MigrationInterface {
  name = 'OrganisationReadModel1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_contributions (
        reflection_id   uuid     PRIMARY KEY,
        author_id       uuid     NOT NULL,
        organisation_id uuid     NOT NULL,
        team_id         uuid,
        occurred_on     date     NOT NULL,
        pressure        smallint NOT NULL CHECK (pressure BETWEEN 1 AND 4),
        rung            smallint NOT NULL CHECK (rung BETWEEN 1 AND 7),
        aspired         smallint CHECK (aspired BETWEEN 1 AND 7),
        challenges      text[]   NOT NULL DEFAULT '{}',
        principles      text[]   NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX org_contributions_by_period ON org_contributions (organisation_id, occurred_on)`);
    // Erasure removes every reflection of one person.
    await q.query(`CREATE INDEX org_contributions_by_author ON org_contributions (author_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE org_contributions`);
  }
}
