import { Module } from '@nestjs/common';
import { MyTrends } from './individual/my-trends';
import { OrganisationProjection } from './organisation/organisation-projection';
import { OrganisationTrends } from './organisation/organisation-trends';
import { ReadModelRebuilder } from './rebuild/read-model-rebuilder';

/** The worker's own trends (over the individual read model), the organisation read model (an async projection) and the rebuild of every read model. Needs EventStoreModule. */
@Module({
  providers: [OrganisationProjection, OrganisationTrends, ReadModelRebuilder, MyTrends],
  exports: [OrganisationProjection, OrganisationTrends, ReadModelRebuilder, MyTrends],
})
export class ProjectionsModule {}
