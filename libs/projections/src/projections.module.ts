import { Module } from '@nestjs/common';
import { OrganisationProjection } from './organisation/organisation-projection';
import { OrganisationTrends } from './organisation/organisation-trends';
import { ReadModelRebuilder } from './rebuild/read-model-rebuilder';

/** The organisation read model (an async projection) and the rebuild of every read model. Needs EventStoreModule. */
@Module({
  providers: [OrganisationProjection, OrganisationTrends, ReadModelRebuilder],
  exports: [OrganisationProjection, OrganisationTrends, ReadModelRebuilder],
})
export class ProjectionsModule {}
