import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { PraxisMetrics } from './praxis-metrics';

/** The label for requests no route matched (unknown paths, static files): raw URLs would give unbounded label values. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts and times every request by its route template (`/api/reflections/:id`),
 * never the raw URL: ids in labels would leak them and explode the series.
 * Mounted first, so the time includes every other middleware and guard.
 */
export function httpMetricsMiddleware(metrics: PraxisMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(req.method, routeTemplate(req), res.statusCode, seconds);
    });
    next();
  };
}

/** Express leaves the matched route on the request; its path is the template the controller declared. */
export function routeTemplate(req: Pick<Request, 'route' | 'baseUrl'>): string {
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : UNMATCHED_ROUTE;
}
