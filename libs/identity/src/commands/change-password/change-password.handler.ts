import { Injectable } from '@nestjs/common';
import { AccountStore } from '../../accounts/account-store';
import { assertAcceptablePassword } from '../../domain/credentials-policy';
import { IdentityErrors } from '../../domain/identity-errors';
import { PasswordHasher } from '../../passwords/password-hasher';
import { AccountRepository } from '../account-repository';

/** A signed-in person changes their own password; every session and token issued before stops working. */
@Injectable()
export class ChangePasswordHandler {
  constructor(
    private readonly accounts: AccountStore,
    private readonly streams: AccountRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute(command: { accountId: string; currentPassword: string; newPassword: string }): Promise<void> {
    const account = await this.accounts.findActiveById(command.accountId);
    if (!account) throw IdentityErrors.accountNotFound();
    if (!(await this.hasher.verify(account.passwordHash, command.currentPassword)))
      throw IdentityErrors.currentPasswordWrong();
    assertAcceptablePassword(command.newPassword, 'newPassword');
    const passwordHash = await this.hasher.hash(command.newPassword);
    await this.streams.handle({ type: 'ChangePassword', accountId: account.id }, { actorId: account.id }, (tx) =>
      AccountStore.setPassword(tx, account.id, passwordHash),
    );
  }
}
