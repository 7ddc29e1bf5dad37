import { Command } from '@nestjs/cqrs';

/** The mailed link's own: the account it opens is the actor. */
export class ConfirmPasswordResetCommand extends Command<void> {
  constructor(
    readonly token: string,
    readonly password: string,
  ) {
    super();
  }
}
