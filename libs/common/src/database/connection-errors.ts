const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * Driver messages (pg, TypeORM) that mean the connection, not the statement,
 * failed: plain words, no metacharacters, so joined as alternatives.
 */
const CONNECTION_MESSAGE = new RegExp(
  [
    'Connection terminated',
    'connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error',
    'not queryable',
    'Cannot use a pool after calling end',
    'Driver not Connected',
    'Connection is not established',
  ].join('|'),
  'i',
);

/** True for errors that mean "the connection failed", as opposed to "the statement was wrong". */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.driverError && e.driverError !== error) return isConnectionError(e.driverError);
  if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (CONNECTION_MESSAGE.test(message)) {
    return true;
  }
  // AggregateError (a host with several addresses) and wrapped causes.
  const errors = (e as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.some(isConnectionError)) return true;
  return e.cause !== undefined && e.cause !== error && isConnectionError(e.cause);
}
