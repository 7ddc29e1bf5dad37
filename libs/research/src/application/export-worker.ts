import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { AppConfig } from '@praxis/common';
import { checkRange } from '../domain/export-range';
import { Pseudonymiser } from '../domain/pseudonyms';
import { ExportBuilder } from './export-builder';
import { ExportKeys } from './export-keys';
import { DROP_STAGE_TABLES } from './staging';

interface Claimed {
  id: string;
  range_from: string;
  range_to: string;
  k: number;
  horizon: string;
}

/**
 * Builds queued exports in the background, one at a time, wherever the async
 * projections run (the api by default, or the worker): woken by a local
 * request, and polling for requests made in another process.
 *
 * An export is claimed (`queued` → `running`, skipping rows another process
 * holds), built on a connection of its own in short statements over the
 * events up to its horizon — no transaction stays open while it is built, so
 * async projections are not held back — then marked `ready` with its report,
 * or `failed`. Progress (events of the cut read) is written between pages.
 * (PGlite has one connection: there the build holds it until it is done.)
 */
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
    for (let claimed = await this.claim(); claimed; claimed = await this.claim()) await this.build(claimed);
  }

  private async claim(): Promise<Claimed | undefined> {
    const rows: [Claimed[], number] | Claimed[] = await this.dataSource.query(
      `UPDATE research_exports SET status = 'running'
        WHERE id = (SELECT id FROM research_exports WHERE status = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, to_char(range_from, 'YYYY-MM-DD') AS range_from, to_char(range_to, 'YYYY-MM-DD') AS range_to, k, horizon::text`,
    );
    // TypeORM answers an UPDATE … RETURNING with [rows, count].
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as Claimed[];
    return list[0];
  }

  /**
   * Waits until every transaction open now has ended: one that took a log
   * position below the horizon before the request may commit after it, and
   * its events belong in the cut. Any transaction that starts writing later
   * takes a position above the horizon, so it need not be waited for.
   */
  private async settle(session: QueryRunner): Promise<void> {
    const [{ xmax }]: { xmax: string }[] = await session.query(
      `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`,
    );
    for (;;) {
      const [{ settled }]: { settled: boolean }[] = await session.query(
        `SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS settled`,
        [xmax],
      );
      if (settled) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private async build(exp: Claimed): Promise<void> {
    const started = performance.now();
    // A connection of its own for the whole build: the staging tables live in its session.
    const session = this.dataSource.createQueryRunner();
    try {
      await session.connect();
      const key = await this.keys.load(exp.id, session);
      if (!key) throw new Error('its key is missing');
      const horizon = Number(exp.horizon);
      const range = checkRange(exp.range_from, exp.range_to);
      await this.settle(session);
      const [{ n }]: { n: number }[] = await session.query(
        `SELECT count(*)::int AS n FROM events WHERE global_position <= $1`,
        [horizon],
      );
      const progress = (done: number) =>
        session.query(`UPDATE research_exports SET done = $2, total = $3 WHERE id = $1`, [exp.id, done, n]);
      await progress(0);
      const report = await this.builder.build(
        session.manager,
        exp.id,
        range,
        exp.k,
        new Pseudonymiser(key),
        horizon,
        progress,
      );
      await session.query(
        `UPDATE research_exports SET status = 'ready', done = total, records = $2, report = $3 WHERE id = $1`,
        [exp.id, report.records, JSON.stringify(report)],
      );
      // Fresh statistics, or the planner may sort the whole table for each download page (measured: 4x slower).
      await session.query(`ANALYZE research_export_records`);
      this.logger.log(`export ${exp.id}: ${report.records} records in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      this.logger.error(`export ${exp.id} failed: ${(error as Error).message}`);
      // On the build's own connection: PGlite has no other.
      await session
        .query(`UPDATE research_exports SET status = 'failed' WHERE id = $1`, [exp.id])
        .catch((e: Error) => this.logger.error(`export ${exp.id} could not be marked failed: ${e.message}`));
    } finally {
      if (session.connection.isInitialized && !session.isReleased) {
        await session.query(DROP_STAGE_TABLES).catch(() => undefined);
        await session.release();
      }
    }
  }
}
