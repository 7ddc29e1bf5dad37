import { Injectable } from '@nestjs/common';
import { Clock, newId } from '@praxis/common';
import { AccountStore } from '../../accounts/account-store';
import { assertAcceptableEmail, assertAcceptablePassword, normaliseEmail } from '../../domain/credentials-policy';
import { decide, OrganisationCommand } from '../../domain/organisation';
import { MemberRole } from '../../domain/roles';
import { PasswordHasher } from '../../passwords/password-hasher';
import { Actor } from '../actor';
import { OrganisationRepository } from '../organisation-repository';

export interface AddMember {
  organisationId: string;
  email: string;
  password: string;
  role: MemberRole;
  teamId: string | null;
}

export interface MemberAdded {
  id: string;
  email: string;
  role: MemberRole;
  organisationId: string;
  team: string | null;
}

@Injectable()
export class AddMemberHandler {
  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async execute(command: AddMember, actor: Actor): Promise<MemberAdded> {
    const email = normaliseEmail(command.email);
    assertAcceptableEmail(email);
    assertAcceptablePassword(command.password);
    const accountId = newId();
    const add: OrganisationCommand = { type: 'AddMember', accountId, role: command.role, teamId: command.teamId };
    // Decide once before writing anything, so a bad team or organisation leaves no claim behind.
    decide(add, (await this.organisations.load(command.organisationId)).state);
    const passwordHash = await this.hasher.hash(command.password);
    await this.accounts.claim({ id: accountId, email, passwordHash, role: command.role, createdAt: this.clock.now() });
    try {
      await this.organisations.update(command.organisationId, (state) => decide(add, state), actor);
    } catch (error) {
      await this.accounts.release(accountId);
      throw error;
    }
    return { id: accountId, email, role: command.role, organisationId: command.organisationId, team: command.teamId };
  }
}
