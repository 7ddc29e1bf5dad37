import { ConflictError, DomainError, ValidationError } from '@praxis/common';
import { ExpectedVersion } from './types';

export class StreamVersionConflictError extends ConflictError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(
      'STREAM.VERSION_CONFLICT',
      `Stream "${streamId}" is at version ${actual}, not ${expected === 'no_stream' ? 'new' : expected}: ` +
        'someone changed it first; reload and try again',
      { streamId, expected, actual },
    );
    this.name = 'StreamVersionConflictError';
  }
}

export class InvalidAppendError extends ValidationError {
  constructor(message: string) {
    super('STREAM.INVALID_APPEND', message);
    this.name = 'InvalidAppendError';
  }
}

export class IdempotencyKeyReusedError extends ConflictError {
  constructor(key: string) {
    super('STREAM.IDEMPOTENCY_KEY_REUSED', `Idempotency key "${key}" was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class CheckpointConflictError extends DomainError {
  constructor(projection: string) {
    super('PROJECTION.CHECKPOINT_CONFLICT', `Another runner advanced projection "${projection}" first`, 'conflict');
    this.name = 'CheckpointConflictError';
  }
}
