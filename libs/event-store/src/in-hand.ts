import { PendingEvent } from './projection';
import { RecordedEvent } from './types';
import { UpcasterRegistry } from './upcasters';

/** One event of an append's batch as it travels to the database (the `$3` jsonb array). */
interface BatchEvent {
  i: string;
  t: string;
  s: number;
  d: unknown;
  m: Record<string, unknown>;
}

/**
 * The events of an append as a reader of the log gets them, without reading them back:
 * data as JSON carried it (what jsonb holds), upcast, positions, versions and transaction
 * from the insert's RETURNING rows (sorted by version: the batch's order).
 */
export function inHand(
  rows: { position: string; version: string; tx: string }[],
  batchJson: string,
  streamId: string,
  recordedAt: Date,
  upcasters: UpcasterRegistry,
): RecordedEvent[] {
  const stored = JSON.parse(batchJson) as BatchEvent[];
  return rows.map((row, i) => {
    const upcast = upcasters.upcast(stored[i].t, stored[i].s, stored[i].d, stored[i].m);
    return {
      eventId: stored[i].i,
      streamId,
      streamVersion: Number(row.version),
      globalPosition: Number(row.position),
      transactionId: row.tx,
      type: stored[i].t,
      schemaVersion: upcast.schemaVersion,
      data: upcast.data,
      metadata: stored[i].m,
      recordedAt,
    };
  });
}

/** The same events before the insert, for writes that ride in its statement: versions are base + ordinal. */
export function pendingEvents(
  batchJson: string,
  streamId: string,
  base: number,
  recordedAt: Date,
  upcasters: UpcasterRegistry,
): PendingEvent[] {
  const stored = JSON.parse(batchJson) as BatchEvent[];
  return stored.map((e, i) => {
    const upcast = upcasters.upcast(e.t, e.s, e.d, e.m);
    return {
      eventId: e.i,
      streamId,
      streamVersion: base + i + 1,
      type: e.t,
      schemaVersion: upcast.schemaVersion,
      data: upcast.data,
      metadata: e.m,
      recordedAt,
    };
  });
}
