import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sign-in limits' counters (apps/api/src/auth/sign-in-counts.ts), in the
 * database so every api process counts the same attempts. `key` is a SHA-256
 * of the throttler's name and the tracker (address or email), never the email itself.
 */
export class SignInCounts1765400000000 implements MigrationInterface {
  name = 'SignInCounts1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE sign_in_counts (
         key           text        PRIMARY KEY,
         hits          integer     NOT NULL,
         expires_at    timestamptz NOT NULL,
         blocked_until timestamptz
       )`,
    );
    await q.query(`CREATE INDEX sign_in_counts_expiry ON sign_in_counts (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_counts`);
  }
}
