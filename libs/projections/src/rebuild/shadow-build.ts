import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Checkpoint, EventStore, Projection, START, TableResolver, catchUp, project } from '@praxis/event-store';
import { createShadows, dropLeftoverShadows, shadowsFor } from './shadow-tables';

const PAGE = 5000;

/**
 * Fresh, empty shadow tables named for a new run. Only one rebuild runs at a time (the
 * lock, or the embedded database's one process): any other shadow was left by one that
 * did not finish.
 */
export async function newShadows(dataSource: DataSource, tables: readonly string[]): Promise<TableResolver> {
  const shadows = shadowsFor(randomBytes(4).toString('hex'));
  await dataSource.transaction(async (tx) => {
    await dropLeftoverShadows(tx, tables);
    await createShadows(tx, tables, shadows);
  });
  return shadows;
}

/** Replays every committed event into the shadow tables, a page per transaction; returns how far it got. */
export async function fillShadows(
  dataSource: DataSource,
  store: EventStore,
  projection: Projection,
  shadows: TableResolver,
): Promise<{ checkpoint: Checkpoint; events: number }> {
  const pass = (from: Checkpoint) =>
    catchUp(store, from, (after) =>
      dataSource.transaction(async (tx) => {
        const page = await store.readAll(after, PAGE, tx);
        await project(projection, page, tx, shadows);
        return page;
      }),
    );
  const first = await pass(START);
  // A second pass over what arrived during the first keeps the swap short.
  const second = await pass(first.checkpoint);
  return { checkpoint: second.checkpoint, events: first.events + second.events };
}
