import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, Clock, ConfigModule, DatabaseModule, SystemClock } from '@praxis/common';
import { EventStoreModule } from '@praxis/event-store';
import { ProjectionsModule } from '@praxis/projections';
import { ResearchModule } from '@praxis/research';

/**
 * The async projections (and the research export builder) alone, without
 * HTTP: run N of it beside an api started with PRAXIS_RUN_PROJECTIONS=off.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config.with({ runProjections: true }), clock),
        DatabaseModule.forRoot([]),
        EventStoreModule,
        ProjectionsModule,
        ResearchModule,
      ],
    };
  }
}
