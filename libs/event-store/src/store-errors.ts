import { DomainError, isConnectionError } from '@praxis/common';

/** The database could not be reached or went away: nothing was written; try again. */
export class StoreUnavailableError extends DomainError {
  constructor(cause: unknown) {
    super('STORE.UNAVAILABLE', 'The database is not reachable right now; nothing was saved. Try again shortly.', 'unavailable', {
      cause: cause instanceof Error ? cause.message : String(cause),
    });
    this.name = 'StoreUnavailableError';
  }
}

export { isConnectionError };

export function translateStoreError(error: unknown): unknown {
  return isConnectionError(error) ? new StoreUnavailableError(error) : error;
}
