import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEvent, PendingEvent, Projection, pendingFor, project } from './projection';
import { RecordedEvent } from './types';

/**
 * The projections run inline: in the append's own transaction, so when `append` returns the
 * model already shows the events, and a failure there undoes the append.
 */
@Injectable()
export class InlineProjectionRegistry {
  private readonly projections: Projection[] = [];

  register<E extends DomainEvent>(projection: Projection<E>): void {
    if (this.projections.some((p) => p.name === projection.name)) {
      throw new Error(`inline projection "${projection.name}" is registered twice`);
    }
    this.projections.push(projection);
  }

  /** The projections that care about any of these event types. */
  interestedIn(types: readonly string[]): Projection[] {
    return this.projections.filter((p) => types.some((t) => p.eventTypes.includes(t)));
  }

  all(): readonly Projection[] {
    return this.projections;
  }
}

/**
 * Feeds the appended events to the inline projections, each only the types it declared,
 * from the events in hand (as a reader of the log would see them: upcast, with positions
 * and transaction from RETURNING) — no round trip to read back what was just written.
 */
export async function applyInline(
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
  tx: EntityManager,
): Promise<void> {
  for (const projection of projections) await project(projection, events, tx);
}

/**
 * The projections' riding statements as CTEs (`inline_<k> AS (...)`), their parameters
 * appended to `params`; undefined when one of them cannot ride these events.
 */
export function ridingStatements(
  riders: readonly Projection[],
  pending: readonly PendingEvent[],
  params: unknown[],
): string[] | undefined {
  const ctes: string[] = [];
  for (const [k, rider] of riders.entries()) {
    const statement = rider.statement?.(pendingFor(rider, pending), params.length + 1);
    if (!statement) return undefined;
    ctes.push(`inline_${k} AS (${statement.sql})`);
    params.push(...statement.params);
  }
  return ctes;
}
