import { Injectable } from '@nestjs/common';
import { Clock, newId } from '@praxis/common';
import { aggregateStream, EventStore, handle } from '@praxis/event-store';
import { AccountStore } from '../../accounts/account-store';
import { assertAcceptableEmail, assertAcceptablePassword, normaliseEmail } from '../../domain/credentials-policy';
import { decide, OrganisationCommand, organisationDecider } from '../../domain/organisation';
import { MemberRole } from '../../domain/roles';
import { PasswordHasher } from '../../passwords/password-hasher';
import { Actor } from '../actor';
import { InvitationSender } from '../send-invitation/invitation-sender';
import { onOrganisation, organisationStreamOf } from '../streams';

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
    private readonly store: EventStore,
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
    private readonly invitations: InvitationSender,
    private readonly clock: Clock,
  ) {}

  async execute(command: InviteMember, actor: Actor): Promise<MemberInvitedView> {
    const { id, email } = await this.join(command, null, actor);
    // Should this fail (the process stops in between), the member shows as invited with no mail, and "send again" mends it.
    await this.invitations.issue(id, {}, actor);
    const { organisationId, role, teamId } = command;
    return { id, email, role, organisationId, team: teamId, status: 'invited' };
  }

  /**
   * A new member's one path: claim the email, then join the organisation's
   * stream — `MemberInvited`, or `MemberJoined` with a password already set
   * (the demo's and the tests' members) — and give the claim back if that fails.
   */
  async join(command: InviteMember, password: string | null, actor: Actor): Promise<{ id: string; email: string }> {
    const email = normaliseEmail(command.email);
    assertAcceptableEmail(email);
    if (password !== null) assertAcceptablePassword(password);
    const accountId = newId();
    const { organisationId, role, teamId } = command;
    const join: OrganisationCommand = {
      type: password === null ? 'InviteMember' : 'AddMember',
      accountId,
      role,
      teamId,
    };
    const stream = organisationStreamOf(organisationId);
    // Decided once before writing anything, so a bad team or organisation leaves no claim behind.
    decide(join, (await aggregateStream(this.store, stream, organisationDecider)).state);
    const passwordHash = password === null ? null : await this.hasher.hash(password);
    await this.accounts.claim({ id: accountId, email, passwordHash, role, createdAt: this.clock.now() });
    try {
      await handle(this.store, stream, organisationDecider, (state) => decide(join, state), onOrganisation(actor));
    } catch (error) {
      await this.accounts.release(accountId);
      throw error;
    }
    return { id: accountId, email };
  }
}
