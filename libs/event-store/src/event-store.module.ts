import { Global, Module } from '@nestjs/common';
import { EventStore } from './event-store';
import { InlineProjectionRegistry } from './inline-projections';
import { SubjectKeyStore } from './subject-keys';
import { ProjectionHost } from './subscriptions/projection-host';
import { ProjectionMonitor } from './subscriptions/projection-monitor';
import { UpcasterRegistry } from './upcasters';

/** The event store and its runtime; needs ConfigModule and DatabaseModule. */
@Global()
@Module({
  providers: [
    EventStore,
    UpcasterRegistry,
    InlineProjectionRegistry,
    SubjectKeyStore,
    ProjectionHost,
    ProjectionMonitor,
  ],
  exports: [EventStore, UpcasterRegistry, InlineProjectionRegistry, SubjectKeyStore, ProjectionHost, ProjectionMonitor],
})
export class EventStoreModule {}
