import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdentityErrors } from '../domain/identity-errors';
import { Role } from '../domain/roles';
import { AuthenticatedUser } from './authenticated-user';

export interface AccountRow extends AuthenticatedUser {
  passwordHash: string;
}

const SELECT_ACCOUNT = `
  SELECT a.id, a.email, a.role, a.password_hash, m.organisation_id, m.team_id
    FROM accounts a LEFT JOIN memberships m ON m.account_id = a.id`;

interface Row {
  id: string;
  email: string;
  role: Role;
  password_hash: string;
  organisation_id: string | null;
  team_id: string | null;
}

const toAccount = (row: Row): AccountRow => ({
  id: row.id,
  email: row.email,
  role: row.role,
  organisationId: row.organisation_id,
  teamId: row.team_id,
  passwordHash: row.password_hash,
});

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

  async claim(account: { id: string; email: string; passwordHash: string; role: Role; createdAt: Date }): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM accounts WHERE lower(email) = lower($1) AND activated_at IS NULL AND created_at < $2::timestamptz - interval '${STALE_CLAIM}'`,
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
    await this.dataSource.query(`DELETE FROM accounts WHERE id = $1 AND activated_at IS NULL`, [id]);
  }

  async findActiveByEmail(email: string): Promise<AccountRow | undefined> {
    const rows: Row[] = await this.dataSource.query(`${SELECT_ACCOUNT} WHERE lower(a.email) = lower($1) AND a.activated_at IS NOT NULL`, [email]);
    return rows.length ? toAccount(rows[0]) : undefined;
  }

  async findActiveById(id: string): Promise<AccountRow | undefined> {
    const rows: Row[] = await this.dataSource.query(`${SELECT_ACCOUNT} WHERE a.id = $1 AND a.activated_at IS NOT NULL`, [id]);
    return rows.length ? toAccount(rows[0]) : undefined;
  }

  /** True if any account, pending or active, holds this email. */
  async emailExists(email: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM accounts WHERE lower(email) = lower($1)`, [email]);
    return rows.length > 0;
  }
}

export function withoutSecret(account: AccountRow): AuthenticatedUser {
  const { passwordHash: _secret, ...user } = account;
  return user;
}
