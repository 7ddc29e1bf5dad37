import { EntityManager } from 'typeorm';
import { TableResolver } from './projection-tables';
import { RecordedEvent } from './types';

/** What every domain's events share: a stable type name and plain data (one union per stream kind). */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/**
 * A domain event as the log gives it back: its type and data, with where and when it was
 * recorded. Distributes over a union, so `switch (event.type)` narrows `event.data`.
 */
export type Recorded<E extends DomainEvent> = E extends DomainEvent ? RecordedEvent<E['type'], E['data']> : never;

/** An event as it will be recorded, before the database gives it a position and a transaction. */
export type PendingEvent<Type extends string = string, Data = unknown> = Omit<
  RecordedEvent<Type, Data>,
  'globalPosition' | 'transactionId'
>;

export type Pending<E extends DomainEvent> = E extends DomainEvent ? PendingEvent<E['type'], E['data']> : never;

/**
 * A read model fed from the log: the one contract, whether it runs inline (registered with
 * the InlineProjectionRegistry: in the append's own transaction, so a failure undoes the
 * append) or async (registered with the ProjectionHost: a runner applies batches in the
 * transaction that moves its checkpoint). `apply` gets only the events of the types it
 * declares, already narrowed, and must be deterministic: the same events give the same rows.
 */
export interface Projection<E extends DomainEvent = DomainEvent> {
  readonly name: string;
  readonly eventTypes: readonly E['type'][];
  /**
   * The tables the read model owns, when it can be rebuilt beside them and swapped in
   * (created by migrations, each copyable `LIKE ... INCLUDING ALL`). `apply` then writes
   * every table name through the TableResolver it is given.
   */
  readonly tables?: readonly string[];
  apply(events: Recorded<E>[], tx: EntityManager, tables?: TableResolver): Promise<void>;
  /** A read model without `tables` rebuilds itself in place; returns the events it applied. */
  rebuild?(): Promise<number>;
  /**
   * Inline only, for the hot path: the projection's writes for events about to be appended, as
   * ONE statement that rides in the append's own statement as a data-modifying CTE — one
   * round trip instead of four (`START`, the append, this write, `COMMIT`), all or nothing
   * all the same. Placeholders are numbered from `firstParam`. The statement may read
   * `appended` (the events' new rows: `position`, `version`, `tx`) and must write nothing when
   * it is empty (the expected version did not hold). `undefined`: these events need `apply`.
   */
  statement?(events: Pending<E>[], firstParam: number): { sql: string; params: unknown[] } | undefined;
}

const handles = (declared: readonly string[], type: string): boolean => declared.includes(type);

/**
 * The events a projection declared, as its own types (Emmett's `canHandle`): the one place a
 * stored event becomes a domain event. The log is trusted to hold, under each type name, the
 * data of that type (upcast on read), so filtering by name is the narrowing.
 */
export function eventsFor<E extends DomainEvent>(
  projection: Projection<E>,
  events: readonly RecordedEvent[],
): Recorded<E>[] {
  return events.filter((event): event is Recorded<E> => handles(projection.eventTypes, event.type));
}

/** The same for events about to be appended (an inline projection's riding statement). */
export function pendingFor<E extends DomainEvent>(
  projection: Projection<E>,
  events: readonly PendingEvent[],
): Pending<E>[] {
  return events.filter((event): event is Pending<E> => handles(projection.eventTypes, event.type));
}

/** Hands a projection what it declared, if anything; returns how many events that was. */
export async function project<E extends DomainEvent>(
  projection: Projection<E>,
  events: readonly RecordedEvent[],
  tx: EntityManager,
  tables?: TableResolver,
): Promise<number> {
  const relevant = eventsFor(projection, events);
  if (relevant.length) await projection.apply(relevant, tx, tables);
  return relevant.length;
}
