import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { isConnectionError } from './database/connection-errors';
import { DomainError, ErrorKind } from './errors';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  precondition_required: HttpStatus.PRECONDITION_REQUIRED,
  gone: HttpStatus.GONE,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code?: string;
}

/** Seconds a client should wait before trying again after a 503 (the database is away, or the process is stopping). */
export const RETRY_AFTER_SECONDS = 5;

// Not "nothing was changed": a commit can succeed just as the connection drops. A retry with the same Idempotency-Key is safe.
export const DATABASE_UNAVAILABLE_MESSAGE = 'The service cannot reach its database right now. Try again in a moment.';

/** Turns any error into PRODUCT.md's `{ statusCode, error, message }`; never leaks internals. */
export function toErrorBody(exception: unknown): ErrorBody {
  // Wherever it surfaced (a guard reading a session, a query, the store), a lost database is a 503, never a 500.
  if (isConnectionError(exception)) {
    return {
      statusCode: 503,
      error: STATUS_CODES[503]!,
      message: DATABASE_UNAVAILABLE_MESSAGE,
      code: 'DATABASE.UNAVAILABLE',
    };
  }
  if (exception instanceof DomainError) {
    const statusCode = STATUS_BY_KIND[exception.kind];
    // A hidden route must read exactly like a missing one: the router's 404 has no code.
    if (exception.code === 'ROUTE.NOT_FOUND')
      return { statusCode, error: STATUS_CODES[statusCode]!, message: exception.message };
    return { statusCode, error: STATUS_CODES[statusCode]!, message: exception.message, code: exception.code };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : ((response as { message?: string | string[] }).message ?? exception.message);
    return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  }
  // body-parser errors (malformed JSON, too large) carry their own status.
  const status = (exception as { status?: unknown; type?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = (exception as { type?: string }).type;
    const message =
      type === 'entity.parse.failed'
        ? 'The request body is not valid JSON'
        : type === 'entity.too.large'
          ? 'The request body is too large'
          : (exception as Error).message;
    return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
  }
  return {
    statusCode: 500,
    error: STATUS_CODES[500]!,
    message: 'Something went wrong on our side; nothing was changed',
  };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse();
    const body = toErrorBody(exception);
    if (body.statusCode === 503) {
      this.logger.warn(`answered 503: ${exception instanceof Error ? exception.message : String(exception)}`);
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    } else if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    response.status(body.statusCode).json(body);
  }
}
