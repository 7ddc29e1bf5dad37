import { Command } from '@nestjs/cqrs';
import { MemberRole } from '../../domain/roles';
import { Actor } from '../actor';

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

export class AddMemberCommand extends Command<MemberAdded> {
  constructor(
    readonly member: AddMember,
    readonly actor: Actor,
  ) {
    super();
  }
}
