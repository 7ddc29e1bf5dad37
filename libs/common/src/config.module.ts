import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config';
import { Clock, SystemClock } from './clock';

/** Provides the validated configuration and the clock to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
      ],
      exports: [AppConfig, Clock],
    };
  }
}
