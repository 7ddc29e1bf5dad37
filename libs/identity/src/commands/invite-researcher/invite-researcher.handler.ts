import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, newId } from '@praxis/common';
import { AccountStore } from '../../accounts/account-store';
import { assertAcceptableEmail, normaliseEmail } from '../../domain/credentials-policy';
import { InvitationSender } from '../send-invitation/invitation-sender';
import { InviteResearcherCommand, ResearcherInvited } from './invite-researcher.command';

/** An admin invites a researcher: `AccountInvited` and `InvitationIssued` in one append to the new account's stream. */
@CommandHandler(InviteResearcherCommand)
export class InviteResearcherHandler implements ICommandHandler<InviteResearcherCommand> {
  constructor(
    private readonly accounts: AccountStore,
    private readonly invitations: InvitationSender,
    private readonly clock: Clock,
  ) {}

  async execute({ email: rawEmail, actor }: InviteResearcherCommand): Promise<ResearcherInvited> {
    const email = normaliseEmail(rawEmail);
    assertAcceptableEmail(email);
    const accountId = newId();
    await this.accounts.claim({
      id: accountId,
      email,
      passwordHash: null,
      role: 'researcher',
      createdAt: this.clock.now(),
    });
    try {
      await this.invitations.issue(accountId, { role: 'researcher' }, actor);
    } catch (error) {
      await this.accounts.release(accountId);
      throw error;
    }
    return { id: accountId, email, role: 'researcher', status: 'invited' };
  }
}
