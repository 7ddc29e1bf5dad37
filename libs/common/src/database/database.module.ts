import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, MixedList } from 'typeorm';
import { AppConfig } from '../config';
import { Database } from './database';

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly database: Database) {}

  /** The composition root names every entity; libs export theirs from index.ts. */
  static forRoot(entities: MixedList<Function> = []): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: Database, inject: [AppConfig], useFactory: (config: AppConfig) => Database.open(config, entities) },
        { provide: DataSource, inject: [Database], useFactory: (db: Database) => db.dataSource },
      ],
      exports: [Database, DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
