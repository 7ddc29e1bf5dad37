import { DomainError } from '@praxis/common';

/** The database could not be reached or went away: nothing was written; try again. */
export class StoreUnavailableError extends DomainError {
  constructor(cause: unknown) {
    super('STORE.UNAVAILABLE', 'The database is not reachable right now; nothing was saved. Try again shortly.', 'unavailable', {
      cause: cause instanceof Error ? cause.message : String(cause),
    });
    this.name = 'StoreUnavailableError';
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P02', '57P03']);

/** True for errors that mean "the connection failed", as opposed to "the statement was wrong". */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string; driverError?: unknown } | undefined;
  if (!e) return false;
  if (e.driverError && e.driverError !== error) return isConnectionError(e.driverError);
  if (e.code && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|Cannot use a pool after calling end/i.test(
    e.message ?? '',
  );
}

export function translateStoreError(error: unknown): unknown {
  return isConnectionError(error) ? new StoreUnavailableError(error) : error;
}
