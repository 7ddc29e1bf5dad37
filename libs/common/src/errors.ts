/**
 * Domain errors carry a stable code; one exception filter maps codes to HTTP.
 * Handlers and libraries throw these, never HttpException.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_required'
  /** A link or token that once worked and no longer does (used, expired, replaced). */
  | 'gone'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: ErrorKind,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 'invalid', details);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 'not_found');
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 'conflict', details);
    this.name = 'ConflictError';
  }
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export class GoneError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 'gone');
    this.name = 'GoneError';
  }
}
