import { Controller, Get, Param, Query } from '@nestjs/common';
import { HiddenFromOtherRoles, OrganisationScope, Roles } from '@praxis/identity';
import { OrganisationTrends, OrganisationTrendsAnswer } from '@praxis/projections';

/**
 * The organisation's trends, for its leaders only. Workers, researchers and
 * admins get 404 (as for an organisation that is not theirs): the route does
 * not exist for them.
 */
@Roles('leader')
@HiddenFromOtherRoles()
@OrganisationScope('orgId')
@Controller('api/organisations/:orgId/trends')
export class OrganisationTrendsController {
  constructor(private readonly trends: OrganisationTrends) {}

  @Get()
  get(
    @Param('orgId') orgId: string,
    @Query('granularity') granularity?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('team') team?: string,
  ): Promise<OrganisationTrendsAnswer> {
    return this.trends.trends(orgId, { granularity, from, to, team });
  }
}
