import { IdentityErrors } from './identity-errors';

export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase, short enough that hashing it is not a denial of service. */
export const PASSWORD_MAX_LENGTH = 256;
export const EMAIL_MAX_LENGTH = 254;

// Deliberately plain: the HTTP edge validates with class-validator's isEmail; this guards the CLI and configuration.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Counts characters as people see them (code points), not UTF-16 units. */
export function assertAcceptablePassword(password: string, field = 'password'): void {
  const length = typeof password === 'string' ? [...password].length : 0;
  if (length < PASSWORD_MIN_LENGTH) throw IdentityErrors.passwordTooShort(PASSWORD_MIN_LENGTH, field);
  if (length > PASSWORD_MAX_LENGTH) throw IdentityErrors.passwordTooLong(PASSWORD_MAX_LENGTH, field);
}

/** The rule as the pages show it beside every new-password field. */
export const PASSWORD_RULE =
  `At least ${PASSWORD_MIN_LENGTH} characters (at most ${PASSWORD_MAX_LENGTH}). ` +
  'A few unrelated words make a good one.';

export function assertAcceptableEmail(email: string): void {
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL.test(email)) throw IdentityErrors.emailInvalid();
}

/** The form an email is stored and compared in: trimmed; case is compared without (lower(email) is unique). */
export const normaliseEmail = (email: string): string => email.trim();
