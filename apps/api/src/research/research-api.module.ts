import { Module } from '@nestjs/common';
import { IdentityModule } from '@praxis/identity';
import { ResearchModule } from '@praxis/research';
import { ReflectionDrafts } from '../journal/reflection-draft';
import { PageErrorFilter } from '../pages/page-error.filter';
import { PageRenderer } from '../pages/page-renderer';
import { ResearchExportsController } from './research-exports.controller';
import { ResearchPagesController } from './research-pages.controller';

/** The research routes (API and pages), wired to the research lib. */
@Module({
  imports: [IdentityModule, ResearchModule],
  controllers: [ResearchExportsController, ResearchPagesController],
  providers: [PageRenderer, PageErrorFilter, ReflectionDrafts],
})
export class ResearchApiModule {}
