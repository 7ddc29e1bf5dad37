import { Injectable } from '@nestjs/common';
import { AccountStore } from '../../accounts/account-store';

/**
 * Signing out ends every session of the account, everywhere: the web sessions
 * are deleted and the token version moves on, so every bearer token issued
 * before is refused. (One shared computer signed out means all are.)
 */
@Injectable()
export class SignOutHandler {
  constructor(private readonly accounts: AccountStore) {}

  execute(accountId: string): Promise<void> {
    return this.accounts.revokeAll(accountId);
  }
}
