import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, isUuid, NotFoundError, ValidationError } from '@praxis/common';
import { dateOf, dayNumber, Granularity, GRANULARITIES } from '../domain/periods';
import { Contribution, SuppressionCache } from '../domain/quarter-cube';
import { rowWindow, TrendPeriod, trendPeriods } from '../domain/trend-table';
import { CONTRIBUTIONS } from './organisation-projection';

export interface TrendQuery {
  granularity?: string;
  from?: string;
  to?: string;
  team?: string;
}

export interface OrganisationTrendsAnswer {
  k: number;
  granularity: Granularity;
  from: string;
  to: string;
  team: string | null;
  periods: TrendPeriod[];
}

const MAX_YEARS = 10;

/** The leaders' trends: validated, aggregated from the contributions, suppressed (see suppression.ts). */
@Injectable()
export class OrganisationTrends {
  private readonly cache = new SuppressionCache();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async trends(organisationId: string, query: TrendQuery): Promise<OrganisationTrendsAnswer> {
    const { granularity, from, to } = this.validate(query);
    const team = query.team === undefined || query.team === '' ? undefined : query.team;
    if (team !== undefined) await this.assertTeamOf(organisationId, team);
    const rows = await this.contributions(organisationId, from, to);
    const k = this.config.minCohort;
    return { k, granularity, from, to, team: team ?? null, periods: trendPeriods(rows, { granularity, from, to, team, k }, this.cache) };
  }

  private validate(query: TrendQuery): { granularity: Granularity; from: string; to: string } {
    const granularity = (query.granularity ?? 'month') as Granularity;
    if (!GRANULARITIES.includes(granularity)) {
      throw new ValidationError('TRENDS.INVALID_GRANULARITY', `granularity must be one of ${GRANULARITIES.join(', ')} (got "${query.granularity}")`);
    }
    const to = query.to ?? dateOf(Math.floor(this.clock.now().getTime() / 86_400_000));
    const toDay = parseDay('to', to);
    const from = query.from ?? shiftYears(to, -1, 1);
    const fromDay = parseDay('from', from);
    if (fromDay > toDay) throw new ValidationError('TRENDS.INVALID_RANGE', `from (${from}) must not be after to (${to})`);
    if (dayNumber(shiftYears(from, MAX_YEARS, 0)) < toDay) {
      throw new ValidationError('TRENDS.RANGE_TOO_LONG', `the range from ${from} to ${to} is longer than ${MAX_YEARS} years; ask for a shorter one`);
    }
    if (fromDay < dayNumber('2000-01-01')) throw new ValidationError('TRENDS.INVALID_RANGE', 'from must not be before 2000-01-01');
    return { granularity, from, to };
  }

  private async assertTeamOf(organisationId: string, team: string): Promise<void> {
    if (!isUuid(team)) throw new ValidationError('TRENDS.INVALID_TEAM', `team must be a team's id (got "${team}")`);
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM teams WHERE id = $1 AND organisation_id = $2`, [team, organisationId]);
    if (rows.length === 0) throw new NotFoundError('TEAM.NOT_FOUND', 'there is no such team in this organisation');
  }

  /**
   * The contributions of the quarters a request touches, answered from the
   * covering index alone (see its migration). One row per author and team,
   * their reflections packed as text — "day pressure rung aspired embedding
   * argument reception lived challenges principles" joined by ";" (codes are
   * snake_case words, so no separator can occur inside one) — which halves the
   * time the driver spends on a few thousand rows and the garbage it leaves.
   */
  private async contributions(organisationId: string, from: string, to: string): Promise<Contribution[]> {
    const window = rowWindow(from, to);
    const rows: { a: string; t: string | null; x: string }[] = await this.dataSource.query(
      `SELECT author_id AS a, team_id AS t,
              string_agg(concat_ws(' ', occurred_on - date '1970-01-01', pressure, rung, coalesce(aspired, 0),
                                   coalesce(embedding, 0), coalesce(argument, 0), coalesce(reception, 0),
                                   CASE lived WHEN true THEN 1 WHEN false THEN 2 ELSE 0 END,
                                   array_to_string(challenges, ','), array_to_string(principles, ',')), ';') AS x
         FROM ${CONTRIBUTIONS} WHERE organisation_id = $1 AND occurred_on BETWEEN $2 AND $3
        GROUP BY author_id, team_id`,
      [organisationId, window.first, window.last],
    );
    const contributions: Contribution[] = [];
    for (const { a: author, t: team, x } of rows) {
      for (const packed of x.split(';')) {
        const [day, pressure, rung, aspired, embedding, argument, reception, lived, challenges = '', principles = ''] = packed.split(' ');
        contributions.push({
          author,
          team,
          day: +day,
          pressure: +pressure,
          rung: +rung,
          aspired: aspired === '0' ? null : +aspired,
          challenges: codes(challenges),
          principles: codes(principles),
          embedding: +embedding || null,
          argument: +argument || null,
          reception: +reception || null,
          lived: lived === '1' ? true : lived === '2' ? false : null,
        });
      }
    }
    return contributions;
  }
}

const codes = (list: string): string[] => (list === '' ? [] : list.split(','));

function parseDay(name: string, value: string): number {
  try {
    return dayNumber(value);
  } catch {
    throw new ValidationError('TRENDS.INVALID_DATE', `${name} must be a date YYYY-MM-DD (got "${value}")`);
  }
}

/** The date `years` later, plus `days` (29 February falls back to the 28th). */
function shiftYears(date: string, years: number, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y + years, m - 1, 1));
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return dateOf(target.getTime() / 86_400_000 + days);
}
