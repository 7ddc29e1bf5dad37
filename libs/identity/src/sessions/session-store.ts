import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, isUuid } from '@praxis/common';
import type { Response } from 'express';
import { AuthenticatedUser } from '../accounts/authenticated-user';
import type { AccessRequest } from '../access/access.decorators';
import { CSRF_COOKIE, SESSION_COOKIE, setCookie } from '../access/cookies';
import { CsrfTokens } from './csrf';

/** A signed-in browser stays signed in for at most 8 hours (a working day); then it signs in again. */
export const SESSION_HOURS = 8;

export interface WebSession {
  /** The cookie value: 32 random bytes, shown to the browser only. */
  token: string;
  expiresAt: Date;
}

export const sessionIdHash = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * Server-side sessions for the web pages. The table keeps the SHA-256 of each
 * cookie, so a copy of the database does not sign anyone in, and ending a
 * session (sign-out) takes effect at once.
 */
@Injectable()
export class SessionStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async start(accountId: string): Promise<WebSession> {
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await this.dataSource.query(`DELETE FROM web_sessions WHERE expires_at <= $1`, [now]);
    await this.dataSource.query(
      `INSERT INTO web_sessions (id_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
      [sessionIdHash(token), accountId, now, expiresAt],
    );
    return { token, expiresAt };
  }

  /** The signed-in user, or undefined for an unknown, ended or expired session. */
  async find(token: string | undefined): Promise<AuthenticatedUser | undefined> {
    if (!token || token.length > 100) return undefined;
    const rows: {
      id: string;
      email: string;
      role: AuthenticatedUser['role'];
      organisation_id: string | null;
      team_id: string | null;
    }[] = await this.dataSource.query(
      `SELECT a.id, a.email, a.role, m.organisation_id, m.team_id
           FROM web_sessions s JOIN accounts a ON a.id = s.account_id LEFT JOIN memberships m ON m.account_id = a.id
          WHERE s.id_hash = $1 AND s.expires_at > $2 AND a.activated_at IS NOT NULL`,
      [sessionIdHash(token), this.clock.now()],
    );
    const row = rows[0];
    if (!row || !isUuid(row.id)) return undefined;
    return { id: row.id, email: row.email, role: row.role, organisationId: row.organisation_id, teamId: row.team_id };
  }

  /**
   * Signs a browser in: a new session and a new CSRF seed, so nothing set
   * before it (by anyone) carries over; the old session, if any, ends.
   */
  /** Starts a browser session; the request is the new session's from then on (a page rendered in answer has its CSRF token). */
  async signInBrowser(req: AccessRequest, res: Response, accountId: string): Promise<void> {
    await this.end(req.sessionToken);
    const session = await this.start(accountId);
    const seed = CsrfTokens.newSeed();
    setCookie(req, res, SESSION_COOKIE, session.token);
    setCookie(req, res, CSRF_COOKIE, seed);
    req.sessionToken = session.token;
    req.csrfSeed = seed;
  }

  async end(token: string | undefined): Promise<void> {
    if (!token) return;
    await this.dataSource.query(`DELETE FROM web_sessions WHERE id_hash = $1`, [sessionIdHash(token)]);
  }
}
