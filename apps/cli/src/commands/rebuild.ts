import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigModule, DatabaseModule } from '@praxis/common';
import { EventStoreModule } from '@praxis/event-store';
import { IdentityModule } from '@praxis/identity';
import { JournalModule } from '@praxis/journal';
import { ProjectionsModule, ReadModelRebuilder } from '@praxis/projections';

/**
 * `praxis rebuild`: every read model from the log, built beside the live tables
 * and swapped in, while a running service keeps answering. Registers every
 * projection (inline and async) without running any runner here.
 */
export async function rebuild(): Promise<void> {
  const config = AppConfig.fromEnv().with({ runProjections: false, demo: false });
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule.forRoot([]),
      EventStoreModule,
      IdentityModule,
      JournalModule,
      ProjectionsModule,
    ],
  })
  class RebuildModule {}
  const app = await NestFactory.createApplicationContext(RebuildModule, { logger: ['warn', 'error'] });
  try {
    for (const r of await app.get(ReadModelRebuilder).rebuildAll()) {
      console.log(
        `${r.projection.padEnd(22)} ${r.kind.padEnd(7)} ${r.method.padEnd(9)} ${r.events} events in ${r.seconds.toFixed(1)} s`,
      );
    }
  } finally {
    await app.close();
  }
}
