import { createHash } from 'node:crypto';
import { ThrottlerModuleOptions } from '@nestjs/throttler';

/**
 * Sign-in attempts, counted across the API and the /login page together:
 * 30 a minute from one address, 10 in 15 minutes for one account (by the
 * email tried, whether it exists or not). Counters live in the database
 * (sign-in-counts.ts), so several api processes behind a balancer share them.
 * Behind a proxy, set PRAXIS_TRUST_PROXY so the address is the client's, not the proxy's.
 */
export const LOGIN_LIMITS = {
  perAddress: { limit: 30, ttl: 60_000 },
  perAccount: { limit: 10, ttl: 15 * 60_000 },
} as const;

/**
 * The account routes around sign-in (accepting an invitation, asking for and
 * confirming a reset, changing a password) count apart from sign-in: 60 a
 * minute from one address. A link's token cannot be guessed (256 bits); this
 * caps mail sent on request and guesses at a current password.
 */
export const ACCOUNT_LINK_LIMIT = { limit: 60, ttl: 60_000 } as const;

/** On sign-in routes: skip the account-link counter. */
export const SIGN_IN_ONLY = { 'account-links': true };
/** On account-link routes: skip both sign-in counters (the per-account one counts by email, which these must not feed). */
export const ACCOUNT_LINKS_ONLY = { 'login-address': true, 'login-account': true };

const key = (throttler: string, tracker: string) =>
  createHash('sha256').update(`${throttler}\0${tracker}`).digest('hex');

const normalEmail = (email: string) => email.trim().toLowerCase().slice(0, 254);

const emailOf = (req: Record<string, any>): string => {
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof email === 'string' ? normalEmail(email) : '';
};

/**
 * The per-account counter's key for an email: a successful sign-in or a password reset forgets it
 * (SignInCounts.forgetAccount), so the limit counts the attempts since the last success — a person signing in and
 * out on a shared computer is never locked out by their own successes. The per-address count stays.
 */
export const accountCountKey = (email: string) => key('login-account', normalEmail(email));

export const LOGIN_THROTTLERS: ThrottlerModuleOptions = {
  throttlers: [
    { name: 'login-address', ...LOGIN_LIMITS.perAddress },
    { name: 'login-account', ...LOGIN_LIMITS.perAccount, getTracker: (req) => emailOf(req) },
    { name: 'account-links', ...ACCOUNT_LINK_LIMIT },
  ],
  // One key per throttler and tracker, not per route: /api/auth/login and /login share the count.
  generateKey: (_context, tracker, throttler) => key(throttler, tracker),
  // How long to wait, in words: the block's own end (timeToBlockExpire, in seconds), rounded up to a minute.
  errorMessage: (_context, detail) => {
    const minutes = Math.max(1, Math.ceil(detail.timeToBlockExpire / 60));
    // One message for every throttled route (sign-in, invitations, resets, password changes): "attempts", not "sign-in".
    return `Too many attempts; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  },
};
