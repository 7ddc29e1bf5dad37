import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { AppConfig } from '@praxis/common';
import type { Queryable } from '@praxis/event-store';
import { checkRange } from '../domain/export-range';
import { Pseudonymiser } from '../domain/pseudonyms';
import { ExportBuilder } from './export-builder';
import { ExportKeys } from './export-keys';
import { firstRow as first, LostClaim } from './research-records';
import { DROP_STAGE_TABLES } from './staging';

interface Claimed {
  id: string;
  range_from: string;
  range_to: string;
  k: number;
  horizon: string;
  /** This builder's claim: a number that only grows (each claim, and an erasure's rebuild, takes it on). */
  claim: number;
  /** Claims since the export was last queued. */
  attempts: number;
}

/**
 * How long a builder's claim lasts without a heartbeat. Heartbeats are written
 * between chunks (each statement of a build is short, seconds at most at a
 * million reflections), so a claim this old belongs to a process that died.
 */
export const EXPORT_LEASE_SECONDS = 120;
/**
 * A build claimed this many times without finishing (its builder dies each
 * time) is marked failed. Counted since the export was last queued: an
 * erasure that sends it back to be built again starts the count afresh.
 */
export const MAX_EXPORT_CLAIMS = 3;

/** How long a build waits for appends begun before it to end (settle) before it fails. */
export const SETTLE_LIMIT_MS = 10 * 60_000;

