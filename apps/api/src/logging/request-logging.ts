import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { routeTemplate } from '../metrics/http-metrics.middleware';
import { requestContext } from '@praxis/common';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is kept when it looks like one (a proxy's or a client's); anything else is replaced. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * One access line per request: method, route template (never the raw URL, which can
 * hold tokens — /invitations/:token — or ids), status, duration and request id.
 * Headers and bodies are not logged. Mounted first, so refusals by the body parser
 * are logged and answered with the id too.
 *
 * Written by hand on the root logger rather than through pino-http: no child logger
 * per request (lines logged while serving carry the `reqId` from `requestContext`),
 * and nothing is built for a line whose level is off. On the hot route this was a
 * measured share of the api's CPU (README, benchmarks).
 */
export function requestLogging(root: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const reqId = requestIdOf(req, res);
    res.once('close', () => {
      const completed = res.writableFinished;
      const status = res.statusCode;
      const level = !completed || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!root.isLevelEnabled(level)) return;
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      root[level](
        { reqId, method: req.method, route: routeTemplate(req), status, durationMs },
        !completed ? 'request aborted' : status >= 500 ? 'request failed' : 'request completed',
      );
    });
    requestContext.run({ reqId }, next);
  };
}
