import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, isUuid, newId } from '@praxis/common';
import { EventStore } from '@praxis/event-store';
import { checkClosed, checkRange, quartersOf } from '../domain/export-range';
import { newExportKey } from '../domain/pseudonyms';
import { ExportReport } from '../domain/report';
import { ResearchErrors } from '../domain/research-errors';
import { researchExportStream, ResearchExportCreated, rulesFor } from '../domain/research-events';
import { ExportKeys } from './export-keys';
import { ExportWorker } from './export-worker';

export type ExportStatus = 'queued' | 'running' | 'ready' | 'failed';

export interface ResearchExport {
  id: string;
  from: string;
  to: string;
  createdAt: string;
  status: ExportStatus;
  /** While running: events of the export's cut of the log read so far, of how many. */
  progress: { done: number; total: number };
  report: ExportReport;
}

interface ExportRow {
  id: string;
  range_from: string;
  range_to: string;
  created_at: Date;
  status: ExportStatus;
  done: number;
  total: number;
  report: ExportReport;
}

const toExport = (row: ExportRow): ResearchExport => ({
  id: row.id,
  from: row.range_from,
  to: row.range_to,
  createdAt: new Date(row.created_at).toISOString(),
  status: row.status,
  progress: { done: row.done, total: row.total },
  report: row.report,
});

const SELECT = `SELECT id, to_char(range_from, 'YYYY-MM-DD') AS range_from, to_char(range_to, 'YYYY-MM-DD') AS range_to, created_at,
                       status, done, total, report
                  FROM research_exports`;

/**
 * Creating and reading exports. Creation records `ResearchExportCreated` (the
 * request, with its rules) and, in the same transaction, the export as
 * `queued`, with its key and its horizon: the log position of that event. The
 * export worker builds it in the background from the events up to the horizon,
 * so what is appended after the request is never in it. A failure anywhere
 * leaves nothing: no event, no export, no key; a retry is a fresh request.
 */
@Injectable()
export class ResearchExports {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly keys: ExportKeys,
    private readonly worker: ExportWorker,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async create(researcherId: string, from: unknown, to: unknown): Promise<{ id: string; status: ExportStatus }> {
    const range = checkRange(from, to);
    const createdAt = this.clock.now();
    checkClosed(range, createdAt, this.config.publishAfterDays);
    const quarters = quartersOf(range);
    const id = newId();
    const k = this.config.minCohort;
    const event: ResearchExportCreated = {
      type: 'ResearchExportCreated',
      data: {
        exportId: id,
        researcherId,
        from: range.from,
        to: range.to,
        createdAt: createdAt.toISOString(),
        rules: rulesFor(k),
      },
    };
    const stream = researchExportStream(id);
    await this.store.append(stream, 'no_stream', [{ ...event, metadata: { actorId: researcherId } }], {
      recordedAt: createdAt,
      // The event, the row and the key commit together or not at all: a failure leaves none of them.
      inTransaction: async (tx) => {
        // The horizon is the event's own position: the stream is new, so it holds that one event.
        await tx.query(
          `INSERT INTO research_exports (id, researcher_id, range_from, range_to, created_at, k, records, report, status, horizon)
           VALUES ($1, $2, $3, $4, $5, $6, 0, '{}', 'queued',
                   (SELECT max(global_position) FROM events WHERE stream_id = $7))`,
          [id, researcherId, range.from, range.to, createdAt, k, stream],
        );
        await this.keys.store(id, newExportKey(), tx);
        // The first export of a quarter fixes its cut: no later reflection or amendment enters any export of it.
        await tx.query(
          `INSERT INTO research_quarters (quarter, horizon)
           SELECT quarter, (SELECT horizon FROM research_exports WHERE id = $1) FROM unnest($2::text[]) AS quarter
           ON CONFLICT (quarter) DO NOTHING`,
          [id, quarters],
        );
        // An export asked for at the same moment may have fixed a cut after this one's position (it took its
        // position later but reached the quarter first): this export reads the log up to there too, or it would miss
        // what the other holds, and the difference of the two would be the records between.
        // A statement of its own: it must see the row the other committed while this one's insert waited on it.
        await tx.query(
          `UPDATE research_exports e
              SET horizon = greatest(e.horizon, (SELECT max(q.horizon) FROM research_quarters q WHERE q.quarter = ANY ($2::text[])))
            WHERE e.id = $1`,
          [id, quarters],
        );
      },
    });
    this.worker.wake();
    return { id, status: 'queued' };
  }

  /** The researcher's own export, ready to download: 409 while it is being built or if it failed. */
  async ready(researcherId: string, id: string): Promise<ResearchExport> {
    const exp = await this.get(researcherId, id);
    if (exp.status !== 'ready') throw ResearchErrors.notReady(exp.status);
    return exp;
  }

  /** The researcher's own export; anyone else's is 404, exactly like one that does not exist. */
  async get(researcherId: string, id: string): Promise<ResearchExport> {
    if (!isUuid(id)) throw ResearchErrors.notFound();
    const [row]: ExportRow[] = await this.dataSource.query(`${SELECT} WHERE id = $1 AND researcher_id = $2`, [
      id,
      researcherId,
    ]);
    if (!row) throw ResearchErrors.notFound();
    return toExport(row);
  }

  async list(researcherId: string, limit = 50): Promise<ResearchExport[]> {
    const rows: ExportRow[] = await this.dataSource.query(
      `${SELECT} WHERE researcher_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [researcherId, limit],
    );
    return rows.map(toExport);
  }
}
