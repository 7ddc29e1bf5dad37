import { dirname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

export const DOCS_ASSETS = '/api/docs/assets';

/**
 * Our own page rather than the one @nestjs/swagger writes: that one carries
 * inline <style> blocks and style attributes, which the site-wide CSP
 * (style-src 'self', script-src 'self') blocks. This page has no inline
 * script or style at all, so the CSP stays as strict here as everywhere else.
 */
const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Praxis API</title>
  <link rel="stylesheet" href="${DOCS_ASSETS}/swagger-ui.css">
  <link rel="stylesheet" href="${DOCS_ASSETS}/index.css">
  <link rel="icon" type="image/png" href="${DOCS_ASSETS}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <noscript><p>This page needs JavaScript. The OpenAPI document itself is at <a href="/api/docs-json">/api/docs-json</a>.</p></noscript>
  <script src="${DOCS_ASSETS}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_ASSETS}/init.js"></script>
</body>
</html>
`;

/** Served as a file, not inline: the CSP allows scripts from 'self' only. No online validator badge (it would call out). */
const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/docs-json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

/** The swagger-ui-dist that @nestjs/swagger itself depends on, so the two never disagree on a version. */
function swaggerUiDist(): string {
  return dirname(
    require.resolve('swagger-ui-dist/package.json', { paths: [dirname(require.resolve('@nestjs/swagger'))] }),
  );
}

/** Only the files the page uses; the package's own index.html and initializer (which loads a demo API from the internet) stay unserved. */
const FILES = ['swagger-ui.css', 'index.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'] as const;

/** GET /api/docs (the page) and its assets from node_modules, never a CDN. */
export function serveDocsPage(app: NestExpressApplication, production: boolean): void {
  const dist = swaggerUiDist();
  const files = new Set<string>(FILES);
  const maxAge = production ? '1d' : 0;
  app.use(DOCS_ASSETS, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path.slice(1);
    if (name === 'init.js') return void res.type('application/javascript').send(INIT_JS);
    if (!files.has(name)) return next();
    res.sendFile(join(dist, name), { maxAge }, (error) => error && next(error));
  });
  const express: { get(path: string, handler: (req: Request, res: Response) => void): void } = app
    .getHttpAdapter()
    .getInstance();
  express.get('/api/docs', (_req, res) => void res.type('html').send(PAGE));
}
