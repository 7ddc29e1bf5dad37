import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TableResolver } from './projection-tables';
import { RecordedEvent } from './types';

/**
 * A read model kept in the append's own transaction: when `append` returns,
 * the model already shows the events, and a failure here undoes the append.
 */
export interface InlineProjection {
  readonly name: string;
  readonly eventTypes: readonly string[];
  /** The read model's tables, for rebuilds (see RebuildableProjection). */
  readonly tables?: readonly string[];
  apply(events: RecordedEvent[], tx: EntityManager, tables?: TableResolver): Promise<void>;
  /**
   * Optional, for the hot path: the projection's writes for events about to be appended, as
   * ONE statement that rides in the append's own statement as a data-modifying CTE — one
   * round trip instead of four (`START`, the append, this write, `COMMIT`), all or nothing
   * all the same. Placeholders are numbered from `firstParam`. The statement may read
   * `appended` (the events' new rows: `position`, `version`, `tx`) and must write nothing when
   * it is empty (the expected version did not hold). `undefined`: these events need `apply`.
   */
  statement?(events: PendingEvent[], firstParam: number): { sql: string; params: unknown[] } | undefined;
}

/** An event as it will be recorded, before the database gives it a position and a transaction. */
export type PendingEvent = Omit<RecordedEvent, 'globalPosition' | 'transactionId'>;

@Injectable()
export class InlineProjectionRegistry {
  private readonly projections: InlineProjection[] = [];

  register(projection: InlineProjection): void {
    if (this.projections.some((p) => p.name === projection.name)) {
      throw new Error(`inline projection "${projection.name}" is registered twice`);
    }
    this.projections.push(projection);
  }

  /** The projections that care about any of these event types. */
  interestedIn(types: readonly string[]): InlineProjection[] {
    return this.projections.filter((p) => types.some((t) => p.eventTypes.includes(t)));
  }

  all(): readonly InlineProjection[] {
    return this.projections;
  }
}
