import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MemberJoiner } from '../invite-member/member-joiner';
import { AddMemberCommand, MemberAdded } from './add-member.command';

/** The demo's and the tests' members: an invited member's path, with a password set at once and no mail. */
@CommandHandler(AddMemberCommand)
export class AddMemberHandler implements ICommandHandler<AddMemberCommand> {
  constructor(private readonly members: MemberJoiner) {}

  async execute({ member: { password, ...member }, actor }: AddMemberCommand): Promise<MemberAdded> {
    const { id, email } = await this.members.join(member, password, actor);
    return { id, email, role: member.role, organisationId: member.organisationId, team: member.teamId };
  }
}
