import { createHash } from 'node:crypto';
import { ThrottlerModuleOptions } from '@nestjs/throttler';

/**
 * Sign-in attempts, counted across the API and the /login page together:
 * 30 a minute from one address, 10 in 15 minutes for one account (by the
 * email tried, whether it exists or not). Counters live in this process; with
 * several api processes behind a balancer each counts its own share.
 * Behind a proxy, set PRAXIS_TRUST_PROXY so the address is the client's, not the proxy's.
 */
export const LOGIN_LIMITS = {
  perAddress: { limit: 30, ttl: 60_000 },
  perAccount: { limit: 10, ttl: 15 * 60_000 },
} as const;

const key = (throttler: string, tracker: string) => createHash('sha256').update(`${throttler}\0${tracker}`).digest('hex');

const emailOf = (req: Record<string, any>): string => {
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
};

export const LOGIN_THROTTLERS: ThrottlerModuleOptions = {
  throttlers: [
    { name: 'login-address', ...LOGIN_LIMITS.perAddress },
    { name: 'login-account', ...LOGIN_LIMITS.perAccount, getTracker: (req) => emailOf(req) },
  ],
  // One key per throttler and tracker, not per route: /api/auth/login and /login share the count.
  generateKey: (_context, tracker, throttler) => key(throttler, tracker),
  errorMessage: 'Too many sign-in attempts; wait a little and try again',
};
