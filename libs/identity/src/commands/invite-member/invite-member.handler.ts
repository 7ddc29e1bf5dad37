import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InvitationSender } from '../send-invitation/invitation-sender';
import { InviteMemberCommand, MemberInvitedView } from './invite-member.command';
import { MemberJoiner } from './member-joiner';

/**
 * An admin invites a person into an organisation: the membership
 * (`MemberInvited`) and then the invitation on the account's own stream. No
 * password is chosen here: the person sets their own through the mailed link,
 * and until then the account cannot sign in and counts for nothing.
 */
@CommandHandler(InviteMemberCommand)
export class InviteMemberHandler implements ICommandHandler<InviteMemberCommand> {
  constructor(
    private readonly members: MemberJoiner,
    private readonly invitations: InvitationSender,
  ) {}

  async execute({ member, actor }: InviteMemberCommand): Promise<MemberInvitedView> {
    const { id, email } = await this.members.join(member, null, actor);
    // Should this fail (the process stops in between), the member shows as invited with no mail, and "send again" mends it.
    await this.invitations.issue(id, {}, actor);
    const { organisationId, role, teamId } = member;
    return { id, email, role, organisationId, team: teamId, status: 'invited' };
  }
}