@Injectable()
export class ExportWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ExportWorker');
  private current?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly builder: ExportBuilder,
    private readonly keys: ExportKeys,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runProjections) return;
    this.timer = setInterval(() => this.wake(), Math.max(this.config.projectionPollMs, 100));
    this.timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.current;
  }

  /** Starts building what is queued, if this process builds exports; a no-op elsewhere. */
  wake(): void {
    if (!this.timer) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = this.buildQueued()
      .catch((error: Error) => this.logger.error(`export worker: ${error.message}`))
      .finally(() => {
        this.current = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Waits for the build in hand, then builds every export still queued (tests, bench). */
  async drain(): Promise<void> {
    while (this.current) await this.current;
    await this.buildQueued();
  }

  private async buildQueued(): Promise<void> {
    for (let claimed = await this.claim(); claimed; claimed = await this.claim()) {
      if (claimed.attempts > MAX_EXPORT_CLAIMS) {
        this.logger.error(
          `export ${claimed.id}: claimed ${claimed.attempts - 1} times and never finished; marked failed`,
        );
        await this.fail(this.dataSource, claimed);
      } else await this.build(claimed);
    }
  }

  /** The oldest export queued, or running under a lease that has run out (its builder died). */
  private async claim(): Promise<Claimed | undefined> {
    return first<Claimed>(
      await this.dataSource.query(
        `UPDATE research_exports SET status = 'running', claim = claim + 1, attempts = attempts + 1, heartbeat_at = now(), done = 0,
                                     member_tags = NULL
          WHERE id = (SELECT id FROM research_exports
                       WHERE status = 'queued'
                          OR (status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $1)))
                       ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING id, to_char(range_from, 'YYYY-MM-DD') AS range_from, to_char(range_to, 'YYYY-MM-DD') AS range_to, k,
                    horizon::text, claim, attempts`,
        [EXPORT_LEASE_SECONDS],
      ),
    );
  }

  /** Moves the claim's heartbeat on (and the progress); throws LostClaim if another builder has taken the export. */
  private async beat(session: QueryRunner, exp: Claimed, done?: number, total?: number): Promise<void> {
    const row = first(
      await session.query(
        `UPDATE research_exports SET heartbeat_at = now(), done = coalesce($3, done), total = coalesce($4, total)
          WHERE id = $1 AND claim = $2 AND status = 'running' RETURNING id`,
        [exp.id, exp.claim, done ?? null, total ?? null],
      ),
    );
    if (!row) throw new LostClaim(exp.id);
  }

  /** Marks the export failed under this claim, and deletes what its builders wrote: a failed export is never served. */
  private async fail(db: Queryable, exp: Claimed): Promise<void> {
    await db.query(
      `WITH failed AS (UPDATE research_exports SET status = 'failed' WHERE id = $1 AND claim = $2 RETURNING id)
       DELETE FROM research_export_pages WHERE export_id IN (SELECT id FROM failed)`,
      [exp.id, exp.claim],
    );
  }

  /**
   * Waits until every transaction writing to the log now has ended: one that
   * took a log position below the horizon before the request may commit after
   * it, and its events belong in the cut. Any transaction that starts writing
   * later takes a position above the horizon, so it need not be waited for,
   * and neither need any other transaction on the server (one left idle, a
   * long report in another database): only those holding the lock an append
   * takes on `events`, each known by its virtual transaction id, which lasts
   * exactly as long as the transaction. One still writing after
   * SETTLE_LIMIT_MS fails the build rather than holding the queue forever.
   */
  private async settle(session: QueryRunner, heartbeat: () => Promise<void>): Promise<void> {
    const writers: { vxid: string }[] = await session.query(
      `SELECT DISTINCT l.virtualtransaction AS vxid
         FROM pg_locks l
        WHERE l.locktype = 'relation' AND l.relation = 'events'::regclass AND l.mode = 'RowExclusiveLock'
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.granted AND l.pid <> pg_backend_pid()`,
    );
    if (writers.length === 0) return;
    const vxids = writers.map((w) => w.vxid);
    const started = performance.now();
    for (let round = 1; ; round++) {
      const [{ open }]: { open: boolean }[] = await session.query(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE virtualtransaction = ANY ($1::text[])) AS open`,
        [vxids],
      );
      if (!open) return;
      if (performance.now() - started > SETTLE_LIMIT_MS)
        throw new Error(
          `a transaction writing to the log since before the build (${vxids.join(', ')}) ` +
            `has not ended after ${SETTLE_LIMIT_MS / 1000} s`,
        );
      if (round % 200 === 0) await heartbeat();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async build(exp: Claimed): Promise<void> {
    const started = performance.now();
    // A connection of its own for the whole build: the staging tables live in its session.
    const session = this.dataSource.createQueryRunner();
    try {
      await session.connect();
      // No key (a migration sent the export back without one): a new random key, so the files share no pseudonym
      // with any built before.
      const key = (await this.keys.load(exp.id, session)) ?? (await this.keys.loadOrCreate(exp.id, session));
      const horizon = Number(exp.horizon);
      const range = checkRange(exp.range_from, exp.range_to);
      await this.settle(session, () => this.beat(session, exp));
      // A builder that died may have written some records: this claim starts from scratch.
      if (exp.claim > 1)
        await session.query(
          `DELETE FROM research_export_pages
            WHERE export_id = $1 AND EXISTS (SELECT 1 FROM research_exports WHERE id = $1 AND claim = $2 FOR SHARE)`,
          [exp.id, exp.claim],
        );
      const [{ n }]: { n: number }[] = await session.query(
        `SELECT count(*)::int AS n FROM events WHERE global_position <= $1`,
        [horizon],
      );
      await this.beat(session, exp, 0, n);
      const report = await this.builder.build(session, {
        exportId: exp.id,
        claim: exp.claim,
        range,
        k: exp.k,
        pseudonyms: new Pseudonymiser(key),
        horizon,
        progress: (done) => this.beat(session, exp, done),
      });
      const ready = first(
        await session.query(
          `UPDATE research_exports SET status = 'ready', done = total, records = $3, report = $4
            WHERE id = $1 AND claim = $2 AND status = 'running' RETURNING id`,
          [exp.id, exp.claim, report.records, JSON.stringify(report)],
        ),
      );
      if (!ready) throw new LostClaim(exp.id);
      // Fresh statistics, or the planner may sort the whole table for each download page (measured: 4x slower).
      await session.query(`ANALYZE research_export_pages`);
      this.logger.log(`export ${exp.id}: ${report.records} records in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      if (error instanceof LostClaim) {
        this.logger.warn(`${error.message}; this build stops`);
        return;
      }
      this.logger.error(`export ${exp.id} failed: ${(error as Error).message}`);
      // On the build's own connection: PGlite has no other.
      await this.fail(session, exp).catch((e: Error) =>
        this.logger.error(`export ${exp.id} could not be marked failed: ${e.message}`),
      );
    } finally {
      if (session.connection.isInitialized && !session.isReleased) {
        await session.query(DROP_STAGE_TABLES).catch(() => undefined);
        await session.release();
      }
    }
  }
}
