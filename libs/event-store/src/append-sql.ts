import { randomUUID } from 'node:crypto';
import { EVENT_COLUMNS } from './rows';
import { ExpectedVersion, NewEvent } from './types';

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
  exact: 'c.v = $4',
} as const;

/** The same expectation, checked in Node against a version read. */
export function expectationHeld(expected: ExpectedVersion, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 0;
  if (expected === 'stream_exists') return actual > 0;
  return actual === expected;
}

/**
 * One statement checks the version and inserts every event: all or nothing, so
 * a crash can leave nothing partial. Two writers that read the same `v` race
 * on the unique (stream_id, stream_version): one wins, the other gets a conflict.
 * No separate streams table: the event rows are the only thing an append writes.
 * No rows back means the expectation did not hold.
 *
 * The events travel as ONE jsonb parameter (`$3`, an array of {i, t, s, d, m}),
 * so the text is the same for any batch size: 100 events as 500 bind parameters
 * in a VALUES list cost the server about twice as much to parse and plan as to
 * insert (measured: 7 ms against 3.7 ms per append of 100 with commits async).
 * `d` and `m` are taken out as jsonb, so data is stored exactly as before.
 */
const CURRENT = `WITH c AS (SELECT coalesce(max(stream_version), 0) AS v FROM events WHERE stream_id = $1)`;
const INSERT = `INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at)`;
const RETURNING = `RETURNING global_position::text AS position, stream_version::text AS version, transaction_id::text AS tx`;
const EVENTS = `jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(ev, ord)`;
const COLUMNS = `(e.ev->>'i')::uuid, e.ev->>'t', (e.ev->>'s')::int, e.ev->'d', e.ev->'m', $2`;

/** The append's text for an expectation; `null` is a new stream (versions 1..n, no look-up). */
export const appendSql = (expectation: string | null, also = '') =>
  expectation === null
    ? `${INSERT}
  SELECT $1, e.ord, ${COLUMNS} FROM ${EVENTS}${also ? ` WHERE ${also}` : ''} ORDER BY e.ord
  ${RETURNING}`
    : `${CURRENT}
  ${INSERT}
  SELECT $1, c.v + e.ord, ${COLUMNS} FROM c CROSS JOIN ${EVENTS}
   WHERE ${expectation}${also ? ` AND ${also}` : ''}
   ORDER BY e.ord
  ${RETURNING}`;

/** Another stream's version, as the append's statement checks it (`alsoExpect`), its parameters from `$n`. */
const alsoExpectSql = (n: number) =>
  `(SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $${n}) = $${n + 1}::int`;

/** The texts, built once. */
export const APPEND_SQL = {
  new_stream: appendSql(null),
  any: appendSql(EXPECT_SQL.any),
  stream_exists: appendSql(EXPECT_SQL.stream_exists),
  exact: appendSql(EXPECT_SQL.exact),
} as const;

/**
 * An append as one statement and its parameters: `$1` the stream, `$2` when, `$3` the batch
 * as jsonb (kept as text: what the events in hand are read from), `$4` an exact version.
 * Inline writes that ride along append their own parameters after these.
 */
export interface AppendStatement {
  sql: string;
  params: unknown[];
  batch: string;
}

export function appendStatement(
  streamId: string,
  expected: ExpectedVersion,
  events: NewEvent[],
  recordedAt: Date,
  alsoExpect?: { streamId: string; version: number },
): AppendStatement {
  const form = expected === 0 ? 'no_stream' : typeof expected === 'number' ? 'exact' : expected;
  const batch = JSON.stringify(
    events.map((e) => ({
      i: e.eventId ?? randomUUID(),
      t: e.type,
      s: e.schemaVersion ?? 1,
      d: e.data,
      m: e.metadata ?? {},
    })),
  );
  const params: unknown[] = [streamId, recordedAt, batch];
  if (form === 'exact') params.push(expected);
  const key = form === 'no_stream' ? 'new_stream' : form;
  if (!alsoExpect) return { sql: APPEND_SQL[key], params, batch };
  const also = alsoExpectSql(params.length + 1);
  params.push(alsoExpect.streamId, alsoExpect.version);
  return { sql: appendSql(key === 'new_stream' ? null : EXPECT_SQL[key], also), params, batch };
}

/** The append with inline writes riding in it as data-modifying CTEs; it still answers with the appended rows. */
export const withRiders = (appendSql: string, ctes: string[]): string =>
  `WITH appended AS (${appendSql}), ${ctes.join(', ')} SELECT position, version, tx FROM appended`;
