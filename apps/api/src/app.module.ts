import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppConfig, Clock, ConfigModule, DatabaseModule, HttpErrorFilter, SystemClock } from '@praxis/common';
import { EventStoreModule } from '@praxis/event-store';
import { HealthController } from './health/health.controller';

/** The composition root: every lib is wired here and nowhere else. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config, clock), DatabaseModule.forRoot([]), EventStoreModule],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
