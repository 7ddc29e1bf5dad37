import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccountCache } from '../../accounts/account-cache';
import { AccountStore } from '../../accounts/account-store';
import { SignOutCommand } from './sign-out.command';

/**
 * Signing out ends every session of the account, everywhere: the web sessions
 * are deleted and the token version moves on, so every bearer token issued
 * before is refused. (One shared computer signed out means all are.)
 */
@CommandHandler(SignOutCommand)
export class SignOutHandler implements ICommandHandler<SignOutCommand> {
  constructor(
    private readonly accounts: AccountStore,
    private readonly cache: AccountCache,
  ) {}

  async execute({ accountId }: SignOutCommand): Promise<void> {
    await this.accounts.revokeAll(accountId);
    // Before answering: the next request in this process must not meet the account as it was.
    this.cache.forget(accountId);
  }
}
