import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  AddMemberHandler,
  AuthenticatedUser,
  CreateOrganisationHandler,
  CreateTeamHandler,
  CurrentUser,
  IdentityQueries,
  OrganisationScope,
  Roles,
} from '@praxis/identity';
import { AddMemberDto, CreateOrganisationDto, CreateTeamDto } from './identity.dto';

const actor = (user: AuthenticatedUser) => ({ actorId: user.id });

@Controller('api/organisations')
export class OrganisationsController {
  constructor(
    private readonly createOrganisation: CreateOrganisationHandler,
    private readonly createTeam: CreateTeamHandler,
    private readonly addMember: AddMemberHandler,
    private readonly queries: IdentityQueries,
  ) {}

  @Roles('admin')
  @Post()
  create(@Body() body: CreateOrganisationDto, @CurrentUser() user: AuthenticatedUser) {
    return this.createOrganisation.execute({ name: body.name }, actor(user));
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
    return this.createTeam.execute({ organisationId: orgId, name: body.name }, actor(user));
  }

  @Roles('admin', 'leader')
  @OrganisationScope('orgId')
  @Get(':orgId/teams')
  teams(@Param('orgId') orgId: string) {
    return this.queries.teams(orgId);
  }

  /** 201; 409 when the email is taken; 400 naming `team` for a team that is not this organisation's. */
  @Roles('admin', 'leader')
  @OrganisationScope('orgId')
  @Post(':orgId/members')
  add(@Param('orgId') orgId: string, @Body() body: AddMemberDto, @CurrentUser() user: AuthenticatedUser) {
    return this.addMember.execute(
      { organisationId: orgId, email: body.email, password: body.password, role: body.role, teamId: body.team ?? null },
      actor(user),
    );
  }

  @Roles('admin', 'leader')
  @OrganisationScope('orgId')
  @Get(':orgId/members')
  members(@Param('orgId') orgId: string) {
    return this.queries.members(orgId);
  }
}
