import { UpcasterRegistry } from './upcasters';
import { RecordedEvent } from './types';

// The xid8 comes back as text under another name: aliasing it `transaction_id`
// would make ORDER BY transaction_id sort by the text, not walk the index.
export const EVENT_COLUMNS = `global_position, transaction_id::text AS tx_id, stream_id, stream_version,
  event_id, type, schema_version, data, metadata, recorded_at`;

export interface EventRow {
  global_position: string;
  tx_id: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

export function toRecordedEvent(row: EventRow, upcasters: UpcasterRegistry): RecordedEvent {
  const upcast = upcasters.upcast(row.type, row.schema_version, row.data, row.metadata);
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    globalPosition: Number(row.global_position),
    transactionId: row.tx_id,
    type: row.type,
    schemaVersion: upcast.schemaVersion,
    data: upcast.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}
