import { DomainError, isConnectionError } from '@praxis/common';

/**
 * The database could not be reached or went away. Usually nothing was written,
 * but a commit can land just as the connection drops: retry with the same
 * Idempotency-Key, which never records twice.
 */
export class StoreUnavailableError extends DomainError {
  constructor(cause: unknown) {
    super(
      'STORE.UNAVAILABLE',
      'The database is not reachable right now. Try again shortly; with the same Idempotency-Key a retry never records twice.',
      'unavailable',
      {
        cause: cause instanceof Error ? cause.message : String(cause),
      },
    );
    this.name = 'StoreUnavailableError';
  }
}

export { isConnectionError };

export function translateStoreError(error: unknown): unknown {
  return isConnectionError(error) ? new StoreUnavailableError(error) : error;
}
