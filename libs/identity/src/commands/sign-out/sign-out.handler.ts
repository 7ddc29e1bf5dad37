import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccountStore } from '../../accounts/account-store';
import { SignOutCommand } from './sign-out.command';

/**
 * Signing out ends every session of the account, everywhere: the web sessions
 * are deleted and the token version moves on, so every bearer token issued
 * before is refused. (One shared computer signed out means all are.)
 */
@CommandHandler(SignOutCommand)
export class SignOutHandler implements ICommandHandler<SignOutCommand> {
  constructor(private readonly accounts: AccountStore) {}

  execute({ accountId }: SignOutCommand): Promise<void> {
    return this.accounts.revokeAll(accountId);
  }
}
