import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig, ConfigError } from '@praxis/common';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  const logger = new Logger('Praxis');
  logger.log(`listening on http://localhost:${config.port} (${config.embedded ? `embedded database in ${config.dataDir}` : 'PostgreSQL server'})`);
  if (config.embedded) logger.warn('The embedded database does not fsync: a machine crash can lose recent writes. Use DATABASE_URL for real deployments.');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Praxis cannot start: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
