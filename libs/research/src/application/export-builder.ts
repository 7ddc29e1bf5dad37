import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventStore } from '@praxis/event-store';
import { ExportRange } from '../domain/export-range';
import { Pseudonymiser } from '../domain/pseudonyms';
import { ExportReport } from '../domain/report';
import { generalise } from './generalisation';
import { stageLog } from './staging';

/**
 * Materialises an export in the caller's transaction: fold the log (up to the
 * export's horizon) into the
 * staging tables, keep what the consent and date rules allow, generalise,
 * then write the records in file order. Returns the report.
 */
@Injectable()
export class ExportBuilder {
  constructor(private readonly store: EventStore) {}

  async build(
    tx: EntityManager,
    exportId: string,
    range: ExportRange,
    k: number,
    pseudonyms: Pseudonymiser,
    horizon: number,
    progress?: (eventsRead: number) => Promise<void>,
  ): Promise<ExportReport> {
    await stageLog(tx, this.store, pseudonyms, horizon, progress);
    // Whole quarters (by the week's Thursday, so no week is cut); consent withdrawn after writing excludes the reflection for good.
    await tx.query(
      `DELETE FROM rx_stage s
        WHERE s.withdrawn OR s.quarter < $1 OR s.quarter > $2
           OR EXISTS (SELECT 1 FROM rx_person p WHERE p.person = s.person AND (p.erased OR p.last_withdrawal > s.written_at))`,
      [range.firstQuarter, range.lastQuarter],
    );
    // Temporary tables get no statistics of their own: without them the group joins below go quadratic.
    await tx.query(`ANALYZE rx_stage`);
    const counts = await generalise(tx, k);
    // File order: by period, then pseudonyms — which say nothing of the order things were written in.
    const inserted: { n: number }[] = await tx.query(
      `WITH ins AS (
         INSERT INTO research_export_records (export_id, seq, record)
         SELECT $1, row_number() OVER (ORDER BY period, organisation, team, person, coded::text, reflection_id),
                coded || jsonb_build_object('person', person, 'organisation', organisation, 'team', nullif(team, ''),
                                            'period', period, 'periodGranularity', granularity)
           FROM rx_stage WHERE granularity IS NOT NULL
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [exportId],
    );
    const records = inserted[0].n;
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
