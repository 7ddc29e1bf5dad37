import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to an account or its membership is announced on the
 * `praxis_accounts` channel with the account's id, at commit, whatever code
 * made it. Each api process keeps the accounts it has checked
 * (libs/identity/src/accounts/account-cache.ts) only while it listens there,
 * and forgets one when its id is announced: a sign-out, a password change, a
 * role or team change or an erasure made by any process holds in every other
 * within a notification's delivery.
 */
export class AccountChanges1765800000000 implements MigrationInterface {
  name = 'AccountChanges1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION praxis_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('praxis_accounts', to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0]);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER accounts_changed AFTER UPDATE OR DELETE ON accounts
        FOR EACH ROW EXECUTE FUNCTION praxis_account_changed('id')`);
    await q.query(`
      CREATE TRIGGER memberships_changed AFTER INSERT OR UPDATE OR DELETE ON memberships
        FOR EACH ROW EXECUTE FUNCTION praxis_account_changed('account_id')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER memberships_changed ON memberships`);
    await q.query(`DROP TRIGGER accounts_changed ON accounts`);
    await q.query(`DROP FUNCTION praxis_account_changed()`);
  }
}
