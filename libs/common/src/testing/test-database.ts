import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config';
import { Database } from '../database/database';

/** True when the suite runs against a PostgreSQL server (DATABASE_URL), false on PGlite. */
export const onServer = (): boolean => !!process.env.DATABASE_URL;

export interface TestDatabase {
  config: AppConfig;
  database: Database;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * Config for one suite: on a server, a schema of its own in a database whose
 * name contains "test"; otherwise an in-memory PGlite. Never touches process.env.
 */
export function testConfig(suite: string, overrides: NodeJS.ProcessEnv = {}): AppConfig {
  const url = process.env.DATABASE_URL;
  const env: NodeJS.ProcessEnv = {
    PRAXIS_DATA_DIR: 'memory://',
    PRAXIS_DEMO: 'off',
    PRAXIS_PROJECTION_POLL_MS: '50',
    PRAXIS_RUN_PROJECTIONS: 'off',
    PRAXIS_LOG_LEVEL: process.env.PRAXIS_TEST_LOGS === '1' ? 'info' : 'silent',
    PRAXIS_LOG_FORMAT: 'json',
    ...overrides,
  };
  if (url) {
    const database = new URL(url).pathname.slice(1);
    if (!database.includes('test')) {
      throw new Error(`refusing to run tests on database "${database}": a test database's name must contain "test"`);
    }
    env.DATABASE_URL = url;
    env.DATABASE_SCHEMA = `t_${suite.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  }
  return AppConfig.fromEnv(env);
}

export async function openTestDatabase(suite: string, overrides: NodeJS.ProcessEnv = {}): Promise<TestDatabase> {
  const config = testConfig(suite, overrides);
  const database = await Database.open(config);
  return {
    config,
    database,
    dataSource: database.dataSource,
    close: async () => {
      if (config.databaseSchema)
        await database.dataSource
          .query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`)
          .catch(() => undefined);
      await database.close();
    },
  };
}

/** Drops a suite's schema after the app that used it has closed its own connections. */
export async function dropTestSchema(config: AppConfig): Promise<void> {
  if (!config.databaseUrl || !config.databaseSchema) return;
  const ds = new DataSource({ type: 'postgres', url: config.databaseUrl, extra: { max: 1 } });
  await ds.initialize();
  try {
    await ds.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`);
  } finally {
    await ds.destroy();
  }
}
