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

type Carried = Pick<RecordedEvent, 'eventId' | 'type' | 'schemaVersion' | 'data' | 'metadata'>;

/** The batch's events as JSON carried them (what jsonb holds: the store wrote this JSON itself, append-sql.ts), upcast. */
function carried(batchJson: string, upcasters: UpcasterRegistry): Carried[] {
  const batch: BatchEvent[] = JSON.parse(batchJson);
  return batch.map((e) => {
    const upcast = upcasters.upcast(e.t, e.s, e.d, e.m);
    return { eventId: e.i, type: e.t, schemaVersion: upcast.schemaVersion, data: upcast.data, metadata: e.m };
  });
}

/**
 * The events of an append as a reader of the log gets them, without reading them back:
 * positions, versions and transaction from the insert's RETURNING rows (sorted by
 * version: the batch's order).
 */
export function inHand(
  rows: { position: string; version: string; tx: string }[],
  batchJson: string,
  streamId: string,
  recordedAt: Date,
  upcasters: UpcasterRegistry,
): RecordedEvent[] {
  return carried(batchJson, upcasters).map((e, i) => ({
    ...e,
    streamId,
    streamVersion: Number(rows[i].version),
    globalPosition: Number(rows[i].position),
    transactionId: rows[i].tx,
    recordedAt,
  }));
}

/** The same events before the insert, for writes that ride in its statement: versions are base + ordinal. */
export function pendingEvents(
  batchJson: string,
  streamId: string,
  base: number,
  recordedAt: Date,
  upcasters: UpcasterRegistry,
): PendingEvent[] {
  return carried(batchJson, upcasters).map((e, i) => ({ ...e, streamId, streamVersion: base + i + 1, recordedAt }));
}
