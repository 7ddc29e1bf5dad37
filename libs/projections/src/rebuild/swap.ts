import { EntityManager } from 'typeorm';
import {
  Checkpoint,
  EventStore,
  Projection,
  RecordedEvent,
  TableResolver,
  checkpointOf,
  clearDeadLetters,
  lockProjection,
  moveCheckpoint,
  pagesUntilEmpty,
  project,
} from '@praxis/event-store';
import { swapShadows } from './shadow-tables';

const PAGE = 5000;

/**
 * Async: holding the runner's lock, apply what came since the shadow's catch-up, swap, and
 * move the checkpoint to where the shadow got — the runner goes on from there. No wait for
 * events an older open transaction holds back: the runner reads them after the checkpoint.
 */
export async function swapAsync(
  tx: EntityManager,
  store: EventStore,
  projection: Projection,
  shadows: TableResolver,
  from: Checkpoint,
): Promise<number> {
  // The runner takes this lock (without waiting) for every batch: while we hold it, it writes nothing.
  await lockProjection(tx, projection.name);
  const { checkpoint, events } = await applyUntilEmpty(
    (after) => store.readAll(after, PAGE, tx),
    projection,
    tx,
    shadows,
    from,
  );
  await swapShadows(tx, projection.tables!, shadows);
  await moveCheckpoint(tx, projection.name, checkpoint);
  // Every event was just applied again: what was parked is no longer missing.
  await clearDeadLetters(tx, projection.name);
  return events;
}

/**
 * Inline: appends keep writing the live tables meanwhile; LOCK them (readers still read),
 * apply every committed event since — without the commit-order horizon, because an append
 * that wrote the live tables has committed by then and one that has not will write the
 * swapped-in tables — and swap.
 */
export async function swapInline(
  tx: EntityManager,
  store: EventStore,
  projection: Projection,
  shadows: TableResolver,
  from: Checkpoint,
): Promise<number> {
  await tx.query(`LOCK TABLE ${projection.tables!.join(', ')} IN EXCLUSIVE MODE`);
  const { events } = await applyUntilEmpty(
    (after) => store.readAllUnbounded(after, PAGE, tx),
    projection,
    tx,
    shadows,
    from,
  );
  await swapShadows(tx, projection.tables!, shadows);
  return events;
}

/** Applies page after page to the shadow tables until a read comes back empty. */
async function applyUntilEmpty(
  read: (after: Checkpoint) => Promise<RecordedEvent[]>,
  projection: Projection,
  tx: EntityManager,
  shadows: TableResolver,
  from: Checkpoint,
): Promise<{ checkpoint: Checkpoint; events: number }> {
  let checkpoint = from;
  let events = 0;
  for await (const page of pagesUntilEmpty(from, read)) {
    await project(projection, page, tx, shadows);
    checkpoint = checkpointOf(page[page.length - 1]);
    events += page.length;
  }
  return { checkpoint, events };
}
