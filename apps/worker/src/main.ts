import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigError, createRootLogger, PinoNestLogger } from '@praxis/common';
import { ProjectionHost } from '@praxis/event-store';
import { WorkerModule } from './worker.module';

/**
 * `npm run start:worker`: runs the async projections (checkpointed, one runner
 * per projection across all workers by advisory lock) until SIGTERM/SIGINT.
 * The embedded database is one process's alone: the worker needs DATABASE_URL.
 */
async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  if (config.embedded)
    throw new ConfigError('the worker needs DATABASE_URL: the embedded database belongs to the api process');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new PinoNestLogger(createRootLogger(config, 'praxis-worker')),
  });
  app.enableShutdownHooks();
  new Logger('Worker').log(`running projections: ${app.get(ProjectionHost).names().join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Praxis worker cannot start: ${error.message}` : error);
  process.exit(1);
});
