import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@praxis/common';
import { NamedStatements } from './named-statements';
import { InvalidAppendError, StreamVersionConflictError } from './errors';
import { claimKey, fingerprint, settleKey } from './idempotency';
import { inHand, pendingEvents } from './in-hand';
import { InlineProjectionRegistry, applyInline, ridingStatements } from './inline-projections';
import {
  AppendStatement,
  READ_ALL_SQL,
  READ_ALL_UNBOUNDED_SQL,
  appendStatement,
  expectationHeld,
  withRiders,
} from './append-sql';
import { Projection } from './projection';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './rows';
import { translateStoreError } from './store-errors';
import { committedPages } from './subscriptions/subscription';
import { AppendOptions, AppendResult, Checkpoint, ExpectedVersion, NewEvent, RecordedEvent, START } from './types';
import { UpcasterRegistry } from './upcasters';
import { assertValidAppend, assertValidExpectedVersion } from './validate';

/** Anything that can run a query: the DataSource or a transaction's EntityManager. */
export type Queryable = Pick<EntityManager, 'query'> | Pick<DataSource, 'query'>;

export const NOTIFY_CHANNEL = 'praxis_events';

/** Coalesces cross-process wake-ups: at most one NOTIFY per window per process. */
const NOTIFY_WINDOW_MS = 100;
/** 'any' and 'stream_exists' appends that lose a race simply go again. */
const MAX_RACE_RETRIES = 5;

