import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DestinationStream } from 'pino';
import { AppConfig, Clock, createRootLogger, PinoNestLogger, SystemClock } from '@praxis/common';
import { AppModule } from './app.module';
import { setupApiDocs } from './docs/api-docs';
import { checkJsonShape, refuseForbiddenKeys } from './hostile-input/input-limits';
import { requestLogging } from './logging/request-logging';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { PraxisMetrics } from './metrics/praxis-metrics';
import { configureWeb } from './pages/web-setup';

export interface AppOptions {
  /** Where the JSON log lines go (tests read them); standard output otherwise. */
  logDestination?: DestinationStream;
}

/** Builds the HTTP application; main.ts and the end-to-end tests both start it here. */
export async function createApp(
  config: AppConfig,
  clock: Clock = new SystemClock(),
  options: AppOptions = {},
): Promise<INestApplication> {
  const log = createRootLogger(config, 'praxis-api', options.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, clock), {
    logger: new PinoNestLogger(log),
    bodyParser: false,
  });
  // First, so every request gets its id and access line and the metrics time everything after them, refusals included.
  app.use(requestLogging(log));
  app.use(httpMetricsMiddleware(app.get(PraxisMetrics)));
  app.useBodyParser('json', { limit: '100kb', verify: checkJsonShape });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false, parameterLimit: 200 });
  app.use(refuseForbiddenKeys());
  app.disable('x-powered-by');
  // Behind a reverse proxy: the client's address (sign-in limits count by it) from the proxies named here only.
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  configureWeb(app, config);
  setupApiDocs(app, config);
  // Signals are main.ts's (graceful-shutdown.ts): readiness turns 503 before Nest closes.
  return app;
}

/**
 * Listens where the configuration says: loopback unless HOST says otherwise
 * (0.0.0.0 in production), because the quick start's demo passwords are public.
 */
export async function listen(app: INestApplication, config: AppConfig): Promise<void> {
  await app.listen(config.port, config.host);
}
