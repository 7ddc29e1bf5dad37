import { Logger } from '@nestjs/common';
import { DataSource, MixedList } from 'typeorm';
import { AppConfig } from '../config';
import { createDataSource, ensureSchema } from './data-source';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

const MIGRATION_LOCK = 7_370_001; // advisory lock key: one migrator at a time across processes

/** The open database: a migrated DataSource, and the embedded server behind it if any. */
export class Database {
  private constructor(
    readonly dataSource: DataSource,
    /** Where the database is reached (the embedded server's private port for PGlite). */
    readonly url: string,
    /** True when this is PGlite: one session, no fsync, no LISTEN/NOTIFY across connections. */
    readonly embedded: boolean,
    private readonly server?: EmbeddedPostgres,
  ) {}

  static async open(config: AppConfig, entities: MixedList<Function> = [], migrate = true): Promise<Database> {
    const server = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir);
    const url = config.databaseUrl ?? server!.url;
    try {
      if (config.databaseSchema) await ensureSchema(url, config.databaseSchema);
      const dataSource = createDataSource({
        url,
        schema: config.databaseSchema,
        poolMax: server ? 1 : 10,
        sharedSession: !!server,
        entities,
      });
      await dataSource.initialize();
      const db = new Database(dataSource, url, !!server, server);
      if (migrate) await db.migrate();
      return db;
    } catch (error) {
      await server?.stop();
      throw error;
    }
  }

  /** Applies pending migrations; concurrent starters on a server wait for each other. */
  async migrate(): Promise<string[]> {
    const lock = this.embedded ? undefined : this.dataSource.createQueryRunner();
    try {
      await lock?.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      if (applied.length) new Logger('Database').log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
      return applied.map((m) => m.name);
    } finally {
      if (lock) {
        await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
        await lock.release();
      }
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.server?.stop();
  }
}
