import { Module } from '@nestjs/common';
import { MyTrends } from './individual/my-trends';
import { OrganisationProjection } from './organisation/organisation-projection';
import { OrganisationTrends } from './organisation/organisation-trends';
import { PublishedQuarters } from './organisation/published-quarters';
import { ReadModelRebuilder } from './rebuild/read-model-rebuilder';

/**
 * The worker's own trends (over the individual read model), the organisation read model (an async projection), the
 * published quarters (inline) and the rebuild of every read model. Needs EventStoreModule.
 */
@Module({
  providers: [OrganisationProjection, OrganisationTrends, PublishedQuarters, ReadModelRebuilder, MyTrends],
  exports: [OrganisationProjection, OrganisationTrends, ReadModelRebuilder, MyTrends],
})
export class ProjectionsModule {}
