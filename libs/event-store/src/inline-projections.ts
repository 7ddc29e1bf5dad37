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
}

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
