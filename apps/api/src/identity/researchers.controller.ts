import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  AuthenticatedUser,
  CurrentUser,
  HiddenFromOtherRoles,
  IdentityQueries,
  InviteResearcherCommand,
  Roles,
  SendInvitationCommand,
} from '@praxis/identity';
import { RegisterResearcherDto } from './identity.dto';

@Roles('admin')
@HiddenFromOtherRoles()
@Controller('api/researchers')
export class ResearchersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: IdentityQueries,
  ) {}

  /** 201 {id, email, role, status: "invited"} and an invitation mail; 409 when the email is taken. */
  @Post()
  create(@Body() body: RegisterResearcherDto, @CurrentUser() user: AuthenticatedUser) {
    return this.commands.execute(new InviteResearcherCommand(body.email, { actorId: user.id }));
  }

  /** Every researcher but the erased, with where their invitation stands. */
  @Get()
  list() {
    return this.queries.researchers();
  }

  /** 202: a new invitation link mailed, the old one dead; 409 once they have set their password. */
  @Post(':id/invitation')
  @HttpCode(202)
  sendAgain(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.commands.execute(new SendInvitationCommand(id, { role: 'researcher' }, { actorId: user.id }));
  }
}
