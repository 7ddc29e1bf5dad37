import { Command } from '@nestjs/cqrs';
import { AuthenticatedUser } from '../../accounts/authenticated-user';

/** The invited person's own: the account the link opens is the actor. */
export class AcceptInvitationCommand extends Command<AuthenticatedUser> {
  constructor(
    readonly token: string,
    readonly password: string,
  ) {
    super();
  }
}
