import { Command } from '@nestjs/cqrs';

/** The mailed link's own: the account it opens is the actor. Answers the account's email (its sign-in limit is lifted). */
export class ConfirmPasswordResetCommand extends Command<{ email: string }> {
  constructor(
    readonly token: string,
    readonly password: string,
  ) {
    super();
  }
}
