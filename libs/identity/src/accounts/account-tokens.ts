import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TransactionQueryable } from '@praxis/event-store';

export type TokenPurpose = 'invitation' | 'reset';

/** 256 random bits, URL-safe: what goes into a mailed link, and nowhere else. */
export const newLinkToken = (): string => randomBytes(32).toString('base64url');
const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();
/** A token as mailed: 43 base64url characters. Anything else is unknown without a query. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface TokenGrant {
  accountId: string;
  grantId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/**
 * One-time links, kept as the SHA-256 of the token only: a copy of the
 * database opens nothing. Issuing a link retires every earlier unused link of
 * the same purpose for that account, so only the newest works.
 */
@Injectable()
export class AccountTokens {
  constructor(private readonly dataSource: DataSource) {}

  static async issue(
    tx: TransactionQueryable,
    grant: {
      token: string;
      accountId: string;
      purpose: TokenPurpose;
      grantId: string;
      createdAt: Date;
      expiresAt: Date;
    },
  ): Promise<void> {
    await tx.query(
      `UPDATE account_tokens SET used_at = $3 WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [grant.accountId, grant.purpose, grant.createdAt],
    );
    await tx.query(
      `INSERT INTO account_tokens (token_hash, account_id, purpose, grant_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [hashOf(grant.token), grant.accountId, grant.purpose, grant.grantId, grant.createdAt, grant.expiresAt],
    );
  }

  /** What a token grants, used or not; undefined for a token never issued. */
  async find(token: unknown, purpose: TokenPurpose): Promise<TokenGrant | undefined> {
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return undefined;
    const rows: { account_id: string; grant_id: string; expires_at: Date; used_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT account_id, grant_id, expires_at, used_at FROM account_tokens WHERE token_hash = $1 AND purpose = $2`,
        [hashOf(token), purpose],
      );
    const row = rows[0];
    return row && { accountId: row.account_id, grantId: row.grant_id, expiresAt: row.expires_at, usedAt: row.used_at };
  }

  /** Marks the token used, in the transaction that acts on it; false if another request used it first. */
  static async consume(tx: TransactionQueryable, token: string, purpose: TokenPurpose, now: Date): Promise<boolean> {
    // A SELECT around the UPDATE: TypeORM answers a bare UPDATE with [rows, count], not rows.
    const [{ n }]: { n: number }[] = await tx.query(
      `WITH u AS (UPDATE account_tokens SET used_at = $3
                   WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [hashOf(token), purpose, now],
    );
    return n === 1;
  }

  /** Reset links asked for this account since `since`: repeated requests are throttled, silently. */
  async issuedSince(accountId: string, purpose: TokenPurpose, since: Date): Promise<number> {
    const [row]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM account_tokens WHERE account_id = $1 AND purpose = $2 AND created_at > $3`,
      [accountId, purpose, since],
    );
    return row.n;
  }
}
