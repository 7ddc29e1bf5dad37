import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
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
 */
export function requestLogging(root: Logger): RequestHandler {
  const access = (req: Request, res: Response, responseTime: number) => ({
    method: req.method,
    route: routeTemplate(req),
    status: res.statusCode,
    durationMs: Math.round(responseTime * 10) / 10,
  });
  const http = pinoHttp<Request, Response>({
    logger: root,
    genReqId: requestIdOf,
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, value: { responseTime: number }) => access(req, res, value.responseTime),
    customErrorObject: (req, res, error, value: { responseTime: number }) => ({
      ...access(req, res, value.responseTime),
      err: error,
    }),
  });
  return (req: Request, res: Response, next: NextFunction) => {
    http(req, res);
    requestContext.run(req.log, next);
  };
}
