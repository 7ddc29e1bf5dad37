import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@praxis/common';
import { AccountStore } from '../../accounts/account-store';
import { normaliseEmail } from '../../domain/credentials-policy';
import { SYSTEM } from '../actor';
import { AccountRegistrar } from '../register-account/account-registrar';
import { RegisterAccountCommand } from '../register-account/register-account.command';
import { AdminEnsured, EnsureAdminCommand } from './ensure-admin.command';

/**
 * The first admin, from configuration or the CLI: created when no account has
 * the email, left alone (password included) when one does, so restarting
 * with the same settings never resets anything.
 */
@CommandHandler(EnsureAdminCommand)
export class EnsureAdminHandler implements ICommandHandler<EnsureAdminCommand> {
  constructor(
    private readonly accounts: AccountStore,
    private readonly registrar: AccountRegistrar,
  ) {}

  async execute(command: EnsureAdminCommand): Promise<AdminEnsured> {
    const email = normaliseEmail(command.email);
    if (await this.accounts.emailExists(email)) return { created: false };
    try {
      const account = await this.registrar.register(
        new RegisterAccountCommand(email, command.password, 'admin', SYSTEM),
      );
      return { created: true, id: account.id };
    } catch (error) {
      // Another process started at the same moment and created it first.
      if (error instanceof DomainError && error.code === 'ACCOUNT.EMAIL_TAKEN') return { created: false };
      throw error;
    }
  }
}
