import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@praxis/common';
import type { TransactionQueryable } from '@praxis/event-store';
import { IdentityErrors } from '../domain/identity-errors';
import { Role } from '../domain/roles';
import { AuthenticatedUser } from './authenticated-user';

export interface AccountRow extends AuthenticatedUser {
  passwordHash: string;
}

const SELECT_ACCOUNT = `
  SELECT a.id, a.email, a.role, a.password_hash, a.token_version, m.organisation_id, m.team_id
    FROM accounts a LEFT JOIN memberships m ON m.account_id = a.id`;

/** Signed in: activated by its event, holding a password, not erased. */
const ACTIVE = `a.activated_at IS NOT NULL AND a.erased_at IS NULL AND a.password_hash IS NOT NULL`;

interface Row {
  id: string;
  email: string;
  role: Role;
  password_hash: string;
  token_version: number;
  organisation_id: string | null;
  team_id: string | null;
}

const toAccount = (row: Row): AccountRow => ({
  id: row.id,
  email: row.email,
  role: row.role,
  organisationId: row.organisation_id,
  teamId: row.team_id,
  tokenVersion: row.token_version,
  passwordHash: row.password_hash,
});

/** Where an account stands, for admins' lists and the invitation commands. */
export type AccountStatus = 'pending' | 'invited' | 'active' | 'erased';

/** An account's status from its row: `pending` is a claim whose event is not (yet) stored. */
export const STATUS_SQL = `CASE WHEN a.erased_at IS NOT NULL OR a.password_hash = 'erased' THEN 'erased'
  WHEN a.activated_at IS NOT NULL THEN 'active' WHEN a.invited_at IS NOT NULL THEN 'invited' ELSE 'pending' END`;

/** A claim left pending this long belongs to an append that will never come (the process died). */
const STALE_CLAIM = '5 minutes';

/**
 * The credential table beside the log. An account is written in two steps:
 * `claim` inserts it unusable (activated_at NULL), which takes the email under
 * the unique index before any event is stored; the identity projection
 * activates it in the same transaction that appends its event. A failed append
 * releases the claim, so a rejected request leaves nothing behind.
 */
@Injectable()
export class AccountStore {
  constructor(private readonly dataSource: DataSource) {}

  /** `passwordHash` null: an invited account, whose owner sets the password through the invitation. */
  async claim(account: {
    id: string;
    email: string;
    passwordHash: string | null;
    role: Role;
    createdAt: Date;
  }): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM accounts WHERE lower(email) = lower($1) AND activated_at IS NULL AND invited_at IS NULL AND erased_at IS NULL
          AND created_at < $2::timestamptz - interval '${STALE_CLAIM}'`,
      [account.email, account.createdAt],
    );
    try {
      await this.dataSource.query(
        `INSERT INTO accounts (id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [account.id, account.email, account.passwordHash, account.role, account.createdAt],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw IdentityErrors.emailTaken();
      throw error;
    }
  }

  /** Undoes a claim whose event was never stored. */
  async release(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM accounts WHERE id = $1 AND activated_at IS NULL AND invited_at IS NULL`, [
      id,
    ]);
  }

  async findActiveByEmail(email: string): Promise<AccountRow | undefined> {
    const rows: Row[] = await this.dataSource.query(
      `${SELECT_ACCOUNT} WHERE lower(a.email) = lower($1) AND ${ACTIVE}`,
      [email],
    );
    return rows.length ? toAccount(rows[0]) : undefined;
  }

  async findActiveById(id: string): Promise<AccountRow | undefined> {
    if (!isUuid(id)) return undefined;
    const rows: Row[] = await this.dataSource.query(`${SELECT_ACCOUNT} WHERE a.id = $1 AND ${ACTIVE}`, [id]);
    return rows.length ? toAccount(rows[0]) : undefined;
  }

  async statusOf(id: string): Promise<{ status: AccountStatus; role: Role; email: string } | undefined> {
    if (!isUuid(id)) return undefined;
    const rows: { role: Role; email: string; status: AccountStatus }[] = await this.dataSource.query(
      `SELECT role, email, ${STATUS_SQL} AS status FROM accounts a WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async organisationOf(id: string): Promise<string | null> {
    const rows: { organisation_id: string }[] = await this.dataSource.query(
      `SELECT organisation_id FROM memberships WHERE account_id = $1`,
      [id],
    );
    return rows[0]?.organisation_id ?? null;
  }

  /**
   * The new password and the end of every session and token issued before it,
   * in the transaction that appends the event saying so.
   */
  static async setPassword(tx: TransactionQueryable, accountId: string, passwordHash: string): Promise<void> {
    await tx.query(`UPDATE accounts SET password_hash = $2, token_version = token_version + 1 WHERE id = $1`, [
      accountId,
      passwordHash,
    ]);
    await tx.query(`DELETE FROM web_sessions WHERE account_id = $1`, [accountId]);
  }

  /** Sign-out everywhere: every web session ends and every bearer token issued before stops working. */
  async revokeAll(accountId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`UPDATE accounts SET token_version = token_version + 1 WHERE id = $1`, [accountId]);
      await tx.query(`DELETE FROM web_sessions WHERE account_id = $1`, [accountId]);
    });
  }

  /** True if any account, pending or active, holds this email. */
  async emailExists(email: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM accounts WHERE lower(email) = lower($1)`, [
      email,
    ]);
    return rows.length > 0;
  }
}

export function withoutSecret(account: AccountRow): AuthenticatedUser {
  const { passwordHash: _secret, ...user } = account;
  return user;
}
