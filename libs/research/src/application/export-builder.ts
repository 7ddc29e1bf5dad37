import { Injectable } from '@nestjs/common';
import type { Queryable } from '@praxis/event-store';
import { ExportRange, quartersOf } from '../domain/export-range';
import { Pseudonymiser } from '../domain/pseudonyms';
import { ExportReport } from '../domain/report';
import { anyUnplaced, freezePlacement, loadCuts } from './frozen-quarters';
import { countPlacement, groupRecords, placeAfresh } from './generalisation';
import { listMembers, stagePseudonyms, writeRecords } from './research-records';
import { applyLater } from './amendments';
import { createStageTables, dropIneligible, stageChunk, stageShreddedKeys } from './staging';

/** Log positions folded per chunk: each statement of a chunk is a short transaction of its own. */
export const STAGE_CHUNK = 25_000;

export interface BuildJob {
  exportId: string;
  /** The builder's claim on the export: every write of records is conditioned on it. */
  claim: number;
  range: ExportRange;
  k: number;
  pseudonyms: Pseudonymiser;
  /** The cut: events up to this log position. */
  horizon: number;
  /** Called between chunks with the events of the cut read so far (progress, and the claim's heartbeat). */
  progress: (eventsRead: number) => Promise<void>;
}

/**
 * Materialises an export on the build's own connection, set-based, in
 * PostgreSQL: fold the log (up to the export's horizon) into the staging
 * tables a chunk of positions at a time, keep what the consent and date rules
 * allow, generalise, then write the records in file order a span of periods
 * at a time. No statement spans the build, so async projections are not held
 * back; progress is written between chunks. Returns the report.
 */
@Injectable()
export class ExportBuilder {
  async build(db: Queryable, job: BuildJob): Promise<ExportReport> {
    // Sorts and groups in memory rather than on disk; the session is the build's own, and is reset after. Room
    // for the staging tables' pages and indexes (8 MB by default: they were read and written back to the disk over
    // and over); PostgreSQL refuses a new size once the session has used temporary tables at another (then the
    // session keeps the one it has), and the session holds the buffers until it closes.
    await db.query(`SET work_mem = '64MB'`);
    await db.query(`SET temp_buffers = '256MB'`).catch(() => undefined);
    try {
      return await this.materialise(db, job);
    } finally {
      await db.query(`RESET work_mem`);
    }
  }

  private async materialise(db: Queryable, job: BuildJob): Promise<ExportReport> {
    const { exportId, claim, range, k, pseudonyms, horizon, progress } = job;
    await createStageTables(db);
    const quarters = quartersOf(range);
    await loadCuts(db, quarters, horizon);
    let read = 0;
    for (let after = 0; after < horizon; after += STAGE_CHUNK) {
      read += await stageChunk(db, after, Math.min(after + STAGE_CHUNK, horizon));
      await progress(read);
    }
    const heartbeat = () => progress(read);
    await applyLater(db, heartbeat);
    await stageShreddedKeys(db);
    for (let after = 0; after < horizon; after += STAGE_CHUNK) {
      await dropIneligible(db, after, Math.min(after + STAGE_CHUNK, horizon), range.firstQuarter, range.lastQuarter);
      await heartbeat();
    }
    // Temporary tables get no statistics of their own: without them the group joins below go quadratic. Only the
    // columns that are grouped and joined on: the coded ones are only read.
    await db.query(`ANALYZE rx_stage (organisation, team, week, month, quarter, person)`);
    await groupRecords(db, k, heartbeat);
    // Placed afresh only for quarters no build has placed yet; the others keep their placement (frozen-quarters.ts).
    if (await anyUnplaced(db, quarters)) await placeAfresh(db, k, heartbeat);
    await freezePlacement(db, quarters, k);
    const counts = await countPlacement(db);
    await stagePseudonyms(db, pseudonyms);
    const records = await writeRecords(db, exportId, claim, heartbeat);
    await listMembers(db, exportId, claim);
    return {
      k,
      records,
      eligible: records + counts.suppressed,
      generalised: {
        toMonth: counts.byGranularity.month,
        toQuarter: counts.byGranularity.quarter,
        total: counts.byGranularity.month + counts.byGranularity.quarter,
      },
      suppressed: counts.suppressed,
      atWeek: counts.byGranularity.week,
    };
  }
}
