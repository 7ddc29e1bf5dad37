import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity: organisations, teams and memberships are a read model of the
 * identity events (kept inline, in the append's transaction, and rebuildable
 * from the log). `accounts` is not: it holds what must never enter the
 * immutable log — the email and the password hash — and is activated by the
 * projection when the account's event is stored. `web_sessions` holds signed-in
 * browsers by the SHA-256 of their cookie, never the cookie itself.
 */
export class Identity1764300000000 implements MigrationInterface {
  name = 'Identity1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisations (
        id         uuid        PRIMARY KEY,
        name       text        NOT NULL CHECK (name <> ''),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE teams (
        id              uuid        PRIMARY KEY,
        organisation_id uuid        NOT NULL REFERENCES organisations (id),
        name            text        NOT NULL CHECK (name <> ''),
        created_at      timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX teams_name_per_organisation ON teams (organisation_id, lower(name))`);
    await q.query(`
      CREATE TABLE accounts (
        id            uuid        PRIMARY KEY,
        email         text        NOT NULL CHECK (email <> ''),
        password_hash text        NOT NULL,
        role          text        NOT NULL CHECK (role IN ('admin', 'leader', 'worker', 'researcher')),
        created_at    timestamptz NOT NULL,
        -- NULL until the account's event is in the log; such an account cannot sign in.
        activated_at  timestamptz
      )`);
    // Case-insensitive uniqueness without the citext extension (PGlite would need it loaded).
    await q.query(`CREATE UNIQUE INDEX accounts_email_unique ON accounts (lower(email))`);
    await q.query(`
      CREATE TABLE memberships (
        account_id      uuid        PRIMARY KEY,
        organisation_id uuid        NOT NULL REFERENCES organisations (id),
        team_id         uuid        REFERENCES teams (id),
        role            text        NOT NULL CHECK (role IN ('leader', 'worker')),
        joined_at       timestamptz NOT NULL,
        team_since      timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX memberships_by_organisation ON memberships (organisation_id, team_id)`);
    await q.query(`
      CREATE TABLE web_sessions (
        id_hash    bytea       PRIMARY KEY,
        account_id uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX web_sessions_by_account ON web_sessions (account_id)`);
    await q.query(`CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_sessions, memberships, accounts, teams, organisations`);
  }
}
