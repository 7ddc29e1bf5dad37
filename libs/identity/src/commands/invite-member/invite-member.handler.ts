import { Injectable } from '@nestjs/common';
import { Clock, newId } from '@praxis/common';
import { AccountStore } from '../../accounts/account-store';
import { assertAcceptableEmail, normaliseEmail } from '../../domain/credentials-policy';
import { decide, OrganisationCommand } from '../../domain/organisation';
import { MemberRole } from '../../domain/roles';
import { Actor } from '../actor';
import { OrganisationRepository } from '../organisation-repository';
import { InvitationSender } from '../send-invitation/invitation-sender';

export interface InviteMember {
  organisationId: string;
  email: string;
  role: MemberRole;
  teamId: string | null;
}

export interface MemberInvitedView {
  id: string;
  email: string;
  role: MemberRole;
  organisationId: string;
  team: string | null;
  status: 'invited';
}

/**
 * An admin invites a person into an organisation: the membership
 * (`MemberInvited`) and then the invitation on the account's own stream. No
 * password is chosen here: the person sets their own through the mailed link,
 * and until then the account cannot sign in and counts for nothing.
 */
@Injectable()
export class InviteMemberHandler {
  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly accounts: AccountStore,
    private readonly invitations: InvitationSender,
    private readonly clock: Clock,
  ) {}

  async execute(command: InviteMember, actor: Actor): Promise<MemberInvitedView> {
    const email = normaliseEmail(command.email);
    assertAcceptableEmail(email);
    const accountId = newId();
    const invite: OrganisationCommand = { type: 'InviteMember', accountId, role: command.role, teamId: command.teamId };
    // Decide once before writing anything, so a bad team or organisation leaves no claim behind.
    decide(invite, (await this.organisations.load(command.organisationId)).state);
    await this.accounts.claim({
      id: accountId,
      email,
      passwordHash: null,
      role: command.role,
      createdAt: this.clock.now(),
    });
    try {
      await this.organisations.update(command.organisationId, (state) => decide(invite, state), actor);
    } catch (error) {
      await this.accounts.release(accountId);
      throw error;
    }
    // Should this fail (the process stops in between), the member shows as invited with no mail, and "send again" mends it.
    await this.invitations.issue(accountId, {}, actor);
    return {
      id: accountId,
      email,
      role: command.role,
      organisationId: command.organisationId,
      team: command.teamId,
      status: 'invited',
    };
  }
}
