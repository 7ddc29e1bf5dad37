import { Command } from '@nestjs/cqrs';
import { MemberRole } from '../../domain/roles';
import { Actor } from '../actor';

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

export class InviteMemberCommand extends Command<MemberInvitedView> {
  constructor(
    readonly member: InviteMember,
    readonly actor: Actor,
  ) {
    super();
  }
}
