import { Command } from '@nestjs/cqrs';

export interface AdminEnsured {
  created: boolean;
  id?: string;
}

/** Start-up's and the CLI's: the system is the actor. */
export class EnsureAdminCommand extends Command<AdminEnsured> {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}
