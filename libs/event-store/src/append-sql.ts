import { EVENT_COLUMNS } from './rows';

/** Reads after a checkpoint in commit order; must stay an index range scan with no sort. */
export const READ_ALL_SQL = `
  SELECT ${EVENT_COLUMNS} FROM events
   WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
     AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
   ORDER BY events.transaction_id, events.global_position
   LIMIT $3`;

/** The same order without the horizon: only for a reader that holds every writer off (a rebuild's swap). */
export const READ_ALL_UNBOUNDED_SQL = `
  SELECT ${EVENT_COLUMNS} FROM events
   WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
   ORDER BY events.transaction_id, events.global_position
   LIMIT $3`;

/**
 * The expectation about the stream's current version `c.v` (its highest
 * stream_version, 0 when it has no events), by form of expected version.
 */
export const EXPECT_SQL = {
  any: 'true',
  no_stream: 'c.v = 0',
  stream_exists: 'c.v > 0',
  exact: 'c.v = $3',
} as const;

/**
 * One statement checks the version and inserts every event: all or nothing, so
 * a crash can leave nothing partial. Two writers that read the same `v` race
 * on the unique (stream_id, stream_version): one wins, the other gets a conflict.
 * No separate streams table: the event rows are the only thing an append writes.
 * No rows back means the expectation did not hold.
 */
const CURRENT = `WITH c AS (SELECT coalesce(max(stream_version), 0) AS v FROM events WHERE stream_id = $1)`;
const INSERT = `INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at)`;
const RETURNING = `RETURNING global_position::text AS position, stream_version::text AS version`;

/** The events travel as a VALUES list of plain parameters (faster than arrays to unnest). */
export const appendSql = (expectation: string | null, count: number, firstParam: number) => {
  const rows = Array.from({ length: count }, (_, i) => {
    const p = firstParam + i * 5;
    return `(${i + 1}, $${p}::uuid, $${p + 1}::text, $${p + 2}::int, $${p + 3}::jsonb, $${p + 4}::jsonb)`;
  });
  // A new stream needs no look-up: its events are versions 1..n, and an existing
  // stream makes the unique (stream_id, stream_version) refuse them.
  if (expectation === null) {
    return `${INSERT}
  SELECT $1, e.ord, e.event_id, e.type, e.schema_version, e.data, e.metadata, $2
    FROM (VALUES ${rows.join(', ')}) AS e(ord, event_id, type, schema_version, data, metadata)
   ORDER BY e.ord
  ${RETURNING}`;
  }
  return `${CURRENT}
  ${INSERT}
  SELECT $1, c.v + e.ord, e.event_id, e.type, e.schema_version, e.data, e.metadata, $2
    FROM c CROSS JOIN (VALUES ${rows.join(', ')}) AS e(ord, event_id, type, schema_version, data, metadata)
   WHERE ${expectation}
   ORDER BY e.ord
  ${RETURNING}`;
};
