import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { aggregateStream, EventStore } from '@praxis/event-store';
import { AccountStore } from '../../accounts/account-store';
import { accountDecider } from '../../domain/account';
import { IdentityErrors } from '../../domain/identity-errors';
import { accountStream } from '../../domain/identity-events';
import { InvitationSender } from './invitation-sender';
import { InvitationSent, SendInvitationCommand } from './send-invitation.command';

/** An admin sends an invitation again: a new link, the old one dead. Only for an account that has not set its password yet. */
@CommandHandler(SendInvitationCommand)
export class SendInvitationHandler implements ICommandHandler<SendInvitationCommand> {
  constructor(
    private readonly accounts: AccountStore,
    private readonly store: EventStore,
    private readonly invitations: InvitationSender,
  ) {}

  async execute({ accountId, scope, actor }: SendInvitationCommand): Promise<InvitationSent> {
    const account = await this.accounts.statusOf(accountId);
    if (!account || account.status === 'erased' || account.status === 'pending') throw IdentityErrors.accountNotFound();
    if (scope.role !== undefined && account.role !== scope.role) throw IdentityErrors.accountNotFound();
    if (
      scope.organisationId !== undefined &&
      (await this.accounts.organisationOf(accountId)) !== scope.organisationId
    ) {
      throw IdentityErrors.accountNotFound();
    }
    if (account.status === 'active') throw IdentityErrors.alreadyActive();
    // A member whose first invitation never got stored (the process stopped between the two appends) gets its first one now.
    const { state } = await aggregateStream(this.store, accountStream(accountId), accountDecider);
    const { expiresAt } = await this.invitations.issue(accountId, state.status === 'none' ? {} : false, actor);
    return { id: accountId, status: 'invited', expiresAt: expiresAt.toISOString() };
  }
}
