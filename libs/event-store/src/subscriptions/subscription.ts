import { EntityManager } from 'typeorm';
import { CheckpointConflictError } from '../errors';
import { Checkpoint, RecordedEvent, checkpointOf } from '../types';

/**
 * What every reader of the log that keeps a read model shares — the store, the
 * ProjectionRunner and the ReadModelRebuilder: a projection's lock, its checkpoint,
 * its dead letters and the catch-up loop.
 */

type Db = Pick<EntityManager, 'query'>;

/** How soon to look again when committed events wait behind an older, still-open transaction. */
export const HELD_BACK_RETRY_MS = 25;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

// ---- the projection's lock -------------------------------------------------------------

/** The advisory lock key of a projection, as SQL over the parameter that holds its name. */
const projectionLockKey = (nameParam: string) => `hashtextextended('praxis.projection:' || ${nameParam}, 0)`;

/**
 * Takes the projection's transaction-scoped lock without waiting: the runner does for
 * every batch, so a second runner of the same projection (in any process) stays out.
 */
export async function tryLockProjection(tx: Db, name: string): Promise<boolean> {
  const [row]: { locked: boolean }[] = await tx.query(
    `SELECT pg_try_advisory_xact_lock(${projectionLockKey('$1')}) AS locked`,
    [name],
  );
  return row.locked;
}

/** Waits for the projection's lock, for the rest of the transaction: while it is held, no runner writes. */
export async function lockProjection(tx: Db, name: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${projectionLockKey('$1')})`, [name]);
}

// ---- its checkpoint --------------------------------------------------------------------

/** Makes the projection's checkpoint row (at the start of the log) if it has none; nothing deletes one. */
export async function ensureCheckpoint(db: Db, name: string): Promise<void> {
  await db.query(`INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
}

export async function readCheckpoint(db: Db, name: string): Promise<Checkpoint> {
  const [row]: { transaction_id: string; global_position: string }[] = await db.query(
    `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM projection_checkpoints WHERE name = $1`,
    [name],
  );
  return { transactionId: row.transaction_id, globalPosition: Number(row.global_position) };
}

/**
 * Moves the checkpoint to `to`, in the transaction that wrote what it covers. With `from`,
 * only from there (compare-and-set: a runner that lost its lock cannot double-apply) or
 * CheckpointConflictError; without, wherever it was — for a writer that holds the lock.
 */
export async function moveCheckpoint(tx: Db, name: string, to: Checkpoint, from?: Checkpoint): Promise<void> {
  if (!from) {
    await ensureCheckpoint(tx, name);
    await tx.query(
      `UPDATE projection_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now() WHERE name = $1`,
      [name, to.transactionId, to.globalPosition],
    );
    return;
  }
  const [row]: { moved: number }[] = await tx.query(
    `WITH moved AS (
       UPDATE projection_checkpoints SET transaction_id = $4::xid8, global_position = $5, updated_at = now()
        WHERE name = $1 AND transaction_id = $2::xid8 AND global_position = $3
       RETURNING 1)
     SELECT count(*)::int AS moved FROM moved`,
    [name, from.transactionId, from.globalPosition, to.transactionId, to.globalPosition],
  );
  if (row.moved !== 1) throw new CheckpointConflictError(name);
}

// ---- its dead letters ------------------------------------------------------------------

/** A projection's own failure (as opposed to the database's): counts towards parking. */
export class ProjectionHandlerError extends Error {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent | undefined,
    override readonly cause: unknown,
  ) {
    super(
      `projection "${projection}" failed${event ? ` on event ${event.globalPosition} (${event.type})` : ''}: ` +
        (cause instanceof Error ? cause.message : String(cause)),
    );
    this.name = 'ProjectionHandlerError';
  }
}

