import { Module } from '@nestjs/common';
import { IdentityModule } from '@praxis/identity';
import { ProjectionsModule } from '@praxis/projections';
import { ProjectionsAdminController } from '../admin/projections-admin.controller';
import { ReflectionDrafts } from '../journal/reflection-draft';
import { PageErrorFilter } from '../pages/page-error.filter';
import { PageRenderer } from '../pages/page-renderer';
import { DashboardPageController } from './dashboard-page.controller';
import { OrganisationTrendsController } from './organisation-trends.controller';

/** The leaders' trends (API and dashboard) and the admin's rebuild, wired to the projections lib. */
@Module({
  imports: [IdentityModule, ProjectionsModule],
  controllers: [OrganisationTrendsController, DashboardPageController, ProjectionsAdminController],
  providers: [PageRenderer, PageErrorFilter, ReflectionDrafts],
})
export class TrendsModule {}
