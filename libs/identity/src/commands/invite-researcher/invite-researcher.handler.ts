import { Injectable } from '@nestjs/common';
import { Clock, newId } from '@praxis/common';
import { AccountStore } from '../../accounts/account-store';
import { assertAcceptableEmail, normaliseEmail } from '../../domain/credentials-policy';
import { Actor } from '../actor';
import { InvitationSender } from '../send-invitation/invitation-sender';

/** An admin invites a researcher: `AccountInvited` and `InvitationIssued` in one append to the new account's stream. */
@Injectable()
export class InviteResearcherHandler {
  constructor(
    private readonly accounts: AccountStore,
    private readonly invitations: InvitationSender,
    private readonly clock: Clock,
  ) {}

  async execute(
    command: { email: string },
    actor: Actor,
  ): Promise<{ id: string; email: string; role: 'researcher'; status: 'invited' }> {
    const email = normaliseEmail(command.email);
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
