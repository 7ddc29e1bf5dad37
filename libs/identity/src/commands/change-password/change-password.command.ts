import { Command } from '@nestjs/cqrs';

/** A signed-in person's own change: the account is the actor. */
export class ChangePasswordCommand extends Command<void> {
  constructor(
    readonly accountId: string,
    readonly currentPassword: string,
    readonly newPassword: string,
  ) {
    super();
  }
}
