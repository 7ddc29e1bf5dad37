import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  AuthenticatedUser,
  CreateOrganisationCommand,
  CreateTeamCommand,
  CurrentUser,
  HiddenFromOtherRoles,
  IdentityQueries,
  InviteMemberCommand,
  OrganisationScope,
  Roles,
  SendInvitationCommand,
} from '@praxis/identity';
import { AddMemberDto, CreateOrganisationDto, CreateTeamDto } from './identity.dto';

const actor = (user: AuthenticatedUser) => ({ actorId: user.id });

@Controller('api/organisations')
export class OrganisationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: IdentityQueries,
  ) {}

  @Roles('admin')
  @Post()
  create(@Body() body: CreateOrganisationDto, @CurrentUser() user: AuthenticatedUser) {
    return this.commands.execute(new CreateOrganisationCommand(body.name, actor(user)));
  }

  @Roles('admin')
  @Get()
  list() {
    return this.queries.organisations();
  }

  @Roles('admin', 'leader')
  @OrganisationScope('orgId')
  @Get(':orgId')
  get(@Param('orgId') orgId: string) {
    return this.queries.organisation(orgId);
  }

  @Roles('admin', 'leader')
  @OrganisationScope('orgId')
  @Post(':orgId/teams')
  addTeam(@Param('orgId') orgId: string, @Body() body: CreateTeamDto, @CurrentUser() user: AuthenticatedUser) {
    return this.commands.execute(new CreateTeamCommand(orgId, body.name, actor(user)));
  }

  @Roles('admin', 'leader')
  @OrganisationScope('orgId')
  @Get(':orgId/teams')
  teams(@Param('orgId') orgId: string) {
    return this.queries.teams(orgId);
  }

  /**
   * Admins invite: 201 {…, status: "invited"} and a mail with a one-time link
   * where the person sets their own password; 409 when the email is taken; 400
   * naming `team` for a team that is not this organisation's, and for any
   * `password` (nobody chooses another person's). Anyone else: the router's 404.
   */
  @Roles('admin')
  @HiddenFromOtherRoles()
  @OrganisationScope('orgId')
  @Post(':orgId/members')
  add(@Param('orgId') orgId: string, @Body() body: AddMemberDto, @CurrentUser() user: AuthenticatedUser) {
    return this.commands.execute(
      new InviteMemberCommand(
        { organisationId: orgId, email: body.email, role: body.role, teamId: body.team ?? null },
        actor(user),
      ),
    );
  }

  /** 202: a new invitation link mailed, the old one dead; 409 once the member has set their password. */
  @Roles('admin')
  @HiddenFromOtherRoles()
  @OrganisationScope('orgId')
  @Post(':orgId/members/:memberId/invitation')
  @HttpCode(202)
  sendAgain(
    @Param('orgId') orgId: string,
    @Param('memberId') memberId: string,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.commands.execute(new SendInvitationCommand(memberId, { organisationId: orgId }, actor(user)));
  }

  @Roles('admin', 'leader')
  @OrganisationScope('orgId')
  @Get(':orgId/members')
  members(@Param('orgId') orgId: string) {
    return this.queries.members(orgId);
  }
}
