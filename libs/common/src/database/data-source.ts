import { DataSource, MixedList } from 'typeorm';
import { ALL_MIGRATIONS } from '@praxis/migrations';

export interface DatabaseOptions {
  url: string;
  /** A schema of its own (tests); created before migrating. */
  schema?: string;
  /** Connections in the pool; exactly 1 in front of PGlite. */
  poolMax: number;
  /** Every connection is the same session (PGlite behind its socket): no named statements. */
  sharedSession?: boolean;
  entities?: MixedList<Function>;
}

const SHARED_SESSION = new WeakSet<DataSource>();

/**
 * Whether the database behind this DataSource is one session whatever the connection (PGlite behind
 * pglite-socket): a named prepared statement outlives the connection that made it, and the next
 * connection's `Parse` of the same name fails (FACTS: `42P05 already exists`).
 */
export const sharesOneSession = (dataSource: DataSource): boolean => SHARED_SESSION.has(dataSource);

/** One TypeORM DataSource for both the server and the embedded database. */
export function createDataSource(options: DatabaseOptions): DataSource {
  const dataSource = newDataSource(options);
  if (options.sharedSession) SHARED_SESSION.add(dataSource);
  return dataSource;
}

function newDataSource(options: DatabaseOptions): DataSource {
  const schema = options.schema;
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema,
    entities: options.entities ?? [],
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Our code logs what matters; TypeORM would also log expected refusals (conflicts, the log's trigger).
    logging: false,
    extra: {
      max: options.poolMax,
      // search_path in the start-up packet, so every pooled connection sees the schema.
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
      connectionTimeoutMillis: 10_000,
    },
  });
}

export async function ensureSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  const bootstrap = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
  await bootstrap.initialize();
  try {
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await bootstrap.destroy();
  }
}
