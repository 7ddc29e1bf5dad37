import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@praxis/common';
import { IdempotencyKeyReusedError, InvalidAppendError, StreamVersionConflictError } from './errors';
import { InlineProjectionRegistry } from './inline-projections';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './rows';
import { translateStoreError } from './store-errors';
import { AppendOptions, AppendResult, Checkpoint, ExpectedVersion, NewEvent, RecordedEvent, START } from './types';
import { UpcasterRegistry } from './upcasters';
import { assertValidAppend, assertValidExpectedVersion } from './validate';

/** Anything that can run a query: the DataSource or a transaction's EntityManager. */
export type Queryable = Pick<EntityManager, 'query'> | Pick<DataSource, 'query'>;

export const NOTIFY_CHANNEL = 'praxis_events';

/**
 * The stream's version check, by form of expected version. Each returns the
 * stream's new version, or no row when the expectation does not hold.
 */
const BUMP_SQL = {
  any: `INSERT INTO streams (stream_id, version) VALUES ($1, $2)
        ON CONFLICT (stream_id) DO UPDATE SET version = streams.version + EXCLUDED.version RETURNING version`,
  no_stream: `INSERT INTO streams (stream_id, version) VALUES ($1, $2) ON CONFLICT (stream_id) DO NOTHING RETURNING version`,
  stream_exists: `UPDATE streams SET version = version + $2 WHERE stream_id = $1 RETURNING version`,
  exact: `UPDATE streams SET version = version + $2 WHERE stream_id = $1 AND version = $9 RETURNING version`,
} as const;

/**
 * One statement appends all events: the version check, the rows and the
 * notification succeed or fail together, so a crash can leave nothing partial.
 */
const appendSql = (bump: string) => `
  WITH bumped AS (${bump}),
  inserted AS (
    INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at)
    SELECT $1, b.version - $2 + e.ord, e.event_id, e.type, e.schema_version, e.data, e.metadata, $8
      FROM bumped b
     CROSS JOIN unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])
           WITH ORDINALITY AS e(event_id, type, schema_version, data, metadata, ord)
     ORDER BY e.ord
    RETURNING global_position
  ),
  notified AS (SELECT pg_notify('${NOTIFY_CHANNEL}', '') FROM bumped)
  SELECT (SELECT version FROM bumped)::text AS version,
         (SELECT min(global_position) FROM inserted)::text AS first_position,
         (SELECT max(global_position) FROM inserted)::text AS last_position,
         (SELECT count(*) FROM notified)::int AS notified`;

