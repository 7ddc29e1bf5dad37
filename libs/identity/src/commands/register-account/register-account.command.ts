import { Command } from '@nestjs/cqrs';
import { PlatformRole } from '../../domain/roles';
import { Actor } from '../actor';

export interface RegisteredAccount {
  id: string;
  email: string;
  role: PlatformRole;
}

export class RegisterAccountCommand extends Command<RegisteredAccount> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly role: PlatformRole,
    readonly actor: Actor,
  ) {
    super();
  }
}
