import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccountRegistrar } from './account-registrar';
import { RegisteredAccount, RegisterAccountCommand } from './register-account.command';

/** Admins and researchers: accounts outside every organisation, each with a stream of its own. */
@CommandHandler(RegisterAccountCommand)
export class RegisterAccountHandler implements ICommandHandler<RegisterAccountCommand> {
  constructor(private readonly registrar: AccountRegistrar) {}

  execute(command: RegisterAccountCommand): Promise<RegisteredAccount> {
    return this.registrar.register(command);
  }
}
