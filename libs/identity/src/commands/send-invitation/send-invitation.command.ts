import { Command } from '@nestjs/cqrs';
import { Role } from '../../domain/roles';
import { Actor } from '../actor';

/** Scoped by the route it came through: a member of that organisation, or an account of that role. */
export interface InvitationScope {
  organisationId?: string;
  role?: Role;
}

export interface InvitationSent {
  id: string;
  status: 'invited';
  expiresAt: string;
}

export class SendInvitationCommand extends Command<InvitationSent> {
  constructor(
    readonly accountId: string,
    readonly scope: InvitationScope,
    readonly actor: Actor,
  ) {
    super();
  }
}
