import { EntityManager } from 'typeorm';
import { TableResolver } from '../projection-tables';
import { RecordedEvent } from '../types';

/**
 * A read model fed from the log by the subscription runtime. `apply` gets the
 * relevant events of one batch and writes in the same transaction that moves
 * the projection's checkpoint, so a crash anywhere leaves model and checkpoint
 * in step. It must be deterministic: the same events give the same rows.
 */
export interface AsyncProjection {
  readonly name: string;
  /** Event types the projection reads; the others only move its checkpoint. */
  readonly eventTypes: readonly string[];
  /** The read model's tables, for rebuilds (see RebuildableProjection). */
  readonly tables?: readonly string[];
  apply(events: RecordedEvent[], tx: EntityManager, tables?: TableResolver): Promise<void>;
}

/** A projection's own failure (as opposed to the database's): counts towards parking. */
export class ProjectionHandlerError extends Error {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent | undefined,
    override readonly cause: unknown,
  ) {
    super(
      `projection "${projection}" failed${event ? ` on event ${event.globalPosition} (${event.type})` : ''}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'ProjectionHandlerError';
  }
}
