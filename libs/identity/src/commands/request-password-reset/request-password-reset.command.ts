import { Command } from '@nestjs/cqrs';

/** "Forgot password": answered at once, whatever the address; the mail, if any, follows. */
export class RequestPasswordResetCommand extends Command<void> {
  constructor(readonly email: string) {
    super();
  }
}
