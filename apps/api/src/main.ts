import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { AppConfig, ConfigError, createRootLogger } from '@praxis/common';
import { runApiProcesses, signalsFromPrimary } from './api-processes';
import { createApp, listen } from './bootstrap';
import { installGracefulShutdown } from './health/graceful-shutdown';

async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  if (cluster.isPrimary && !config.embedded && config.apiProcesses > 1) {
    runApiProcesses(config.apiProcesses, createRootLogger(config, 'praxis-api'));
    return;
  }
  const signals = cluster.isWorker ? signalsFromPrimary() : process;
  const app = await createApp(config);
  await listen(app, config);
  const logger = new Logger('Praxis');
  void installGracefulShutdown(app, { delayMs: config.shutdownDelayMs, logger, signals });
  const shown =
    config.host === '0.0.0.0' || config.host === '::'
      ? 'localhost'
      : config.host.includes(':')
        ? `[${config.host}]`
        : config.host;
  logger.log(
    `listening on http://${shown}:${config.port} ` +
      `(address ${config.host}; ${config.embedded ? `embedded database in ${config.dataDir}` : 'PostgreSQL server'})`,
  );
  if (!config.smtpUrl) logger.log(`no PRAXIS_SMTP_URL: mails are written to files and their links logged`);
  if (config.embedded && config.apiProcesses > 1)
    logger.log(
      `one api process, not ${config.apiProcesses}: the embedded database belongs to one process (DATABASE_URL allows more)`,
    );
  if (config.embedded)
    logger.warn(
      'The embedded database does not fsync: a machine crash can lose recent writes. Use DATABASE_URL for real deployments.',
    );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Praxis cannot start: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
