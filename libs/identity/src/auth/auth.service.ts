import { Injectable } from '@nestjs/common';
import { AccountStore, withoutSecret } from '../accounts/account-store';
import { AuthenticatedUser } from '../accounts/authenticated-user';
import { PasswordHasher } from '../passwords/password-hasher';
import { AuthErrors } from './auth-errors';

@Injectable()
export class AuthService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Exactly one Argon2 verification whatever happens: an unknown email is
   * checked against a dummy hash, so it answers in the same time and with the
   * same error as a wrong password.
   */
  async authenticate(email: string, password: string): Promise<AuthenticatedUser> {
    const account =
      typeof email === 'string' && email.length <= 254
        ? await this.accounts.findActiveByEmail(email.trim())
        : undefined;
    const ok = account
      ? await this.hasher.verify(account.passwordHash, password)
      : await this.hasher.verifyNothing(password);
    if (!account || !ok) throw AuthErrors.invalidCredentials();
    return withoutSecret(account);
  }

  /** The account behind a token or a session, if it still exists. */
  async userById(id: string): Promise<AuthenticatedUser | undefined> {
    const account = await this.accounts.findActiveById(id);
    return account ? withoutSecret(account) : undefined;
  }
}
