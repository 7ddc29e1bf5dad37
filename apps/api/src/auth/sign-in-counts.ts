import type { ThrottlerStorage } from '@nestjs/throttler';
import type { DataSource } from 'typeorm';
import type { Clock } from '@praxis/common';
import { accountCountKey } from './login-throttle';

type CountRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface CountRow {
  hits: number;
  expires_at: Date | string;
  blocked_until: Date | string | null;
}

/**
 * One statement counts an attempt: the row is the lock, so two processes (or
 * two requests in one) counting the same key at once each see their own hit.
 * A window that has ended, or a block that has run out, starts again at one;
 * while blocked, attempts are refused without being counted.
 * $1 key, $2 now, $3 ttl ms, $4 limit, $5 block ms.
 */
const COUNT = `
  INSERT INTO sign_in_counts AS c (key, hits, expires_at, blocked_until)
  VALUES ($1, 1, $2::timestamptz + $3 * interval '1 millisecond',
          CASE WHEN 1 > $4 THEN $2::timestamptz + $5 * interval '1 millisecond' END)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.blocked_until > $2 THEN c.hits
                WHEN c.expires_at <= $2 OR c.blocked_until <= $2 THEN 1
                ELSE c.hits + 1 END,
    expires_at = CASE WHEN c.blocked_until > $2 THEN c.expires_at
                      WHEN c.expires_at <= $2 OR c.blocked_until <= $2 THEN $2::timestamptz + $3 * interval '1 millisecond'
                      ELSE c.expires_at END,
    blocked_until = CASE WHEN c.blocked_until > $2 THEN c.blocked_until
                         WHEN (CASE WHEN c.expires_at <= $2 OR c.blocked_until <= $2 THEN 1 ELSE c.hits + 1 END) > $4
                           THEN $2::timestamptz + $5 * interval '1 millisecond' END
  RETURNING hits, expires_at, blocked_until`;

/** Rows whose window and block have both ended. */
const SWEEP = `DELETE FROM sign_in_counts WHERE expires_at <= $1 AND (blocked_until IS NULL OR blocked_until <= $1)`;

/**
 * The sign-in limits' counters, in PostgreSQL: every api process sees every
 * attempt, so N processes behind a balancer allow what one would. Rows whose
 * window and block have both ended are swept on the way.
 */
export class SignInCounts implements ThrottlerStorage {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Forgets an account's count of attempts (accountCountKey): a successful sign-in, so the limit counts the attempts
   * since the last success, and a password reset, so whoever guessed at the account cannot keep its owner out.
   */
  async forgetAccount(email: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM sign_in_counts WHERE key = $1`, [accountCountKey(email)]);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<CountRecord> {
    const now = this.clock.now();
    // Housekeeping only: two processes sweeping at once may trip over each other, and the count must not fail for it.
    await this.dataSource.query(SWEEP, [now]).catch(() => undefined);
    const [row]: CountRow[] = await this.dataSource.query(COUNT, [key, now, ttl, limit, blockDuration]);
    const secondsUntil = (at: Date | string) => Math.ceil((new Date(at).getTime() - now.getTime()) / 1000);
    const blockedFor = row.blocked_until === null ? 0 : Math.max(0, secondsUntil(row.blocked_until));
    return {
      totalHits: Number(row.hits),
      timeToExpire: secondsUntil(row.expires_at),
      isBlocked: blockedFor > 0,
      timeToBlockExpire: blockedFor,
    };
  }
}
