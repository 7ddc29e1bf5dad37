import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CHALLENGE_CODES, Challenge, PRESSURE, ResourcePressure } from '../domain/codes';

export type Granularity = 'month' | 'quarter';

export interface MyTrendPeriod {
  period: string;
  reflections: number;
  meanPressure: number;
  meanRung: number;
  /** Mean of aspired − actual rung, over the reflections that name an aspired rung; null if none do. */
  meanGap: number | null;
  challenges: Record<Challenge, number>;
  rungByPressure: { pressure: ResourcePressure; pressureOrdinal: number; count: number; meanRung: number | null }[];
}

const PERIOD_SQL: Record<Granularity, string> = {
  month: `to_char(occurred_on, 'YYYY-MM')`,
  quarter: `to_char(occurred_on, 'YYYY-"Q"Q')`,
};

const round = (n: number | null) => (n === null ? null : Math.round(n * 1000) / 1000);

/** The individual trend: the worker's own reflections, period by period. */
@Injectable()
export class MyTrends {
  constructor(private readonly dataSource: DataSource) {}

  async of(authorId: string, granularity: Granularity = 'month'): Promise<{ granularity: Granularity; periods: MyTrendPeriod[] }> {
    const period = PERIOD_SQL[granularity];
    const [base, challenges, byPressure] = await Promise.all([
      this.dataSource.query(
        `SELECT ${period} AS period, count(*)::int AS n, avg(pressure)::float8 AS pressure, avg(rung)::float8 AS rung,
                avg(aspired - rung) FILTER (WHERE aspired IS NOT NULL)::float8 AS gap
           FROM journal_reflections WHERE author_id = $1 GROUP BY 1 ORDER BY 1`,
        [authorId],
      ) as Promise<{ period: string; n: number; pressure: number; rung: number; gap: number | null }[]>,
      this.dataSource.query(
        `SELECT ${period} AS period, c AS challenge, count(*)::int AS n
           FROM journal_reflections, unnest(challenges) AS c WHERE author_id = $1 GROUP BY 1, 2`,
        [authorId],
      ) as Promise<{ period: string; challenge: Challenge; n: number }[]>,
      this.dataSource.query(
        `SELECT ${period} AS period, resource_pressure, count(*)::int AS n, avg(rung)::float8 AS rung
           FROM journal_reflections WHERE author_id = $1 GROUP BY 1, 2`,
        [authorId],
      ) as Promise<{ period: string; resource_pressure: ResourcePressure; n: number; rung: number }[]>,
    ]);
    const periods = base.map((row): MyTrendPeriod => {
      const counts = Object.fromEntries(CHALLENGE_CODES.map((c) => [c, 0])) as Record<Challenge, number>;
      for (const c of challenges) if (c.period === row.period) counts[c.challenge] = c.n;
      return {
        period: row.period,
        reflections: row.n,
        meanPressure: round(row.pressure)!,
        meanRung: round(row.rung)!,
        meanGap: round(row.gap),
        challenges: counts,
        rungByPressure: PRESSURE.codes.map((p) => {
          const cell = byPressure.find((b) => b.period === row.period && b.resource_pressure === p.code);
          return { pressure: p.code, pressureOrdinal: p.ordinal!, count: cell?.n ?? 0, meanRung: cell ? round(cell.rung) : null };
        }),
      };
    });
    return { granularity, periods };
  }
}
