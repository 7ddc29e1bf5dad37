import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@praxis/common';
import { EventStore, handle, StreamVersionConflictError } from '@praxis/event-store';
import { AccountStore, withoutSecret } from '../../accounts/account-store';
import { AccountTokens } from '../../accounts/account-tokens';
import { AuthenticatedUser } from '../../accounts/authenticated-user';
import { assertAcceptablePassword } from '../../domain/credentials-policy';
import { accountDecider, decide } from '../../domain/account';
import { IdentityErrors } from '../../domain/identity-errors';
import { accountStream } from '../../domain/identity-events';
import { PasswordHasher } from '../../passwords/password-hasher';
import { LinkQueries } from '../../queries/link-queries';
import { onAccount } from '../streams';
import { AcceptInvitationCommand } from './accept-invitation.command';

/**
 * The invited person sets their own password: the link is used up, the
 * account becomes active and `InvitationAccepted` is stored — all or nothing.
 * An unknown, used, replaced or expired link is 410 and changes nothing.
 */
@CommandHandler(AcceptInvitationCommand)
export class AcceptInvitationHandler implements ICommandHandler<AcceptInvitationCommand> {
  constructor(
    private readonly links: LinkQueries,
    private readonly store: EventStore,
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async execute(command: AcceptInvitationCommand): Promise<AuthenticatedUser> {
    const { grant } = await this.links.invitation(command.token);
    assertAcceptablePassword(command.password);
    const passwordHash = await this.hasher.hash(command.password);
    const now = this.clock.now();
    try {
      await handle(
        this.store,
        accountStream(grant.accountId),
        accountDecider,
        (state) =>
          decide({ type: 'AcceptInvitation', accountId: grant.accountId, invitationId: grant.grantId, now }, state),
        onAccount({ actorId: grant.accountId }, async (tx) => {
          if (!(await AccountTokens.consume(tx, command.token, 'invitation', now)))
            throw IdentityErrors.invitationGone();
          await AccountStore.setPassword(tx, grant.accountId, passwordHash);
        }),
      );
    } catch (error) {
      // Two tabs submitting the same link: the one that lost the race finds the link used, like any later try.
      if (error instanceof StreamVersionConflictError) throw IdentityErrors.invitationGone();
      throw error;
    }
    const account = await this.accounts.findActiveById(grant.accountId);
    if (!account) throw IdentityErrors.invitationGone();
    return withoutSecret(account);
  }
}
