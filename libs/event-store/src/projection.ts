import { EntityManager } from 'typeorm';
import { TableResolver } from './projection-tables';
import { RecordedEvent } from './types';

/** What every domain's events share: a stable type name and plain data (one union per stream kind). */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  /** Shape version of `data`, when a decider writes other than 1; passed on to the append. */
  schemaVersion?: number;
}

/**
 * A domain event as the log gives it back: its type and data, with where and when it was
 * recorded. Distributes over a union, so `switch (event.type)` narrows `event.data`; and is
 * still the domain event, so a decider's `evolve` takes it as it is.
 */
export type Recorded<E extends DomainEvent> = E & Omit<RecordedEvent, 'type' | 'data'>;

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
export interface Projection<E extends DomainEvent = DomainEvent> extends DeclaresEvents<E> {
  readonly name: string;
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

/** What names the event types it takes: a projection, or a decider folding its stream. */
export interface DeclaresEvents<E extends DomainEvent> {
  readonly eventTypes: readonly E['type'][];
}

const handles = (declared: readonly string[], type: string): boolean => declared.includes(type);

/**
 * Whether a stored event is one of the types declared (Emmett's `canHandle`): the one place a
 * stored event becomes a domain event. The log is trusted to hold, under each type name, the
 * data of that type (upcast on read), so checking the name is the narrowing.
 */
export function isDeclared<E extends DomainEvent>(
  declarer: DeclaresEvents<E>,
  event: RecordedEvent,
): event is Recorded<E> {
  return handles(declarer.eventTypes, event.type);
}

/** The events a projection declared, as its own types. */
export function eventsFor<E extends DomainEvent>(
  projection: Projection<E>,
  events: readonly RecordedEvent[],
): Recorded<E>[] {
  return events.filter((event) => isDeclared<E>(projection, event));
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
