import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, newId } from '@praxis/common';
import { openWithKey, sealWithKey, TransactionQueryable } from '@praxis/event-store';
import type { InvitationPlace } from './mail-templates';

export type MailKind = 'invitation' | 'reset';
export type MailStatus = 'pending' | 'sent' | 'failed';

/** Five tries over about ten minutes (30 s, 1, 2, 4 min between them), then `failed` until an admin sends again. */
export const MAIL_ATTEMPTS = 5;
export const backoffMs = (attempts: number): number => 30_000 * 2 ** (attempts - 1);
/** How long a sender holds a claimed mail before another process may take it over. */
const CLAIM_MS = 60_000;

export interface DueMail {
  id: string;
  accountId: string;
  kind: MailKind;
  attempts: number;
  /** The account's email now; undefined if it was erased meanwhile. */
  to?: string;
  link?: string;
  /** For an invitation: the account's role, organisation and team as they are now. */
  place?: InvitationPlace;
}

/**
 * The transactional outbox of mails: a row is written in the transaction that
 * appends the event asking for it, so no mail is promised for an event that
 * was not stored, and none is lost when the mail server is down. The link
 * inside is sealed with the master key and dropped once the mail is settled.
 */
@Injectable()
export class MailOutbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** In the append's transaction. An earlier unsent mail of the same kind is superseded: its link no longer works. */
  async enqueue(
    tx: TransactionQueryable,
    mail: { accountId: string; kind: MailKind; grantId: string; link: string; now: Date },
  ): Promise<void> {
    await tx.query(`DELETE FROM mail_outbox WHERE account_id = $1 AND kind = $2 AND status = 'pending'`, [
      mail.accountId,
      mail.kind,
    ]);
    const id = newId();
    await tx.query(
      `INSERT INTO mail_outbox (id, account_id, kind, grant_id, sealed_link, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [
        id,
        mail.accountId,
        mail.kind,
        mail.grantId,
        sealWithKey(this.config.masterKey, Buffer.from(mail.link), `mail:${id}`),
        mail.now,
      ],
    );
  }

  /** Claims up to `limit` due mails for this process (another process skips them until the claim runs out). */
  async claimDue(limit = 10): Promise<DueMail[]> {
    const now = this.clock.now();
    const rows: {
      id: string;
      account_id: string;
      kind: MailKind;
      attempts: number;
      sealed_link: string | null;
      email: string | null;
      role: InvitationPlace['role'];
      organisation: string | null;
      team: string | null;
    }[] = await this.dataSource.query(
      `WITH due AS (
           SELECT id FROM mail_outbox
            WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
            ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED),
         claimed AS (
           UPDATE mail_outbox o SET claimed_until = $3 FROM due WHERE o.id = due.id
           RETURNING o.id, o.account_id, o.kind, o.attempts, o.sealed_link)
         SELECT c.*, CASE WHEN a.erased_at IS NULL AND a.password_hash IS DISTINCT FROM 'erased' THEN a.email END AS email,
                a.role, o.name AS organisation, t.name AS team
           FROM claimed c JOIN accounts a ON a.id = c.account_id
           LEFT JOIN memberships m ON m.account_id = a.id
           LEFT JOIN organisations o ON o.id = m.organisation_id
           LEFT JOIN teams t ON t.id = m.team_id`,
      [now, limit, new Date(now.getTime() + CLAIM_MS)],
    );
    return rows.map((row) => ({
      id: row.id,
      accountId: row.account_id,
      kind: row.kind,
      attempts: row.attempts,
      to: row.email ?? undefined,
      link: row.sealed_link
        ? openWithKey(this.config.masterKey, row.sealed_link, `mail:${row.id}`).toString()
        : undefined,
      place: {
        role: row.role,
        ...(row.organisation ? { organisation: row.organisation } : {}),
        ...(row.team ? { team: row.team } : {}),
      },
    }));
  }

  async markSent(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET status = 'sent', sealed_link = NULL, sent_at = $2, claimed_until = NULL,
              attempts = attempts + 1
        WHERE id = $1`,
      [id, this.clock.now()],
    );
  }

  /** A failed try: again after a growing pause, or `failed` for good after MAIL_ATTEMPTS. */
  async markFailed(mail: DueMail, reason: string): Promise<MailStatus> {
    const attempts = mail.attempts + 1;
    const status: MailStatus = attempts >= MAIL_ATTEMPTS || !mail.to || !mail.link ? 'failed' : 'pending';
    await this.dataSource.query(
      `UPDATE mail_outbox SET attempts = $2, status = $3, last_error = $4, claimed_until = NULL,
              next_attempt_at = $5, sealed_link = CASE WHEN $3 = 'failed' THEN NULL ELSE sealed_link END
        WHERE id = $1`,
      [mail.id, attempts, status, reason.slice(0, 500), new Date(this.clock.now().getTime() + backoffMs(attempts))],
    );
    return status;
  }

  /** The latest invitation mail's status of each account named. */
  async invitationStatus(accountIds: string[]): Promise<Map<string, MailStatus>> {
    if (accountIds.length === 0) return new Map();
    const rows: { account_id: string; status: MailStatus }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (account_id) account_id, status FROM mail_outbox
        WHERE account_id = ANY($1::uuid[]) AND kind = 'invitation' ORDER BY account_id, created_at DESC`,
      [accountIds],
    );
    return new Map(rows.map((r) => [r.account_id, r.status]));
  }
}
