import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CodedFields } from '@praxis/journal';
import { argumentOrdinal, embeddingOrdinal, receptionOrdinal } from '../domain/practice-figures';
import { MyGranularity, MyTrendPeriod, MyTrendRow, myTrendPeriods } from './my-trend-periods';

/** The individual trend: the worker's own reflections (the individual read model), period by period. */
@Injectable()
export class MyTrends {
  constructor(private readonly dataSource: DataSource) {}

  async of(
    authorId: string,
    granularity: MyGranularity = 'month',
  ): Promise<{ granularity: MyGranularity; periods: MyTrendPeriod[] }> {
    const rows: {
      occurred_on: string;
      pressure: number;
      rung: number;
      aspired: number | null;
      challenges: string[];
      embedding: CodedFields['embedding'];
      advocacy: CodedFields['advocacy'];
      lived_experience: boolean | null;
    }[] = await this.dataSource.query(
      `SELECT to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, pressure, rung, aspired, challenges, embedding, advocacy, lived_experience
         FROM journal_reflections WHERE author_id = $1`,
      [authorId],
    );
    const mine = rows.map((r): MyTrendRow => ({
      occurredOn: r.occurred_on,
      pressure: r.pressure,
      rung: r.rung,
      aspired: r.aspired,
      challenges: r.challenges,
      embedding: embeddingOrdinal(r.embedding),
      argument: argumentOrdinal(r.advocacy?.argument),
      reception: receptionOrdinal(r.advocacy?.reception),
      lived: r.lived_experience,
    }));
    return { granularity, periods: myTrendPeriods(mine, granularity) };
  }
}
