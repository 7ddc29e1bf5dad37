import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import type { NextFunction, Request, Response } from 'express';
import nunjucks from 'nunjucks';
import { AppConfig } from '@praxis/common';
import { addViewFilters } from './view-filters';

/** Views and assets sit beside the sources; a build (dist/) finds them in the source tree. */
function assetDir(name: 'views' | 'public'): string {
  const candidates = [
    join(__dirname, '..', name),
    join(__dirname, '..', '..', '..', '..', '..', 'apps', 'api', 'src', name),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`cannot find the ${name} folder (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Security headers, cookies, templates and static assets for the web pages.
 * Nunjucks escapes every `{{ }}` by default (autoescape); a template that
 * wants raw HTML must say `| safe`, which review can search for.
 */
export function configureWeb(app: NestExpressApplication, config: AppConfig): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'style-src': ["'self'"],
          // Would send plain-HTTP local use (http://localhost) to https; deployments terminate TLS and send HSTS.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  // Nothing but the static assets may be kept by a browser or a proxy: pages, answers and downloads carry what a person
  // wrote, and a kept page would come back with Back after signing out, on a shared computer, for the next person to read.
  // The one place that says so: no route sets it again.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/assets/')) res.setHeader('cache-control', 'no-store');
    next();
  });
  app.use(cookieParser());
  const views = assetDir('views');
  addViewFilters(
    nunjucks.configure(views, {
      autoescape: true,
      noCache: !config.production,
      express: app.getHttpAdapter().getInstance(),
    }),
  );
  app.setBaseViewsDir(views);
  app.setViewEngine('njk');
  app.useStaticAssets(assetDir('public'), { prefix: '/assets/', index: false, maxAge: config.production ? '1h' : 0 });
  // Front-end packages come from node_modules, never a CDN (pages must work offline).
  app.useStaticAssets(dirname(require.resolve('chart.js')), {
    prefix: '/assets/vendor/chart.js/',
    index: false,
    maxAge: config.production ? '1d' : 0,
  });
}
