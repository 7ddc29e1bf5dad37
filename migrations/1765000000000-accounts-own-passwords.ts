import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts that belong to their owners. An invited account has no password
 * until its owner sets one (`invited_at` set, `activated_at` NULL: it cannot
 * sign in). `token_version` is in every bearer token; bumping it (sign-out,
 * password change or reset, erasure) revokes every token issued before.
 * `erased_at` hides an erased account from every list.
 *
 * `account_tokens` holds the one-time links of invitations and resets by the
 * SHA-256 of the token only. `mail_outbox` is the transactional outbox: a row
 * is written in the same transaction as the event that asks for the mail, and
 * a sender delivers it afterwards with retries. Its link is sealed with the
 * master key and dropped once sent, so a copy of the database opens no account.
 */
export class AccountsOwnPasswords1765000000000 implements MigrationInterface {
  name = 'AccountsOwnPasswords1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts ALTER COLUMN password_hash DROP NOT NULL`);
    await q.query(`ALTER TABLE accounts ADD COLUMN invited_at timestamptz`);
    await q.query(`ALTER TABLE accounts ADD COLUMN erased_at timestamptz`);
    await q.query(`ALTER TABLE accounts ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE account_tokens (
        token_hash bytea       PRIMARY KEY,
        account_id uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        purpose    text        NOT NULL CHECK (purpose IN ('invitation', 'reset')),
        -- The invitation or reset this token opens (the id in its event).
        grant_id   uuid        NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at    timestamptz
      )`);
    await q.query(`CREATE INDEX account_tokens_by_account ON account_tokens (account_id, purpose, created_at)`);
    await q.query(`
      CREATE TABLE mail_outbox (
        id              uuid        PRIMARY KEY,
        account_id      uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        kind            text        NOT NULL CHECK (kind IN ('invitation', 'reset')),
        grant_id        uuid        NOT NULL,
        -- AES-256-GCM under the master key; NULL once sent, failed for good or superseded.
        sealed_link     text,
        status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts        integer     NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        -- A sender claims a row until then; another process takes it over after.
        claimed_until   timestamptz,
        last_error      text,
        created_at      timestamptz NOT NULL,
        sent_at         timestamptz
      )`);
    await q.query(`CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX mail_outbox_by_account ON mail_outbox (account_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mail_outbox, account_tokens`);
    await q.query(`ALTER TABLE accounts DROP COLUMN token_version, DROP COLUMN erased_at, DROP COLUMN invited_at`);
    await q.query(`ALTER TABLE accounts ALTER COLUMN password_hash SET NOT NULL`);
  }
}
