import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, Clock, SystemClock } from '@praxis/common';
import { AppModule } from './app.module';
import { setupApiDocs } from './docs/api-docs';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { PraxisMetrics } from './metrics/praxis-metrics';
import { configureWeb } from './pages/web-setup';

/** Builds the HTTP application; main.ts and the end-to-end tests both start it here. */
export async function createApp(config: AppConfig, clock: Clock = new SystemClock()): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, clock), {
    logger: process.env.PRAXIS_LOG === 'silent' ? false : ['log', 'warn', 'error'],
    bodyParser: false,
  });
  // First, so the request metrics time everything after it, refusals included.
  app.use(httpMetricsMiddleware(app.get(PraxisMetrics)));
  app.useBodyParser('json', { limit: '100kb' });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false });
  app.disable('x-powered-by');
  // Behind a reverse proxy: the client's address (sign-in limits count by it) from the proxies named here only.
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  configureWeb(app, config);
  setupApiDocs(app, config);
  app.enableShutdownHooks();
  return app;
}

/**
 * Listens where the configuration says: loopback unless HOST says otherwise
 * (0.0.0.0 in production), because the quick start's demo passwords are public.
 */
export async function listen(app: INestApplication, config: AppConfig): Promise<void> {
  await app.listen(config.port, config.host);
}