@Injectable()
export class EventStore {
  /** Emits after every committed append in this process: wakes local subscribers at once. */
  readonly appended$ = new Subject<AppendResult>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly upcasters: UpcasterRegistry,
    private readonly inline: InlineProjectionRegistry,
  ) {}

  async append(streamId: string, expectedVersion: ExpectedVersion, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    assertValidExpectedVersion(expectedVersion);
    assertValidAppend(streamId, events);
    const recordedAt = options.recordedAt ?? this.clock.now();
    const projections = this.inline.interestedIn(events.map((e) => e.type));
    let result: AppendResult;
    try {
      if (!options.idempotencyKey && projections.length === 0) {
        result = await this.insert(this.dataSource, streamId, expectedVersion, events, recordedAt);
      } else {
        result = await this.dataSource.transaction(async (tx) => {
          if (options.idempotencyKey) {
            const earlier = await this.claimKey(tx, options.idempotencyKey, fingerprint(events));
            if (earlier) return earlier;
          }
          const appended = await this.insert(tx, streamId, expectedVersion, events, recordedAt);
          if (options.idempotencyKey) {
            await tx.query(`UPDATE idempotency_keys SET result = $2 WHERE key = $1`, [options.idempotencyKey, appended]);
          }
          if (projections.length) {
            const recorded = await this.readRange(tx, appended.firstPosition, appended.lastPosition);
            for (const projection of projections) {
              await projection.apply(recorded.filter((e) => projection.eventTypes.includes(e.type)), tx);
            }
          }
          return appended;
        });
      }
    } catch (error) {
      throw translateStoreError(error);
    }
    if (!result.duplicate) this.appended$.next(result);
    return result;
  }

  /** A stream's events in version order, from `fromVersion` (1 = the start). */
  async readStream(streamId: string, fromVersion = 1, db: Queryable = this.dataSource): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await db.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`,
      [streamId, fromVersion],
    );
    return rows.map((row) => toRecordedEvent(row, this.upcasters));
  }

  /** The stream's current version; 0 when it does not exist. */
  async streamVersion(streamId: string, db: Queryable = this.dataSource): Promise<number> {
    const rows: { version: string }[] = await db.query(`SELECT version::text FROM streams WHERE stream_id = $1`, [streamId]);
    return rows.length ? Number(rows[0].version) : 0;
  }

  /**
   * Events after `after`, in commit-safe order: only transactions older than
   * every transaction still running are visible, so one that took a lower
   * position but commits later is read before anything after it — never skipped.
   */
  async readAll(after: Checkpoint = START, limit = 1000, db: Queryable = this.dataSource): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await db.query(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, global_position
        LIMIT $3`,
      [after.transactionId, after.globalPosition, limit],
    );
    return rows.map((row) => toRecordedEvent(row, this.upcasters));
  }

  /** The last event's position in the log (0 when empty). */
  async headPosition(db: Queryable = this.dataSource): Promise<number> {
    const rows: { head: string | null }[] = await db.query(`SELECT max(global_position)::text AS head FROM events`);
    return Number(rows[0].head ?? 0);
  }

  private async insert(db: Queryable, streamId: string, expected: ExpectedVersion, events: NewEvent[], recordedAt: Date): Promise<AppendResult> {
    const form = expected === 0 ? 'no_stream' : typeof expected === 'number' ? 'exact' : expected;
    const params: unknown[] = [
      streamId,
      events.length,
      events.map((e) => e.eventId ?? randomUUID()),
      events.map((e) => e.type),
      events.map((e) => e.schemaVersion ?? 1),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata ?? {})),
      recordedAt,
    ];
    if (form === 'exact') params.push(expected);
    let rows: { version: string | null; first_position: string; last_position: string }[];
    try {
      rows = await db.query(appendSql(BUMP_SQL[form]), params);
    } catch (error) {
      const e = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
      const constraint = e.constraint ?? e.driverError?.constraint;
      if (e.code === '23505' && constraint === 'events_event_id_key') {
        throw new InvalidAppendError('an event with one of these eventIds is already stored; event ids must be unique');
      }
      throw error;
    }
    const row = rows[0];
    if (row.version === null) {
      throw new StreamVersionConflictError(streamId, expected, await this.streamVersion(streamId, db));
    }
    return {
      streamId,
      nextExpectedVersion: Number(row.version),
      firstPosition: Number(row.first_position),
      lastPosition: Number(row.last_position),
      duplicate: false,
    };
  }

  /** Claims an idempotency key; returns the earlier result when it was claimed before. */
  private async claimKey(tx: EntityManager, key: string, hash: string): Promise<AppendResult | undefined> {
    if (key.length === 0 || key.length > 200) throw new InvalidAppendError('an idempotency key must be 1 to 200 characters');
    const claimed: unknown[] = await tx.query(
      `INSERT INTO idempotency_keys (key, request_hash) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, hash],
    );
    if (claimed.length) return undefined;
    // The first claimant has committed by now: ON CONFLICT waited for it.
    const [earlier]: { request_hash: string; result: AppendResult }[] = await tx.query(
      `SELECT request_hash, result FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    if (earlier.request_hash !== hash) throw new IdempotencyKeyReusedError(key);
    return { ...earlier.result, duplicate: true };
  }

  private async readRange(db: Queryable, first: number, last: number): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await db.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position BETWEEN $1 AND $2 AND transaction_id = pg_current_xact_id()
        ORDER BY global_position`,
      [first, last],
    );
    return rows.map((row) => toRecordedEvent(row, this.upcasters));
  }
}

/** What makes two appends "the same request": their types and data (not ids, not metadata). */
function fingerprint(events: NewEvent[]): string {
  return createHash('sha256')
    .update(JSON.stringify(events.map((e) => [e.type, e.schemaVersion ?? 1, e.data])))
    .digest('hex');
}
