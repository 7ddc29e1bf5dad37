import { Injectable } from '@nestjs/common';
import { Clock, newId } from '@praxis/common';
import { aggregateStream, EventStore, handle } from '@praxis/event-store';
import { AccountStore } from '../../accounts/account-store';
import { assertAcceptableEmail, assertAcceptablePassword, normaliseEmail } from '../../domain/credentials-policy';
import { decide, OrganisationCommand, organisationDecider } from '../../domain/organisation';
import { PasswordHasher } from '../../passwords/password-hasher';
import { Actor } from '../actor';
import { onOrganisation, organisationStreamOf } from '../streams';
import { InviteMember } from './invite-member.command';

/**
 * A new member's one path, shared by InviteMember and AddMember: claim the
 * email, then join the organisation's stream — `MemberInvited`, or
 * `MemberJoined` with a password already set (the demo's and the tests'
 * members) — and give the claim back if that fails.
 */
@Injectable()
export class MemberJoiner {
  constructor(
    private readonly store: EventStore,
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async join(member: InviteMember, password: string | null, actor: Actor): Promise<{ id: string; email: string }> {
    const email = normaliseEmail(member.email);
    assertAcceptableEmail(email);
    if (password !== null) assertAcceptablePassword(password);
    const accountId = newId();
    const { organisationId, role, teamId } = member;
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
