/** What an event carries beside its data: who, and in reply to what. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  /** The acting user's id, or 'system'. */
  actorId?: string;
  [key: string]: unknown;
}

/** An event as a caller hands it to `append`. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  metadata?: EventMetadata;
  /** Shape version of `data`; old shapes are upcast on read. Defaults to 1. */
  schemaVersion?: number;
  /** Supplied by the caller to make retries traceable; generated when absent. */
  eventId?: string;
}

/** An event as stored in the log. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  streamId: string;
  /** 1 for a stream's first event. */
  streamVersion: number;
  /** Unique and increasing in insertion order; readers order by (transactionId, globalPosition). */
  globalPosition: number;
  /** The writing transaction's id (xid8, as a decimal string). */
  transactionId: string;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  recordedAt: Date;
}

/**
 * What the writer believes the stream's version is: a number (0 = no stream),
 * 'no_stream', 'stream_exists', or 'any' (no check).
 */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

export interface AppendOptions {
  /** A retried append with the same key returns the first result and stores nothing. */
  idempotencyKey?: string;
  /**
   * What makes a retry "the same request" for the idempotency key; defaults to
   * a hash of the events' types and data. Callers whose events carry fresh
   * ciphertext or ids each time pass a hash of the request instead.
   */
  fingerprint?: string;
  /** When the events were recorded; the store's clock when absent. */
  recordedAt?: Date;
  /**
   * Another stream the decision was taken on, and the version it was read at:
   * the append holds only if that stream is still there, checked in the
   * append's own statement (a `StreamVersionConflictError` naming that stream
   * when it moved). A state kept between commands is safe to decide on with it.
   */
  alsoExpect?: { streamId: string; version: number };
  /**
   * Writes that must commit with the events or not at all, beside the log
   * (a credential, a one-time token, an outbox row): run after the inline
   * projections, in the append's transaction. Throwing undoes the append.
   */
  inTransaction?: (tx: TransactionQueryable) => Promise<void>;
}

/** The append's transaction, as `inTransaction` sees it. */
export interface TransactionQueryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append: pass it as the next expectedVersion. */
  nextExpectedVersion: number;
  firstPosition: number;
  lastPosition: number;
  /** True when an idempotency key matched an earlier append and nothing was written. */
  duplicate: boolean;
}

/** Where a reader of the whole log has got to. */
export interface Checkpoint {
  transactionId: string;
  globalPosition: number;
}

export const START: Checkpoint = Object.freeze({ transactionId: '0', globalPosition: 0 });

export const checkpointOf = (event: RecordedEvent): Checkpoint => ({
  transactionId: event.transactionId,
  globalPosition: event.globalPosition,
});
