import { Injectable } from '@nestjs/common';
import { aggregateStream, EventStore } from '@praxis/event-store';
import { AccountStore } from '../../accounts/account-store';
import { accountDecider } from '../../domain/account';
import { IdentityErrors } from '../../domain/identity-errors';
import { accountStream } from '../../domain/identity-events';
import { Role } from '../../domain/roles';
import { Actor } from '../actor';
import { InvitationSender } from './invitation-sender';

/** An admin sends an invitation again: a new link, the old one dead. Only for an account that has not set its password yet. */
@Injectable()
export class SendInvitationHandler {
  constructor(
    private readonly accounts: AccountStore,
    private readonly store: EventStore,
    private readonly invitations: InvitationSender,
  ) {}

  async execute(
    /** Scoped by the route it came through: a member of that organisation, or an account of that role. */
    command: { accountId: string; organisationId?: string; role?: Role },
    actor: Actor,
  ): Promise<{ id: string; status: 'invited'; expiresAt: string }> {
    const account = await this.accounts.statusOf(command.accountId);
    if (!account || account.status === 'erased' || account.status === 'pending') throw IdentityErrors.accountNotFound();
    if (command.role !== undefined && account.role !== command.role) throw IdentityErrors.accountNotFound();
    if (
      command.organisationId !== undefined &&
      (await this.accounts.organisationOf(command.accountId)) !== command.organisationId
    ) {
      throw IdentityErrors.accountNotFound();
    }
    if (account.status === 'active') throw IdentityErrors.alreadyActive();
    // A member whose first invitation never got stored (the process stopped between the two appends) gets its first one now.
    const { state } = await aggregateStream(this.store, accountStream(command.accountId), accountDecider);
    const { expiresAt } = await this.invitations.issue(command.accountId, state.status === 'none' ? {} : false, actor);
    return { id: command.accountId, status: 'invited', expiresAt: expiresAt.toISOString() };
  }
}