@Injectable()
export class EventStore {
  /** Emits after every committed append in this process: wakes local subscribers at once. */
  readonly appended$ = new Subject<AppendResult>();
  private notifyPending = false;
  /** Appends that are one statement, as named statements (see NamedStatements). */
  private readonly named: Queryable;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly upcasters: UpcasterRegistry,
    private readonly inline: InlineProjectionRegistry,
  ) {
    this.named = new NamedStatements(dataSource);
  }

  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    assertValidExpectedVersion(expectedVersion);
    assertValidAppend(streamId, events);
    const recordedAt = options.recordedAt ?? this.clock.now();
    const projections = this.inline.interestedIn(events.map((e) => e.type));
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.appendOnce(streamId, expectedVersion, events, options, recordedAt, projections);
        if (!result.duplicate) {
          this.appended$.next(result);
          this.scheduleNotify();
        }
        return result;
      } catch (caught) {
        const error =
          caught instanceof StreamVersionConflictError && Number.isNaN(caught.actual)
            ? new StreamVersionConflictError(
                streamId,
                expectedVersion,
                await this.streamVersion(streamId).catch(() => -1),
              )
            : caught;
        const racing =
          error instanceof StreamVersionConflictError &&
          error.streamId === streamId &&
          (expectedVersion === 'any' || expectedVersion === 'stream_exists');
        if (racing && error.actual > 0 && attempt < MAX_RACE_RETRIES) continue;
        throw translateStoreError(error);
      }
    }
  }

  private async appendOnce(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: NewEvent[],
    options: AppendOptions,
    recordedAt: Date,
    projections: Projection[],
  ): Promise<AppendResult> {
    if (!options.idempotencyKey && !options.inTransaction) {
      // No transaction of our own when the append and every inline write are one statement.
      const statement =
        projections.length === 0
          ? appendStatement(streamId, expectedVersion, events, recordedAt, options.alsoExpect)
          : this.riding(streamId, expectedVersion, events, recordedAt, projections, options.alsoExpect);
      if (statement)
        return (await this.insert(this.named, streamId, expectedVersion, recordedAt, statement, options)).result;
    }
    return this.dataSource.transaction(async (tx) => {
      if (options.idempotencyKey) {
        const earlier = await claimKey(tx, options.idempotencyKey, options.fingerprint ?? fingerprint(events));
        if (earlier) return earlier;
      }
      const statement = appendStatement(streamId, expectedVersion, events, recordedAt, options.alsoExpect);
      const { result: appended, recorded } = await this.insert(
        tx,
        streamId,
        expectedVersion,
        recordedAt,
        statement,
        options,
      );
      if (options.idempotencyKey) await settleKey(tx, options.idempotencyKey, appended);
      if (projections.length) await applyInline(projections, recorded(), tx);
      if (options.inTransaction) await options.inTransaction(tx);
      return appended;
    });
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
    const [row]: { version: string }[] = await db.query(
      `SELECT coalesce(max(stream_version), 0)::text AS version FROM events WHERE stream_id = $1`,
      [streamId],
    );
    return Number(row.version);
  }

  /**
   * Events after `after`, in commit-safe order: only transactions older than
   * every transaction still running are visible, so one that took a lower
   * position but commits later is read before anything after it — never skipped.
   */
  async readAll(after: Checkpoint = START, limit = 1000, db: Queryable = this.dataSource): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await db.query(READ_ALL_SQL, [after.transactionId, after.globalPosition, limit]);
    return rows.map((row) => toRecordedEvent(row, this.upcasters));
  }

  /**
   * readAll's order without its horizon: every event visible to the caller's
   * transaction. Only safe where no writer can commit meanwhile (a rebuild's
   * swap, which holds the read model's locks); projections use readAll.
   */
  async readAllUnbounded(after: Checkpoint, limit: number, tx: Queryable): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await tx.query(READ_ALL_UNBOUNDED_SQL, [after.transactionId, after.globalPosition, limit]);
    return rows.map((row) => toRecordedEvent(row, this.upcasters));
  }

  /**
   * True when events exist beyond `after` although readAll just returned none:
   * an older transaction is (or was, a moment ago) still open, anywhere in the
   * cluster. A reader that wants everything committed so far looks again.
   * Deliberately no horizon here: had the blocker finished between the two
   * queries, a horizon test would say "nothing held back" and the reader would
   * stop short of events it has not read.
   */
  async heldBack(after: Checkpoint, db: Queryable = this.dataSource): Promise<boolean> {
    const [row]: { held: boolean }[] = await db.query(
      `SELECT EXISTS (SELECT 1 FROM events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)) AS held`,
      [after.transactionId, after.globalPosition],
    );
    return row.held;
  }

  /** Every event committed so far after `after`, page by page, waiting out older open transactions. */
  readAllCommitted(after: Checkpoint = START, pageSize = 1000): AsyncGenerator<RecordedEvent[]> {
    return committedPages(this, after, (from) => this.readAll(from, pageSize));
  }

  /**
   * Every event visible to the caller after `afterPosition` and at most
   * `upTo`, in position order, with no wait for late commits: for one fixed
   * cut of the log, read page by page — an export passes the position of its
   * own creation as `upTo`, so what was appended after it is never in it
   * (or, without `upTo`, a REPEATABLE READ transaction's snapshot is the
   * cut). Projections use readAll.
   */
  async readSnapshot(
    afterPosition: number,
    limit: number,
    tx: Queryable,
    upTo: number = Number.MAX_SAFE_INTEGER,
  ): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await tx.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > $1 AND global_position <= $3 ORDER BY global_position LIMIT $2`,
      [afterPosition, limit, upTo],
    );
    return rows.map((row) => toRecordedEvent(row, this.upcasters));
  }

  /** The last event's position in the log (0 when empty). */
  async headPosition(db: Queryable = this.dataSource): Promise<number> {
    const rows: { head: string | null }[] = await db.query(`SELECT max(global_position)::text AS head FROM events`);
    return Number(rows[0].head ?? 0);
  }

  /**
   * The append with every inline write riding in its statement, or undefined when one cannot
   * ride: only with a known base version (a new stream or an exact one), and every projection
   * must have a statement for these events.
   */
  private riding(
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    recordedAt: Date,
    riders: Projection[],
    alsoExpect?: AppendOptions['alsoExpect'],
  ): AppendStatement | undefined {
    if (!(expected === 'no_stream' || typeof expected === 'number') || !riders.every((p) => p.statement))
      return undefined;
    const append = appendStatement(streamId, expected, events, recordedAt, alsoExpect);
    const base = typeof expected === 'number' ? expected : 0;
    const pending = pendingEvents(append.batch, streamId, base, recordedAt, this.upcasters);
    const ctes = ridingStatements(riders, pending, append.params);
    return ctes && { ...append, sql: withRiders(append.sql, ctes) };
  }

  private async insert(
    db: Queryable,
    streamId: string,
    expected: ExpectedVersion,
    recordedAt: Date,
    { sql, params, batch }: AppendStatement,
    { alsoExpect }: AppendOptions,
  ): Promise<{ result: AppendResult; recorded: () => RecordedEvent[] }> {
    let rows: { position: string; version: string; tx: string }[];
    try {
      rows = await db.query(sql, params);
    } catch (error) {
      const e = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
      const constraint = e.constraint ?? e.driverError?.constraint;
      if (e.code === '23505' && constraint === 'events_stream_version_unique') {
        // Another writer took these versions between our read and our insert.
        // The failed statement may have aborted the caller's transaction, and on PGlite that
        // transaction holds the only connection: the actual version is looked up after rollback.
        throw new StreamVersionConflictError(streamId, expected, Number.NaN);
      }
      if (e.code === '23505' && constraint === 'events_event_id_key') {
        throw new InvalidAppendError('an event with one of these eventIds is already stored; event ids must be unique');
      }
      throw error;
    }
    if (rows.length === 0) {
      const actual = await this.streamVersion(streamId, db);
      // Our stream was as expected, so it was the other one that moved.
      if (alsoExpect && expectationHeld(expected, actual))
        throw new StreamVersionConflictError(
          alsoExpect.streamId,
          alsoExpect.version,
          await this.streamVersion(alsoExpect.streamId, db),
        );
      throw new StreamVersionConflictError(streamId, expected, actual);
    }
    // Version order is the batch's order (versions are base + ordinal).
    rows.sort((a, b) => Number(a.version) - Number(b.version));
    const recorded = () => inHand(rows, batch, streamId, recordedAt, this.upcasters);
    const positions = rows.map((r) => Number(r.position));
    const result = {
      streamId,
      nextExpectedVersion: Number(rows[rows.length - 1].version),
      firstPosition: Math.min(...positions),
      lastPosition: Math.max(...positions),
      duplicate: false,
    };
    return { result, recorded };
  }

  /**
   * Wakes projection runners in other processes (LISTEN/NOTIFY). Sent after
   * commit and coalesced: NOTIFY inside each append's transaction takes a
   * cluster-wide lock at commit that halved append throughput at 8 connections
   * (see README). A lost notification costs at most one poll interval.
   */
  private scheduleNotify(): void {
    if (this.notifyPending) return;
    this.notifyPending = true;
    setTimeout(() => {
      this.notifyPending = false;
      this.dataSource.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`).catch(() => undefined);
    }, NOTIFY_WINDOW_MS).unref();
  }
}