/** Parks an event the projection could not apply; the caller moves the checkpoint past it in the same transaction. */
export async function parkDeadLetter(
  tx: Db,
  name: string,
  event: RecordedEvent,
  error: ProjectionHandlerError,
  attempts: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO projection_dead_letters (projection, global_position, event_id, event_type, error, attempts)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (projection, event_id) DO NOTHING`,
    [
      name,
      event.globalPosition,
      event.eventId,
      event.type,
      String(error.cause instanceof Error ? error.cause.message : error.cause),
      attempts,
    ],
  );
}

/** After every event was applied again (a rebuild), what was parked is no longer missing. */
export async function clearDeadLetters(tx: Db, name: string): Promise<void> {
  await tx.query(`DELETE FROM projection_dead_letters WHERE projection = $1`, [name]);
}

// ---- the catch-up loop -----------------------------------------------------------------

/** What one step of reading the log found. */
export type BatchOutcome =
  { kind: 'busy' } | { kind: 'idle'; heldBack: boolean } | { kind: 'applied'; events: number; full: boolean };

/**
 * The catch-up loop of a reader with a checkpoint (the ProjectionRunner): repeats `step`
 * until it finds nothing left to read. readAll's horizon is cluster-wide:
 * an empty read may only mean that an older transaction, anywhere on the server, is still
 * open, so "idle" ends the loop only when nothing is held back; "busy" (another writer
 * holds the lock) waits `busyMs` and tries again.
 */
export async function untilCaughtUp(step: () => Promise<BatchOutcome>, busyMs: number): Promise<void> {
  for (;;) {
    const outcome = await step();
    if (outcome.kind === 'idle' && !outcome.heldBack) return;
    if (outcome.kind === 'idle') await sleep(HELD_BACK_RETRY_MS);
    if (outcome.kind === 'busy') await sleep(busyMs);
  }
}

/** The store's side of the loop (a structural type, so this module does not import the store). */
export interface LogReader {
  heldBack(after: Checkpoint): Promise<boolean>;
}

/**
 * Every event committed after `from`, page by page, for a reader without a checkpoint of
 * its own (a rebuild, the store's readAllCommitted): `read(after)` reads (and may apply)
 * the next page, in a transaction of its own if it likes; an empty page ends it only when
 * nothing is held back. Never from inside one transaction that has written: its own id
 * would hold the horizon back until it ends, and the loop would wait for ever.
 */
export async function* committedPages(
  log: LogReader,
  from: Checkpoint,
  read: (after: Checkpoint) => Promise<RecordedEvent[]>,
): AsyncGenerator<RecordedEvent[]> {
  let after = from;
  for (;;) {
    const page = await read(after);
    if (page.length === 0) {
      if (!(await log.heldBack(after))) return;
      await sleep(HELD_BACK_RETRY_MS);
      continue;
    }
    yield page;
    after = checkpointOf(page[page.length - 1]);
  }
}

/**
 * Pages after `from` until a read comes back empty, with no wait for what an older open
 * transaction holds back: only for a reader that needs no more — one that holds every writer
 * of its read model off (LOCK TABLE) and reads without the horizon, or one that hands what is
 * left to a runner by its checkpoint (a rebuild's async swap).
 */
export async function* pagesUntilEmpty(
  from: Checkpoint,
  read: (after: Checkpoint) => Promise<RecordedEvent[]>,
): AsyncGenerator<RecordedEvent[]> {
  for (let page = await read(from); page.length; page = await read(checkpointOf(page[page.length - 1]))) yield page;
}

/** Reads (and applies, in `read`) every committed event after `from`; returns where it got and how many it read. */
export async function catchUp(
  log: LogReader,
  from: Checkpoint,
  read: (after: Checkpoint) => Promise<RecordedEvent[]>,
): Promise<{ checkpoint: Checkpoint; events: number }> {
  let checkpoint = from;
  let events = 0;
  for await (const page of committedPages(log, from, read)) {
    checkpoint = checkpointOf(page[page.length - 1]);
    events += page.length;
  }
  return { checkpoint, events };
}
