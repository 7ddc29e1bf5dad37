import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@praxis/common';

export interface ProjectionStatus {
  name: string;
  /** Events in the log this projection has not applied yet (capped at 100 000). */
  lagEvents: number;
  /** Age of the oldest event it has not applied, in seconds (0 when caught up). */
  lagSeconds: number;
  deadLetters: number;
}

/** How far behind the log each projection is, for /health and /metrics. */
@Injectable()
export class ProjectionMonitor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async statuses(): Promise<ProjectionStatus[]> {
    const rows: { name: string; lag_events: number; oldest: Date | null; dead: number }[] = await this.dataSource
      .query(`
      SELECT c.name,
             (SELECT count(*)::int FROM (
                SELECT 1 FROM events e
                 WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
                 LIMIT 100000) pending) AS lag_events,
             (SELECT e.recorded_at FROM events e
               WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
               ORDER BY e.transaction_id, e.global_position LIMIT 1) AS oldest,
             (SELECT count(*)::int FROM projection_dead_letters d WHERE d.projection = c.name) AS dead
        FROM projection_checkpoints c
       ORDER BY c.name`);
    const now = this.clock.now().getTime();
    return rows.map((r) => ({
      name: r.name,
      lagEvents: r.lag_events,
      lagSeconds: r.oldest ? Math.max(0, (now - new Date(r.oldest).getTime()) / 1000) : 0,
      deadLetters: r.dead,
    }));
  }
}
