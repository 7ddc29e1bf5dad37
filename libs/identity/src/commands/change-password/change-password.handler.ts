import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handle } from '@praxis/event-store';
import { AccountStore } from '../../accounts/account-store';
import { accountDecider, decide } from '../../domain/account';
import { assertAcceptablePassword } from '../../domain/credentials-policy';
import { IdentityErrors } from '../../domain/identity-errors';
import { accountStream } from '../../domain/identity-events';
import { PasswordHasher } from '../../passwords/password-hasher';
import { onAccount } from '../streams';
import { ChangePasswordCommand } from './change-password.command';

/** A signed-in person changes their own password; every session and token issued before stops working. */
@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand> {
  constructor(
    private readonly accounts: AccountStore,
    private readonly store: EventStore,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute(command: ChangePasswordCommand): Promise<void> {
    const account = await this.accounts.findActiveById(command.accountId);
    if (!account) throw IdentityErrors.accountNotFound();
    if (!(await this.hasher.verify(account.passwordHash, command.currentPassword)))
      throw IdentityErrors.currentPasswordWrong();
    assertAcceptablePassword(command.newPassword, 'newPassword');
    const passwordHash = await this.hasher.hash(command.newPassword);
    await handle(
      this.store,
      accountStream(account.id),
      accountDecider,
      (state) => decide({ type: 'ChangePassword', accountId: account.id }, state),
      onAccount({ actorId: account.id }, (tx) => AccountStore.setPassword(tx, account.id, passwordHash)),
    );
  }
}
