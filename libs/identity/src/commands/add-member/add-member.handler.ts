import { Injectable } from '@nestjs/common';
import { MemberRole } from '../../domain/roles';
import { Actor } from '../actor';
import { InviteMemberHandler } from '../invite-member/invite-member.handler';

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

/** The demo's and the tests' members: an invited member's path, with a password set at once and no mail. */
@Injectable()
export class AddMemberHandler {
  constructor(private readonly members: InviteMemberHandler) {}

  async execute({ password, ...member }: AddMember, actor: Actor): Promise<MemberAdded> {
    const { id, email } = await this.members.join(member, password, actor);
    return { id, email, role: member.role, organisationId: member.organisationId, team: member.teamId };
  }
}
