import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AppConfig,
  Clock,
  dateOf,
  dayNumber,
  dayOfInstant,
  DomainError,
  EARLIEST_DATE,
  Granularity,
  GRANULARITIES,
  isUuid,
  nextQuarter,
  NotFoundError,
  quarterOfDate,
  quartersBetween,
  ValidationError,
} from '@praxis/common';
import { EventStore, StreamVersionConflictError } from '@praxis/event-store';
import { Contribution, SuppressionCache } from '../domain/quarter-cube';
import {
  appearsOn,
  openPeriods,
  publishedPeriods,
  quarterSpan,
  QuarterShown,
  snapshotOf,
} from '../domain/quarter-snapshot';
import { TrendPeriod } from '../domain/trend-table';
import { countsAsAuthor } from './authors';
import { CONTRIBUTIONS, ORGANISATION_EVENT_TYPES, ORGANISATION_PROJECTION } from './organisation-projection';
import { publicationStream, QuarterPublished } from './publication';
import { PUBLISHED } from './published-quarters';

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

/**
 * The leaders' trends: validated, and answered from published quarters only.
 * A quarter is shown once it has ended and `publishAfterDays` have passed;
 * the first answer that shows it publishes it (QuarterPublished: every figure
 * of every granularity and team, suppressed as in suppression.ts, from
 * everything recorded until then), and every later answer reads that
 * snapshot, so nothing a leader has seen ever changes — not by a late entry,
 * an amendment, a withdrawal or an erasure. Periods of a quarter not yet
 * published are `open`, with the day they will appear, and no figures.
 */
@Injectable()
export class OrganisationTrends {
  private readonly cache = new SuppressionCache();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: EventStore,
  ) {}

  async trends(organisationId: string, query: TrendQuery): Promise<OrganisationTrendsAnswer> {
    const { granularity, from, to } = this.validate(query);
    const team = query.team === undefined || query.team === '' ? undefined : query.team;
    if (team !== undefined) await this.assertTeamOf(organisationId, team);
    const today = dayOfInstant(this.clock.now());
    const quarters = quartersBetween(from, to);
    const closed = quarters.filter((q) => appearsOn(q, this.config.publishAfterDays) <= today);
    const published = await this.published(organisationId, closed);
    const [fromDay, toDay] = [dayNumber(from), dayNumber(to)];
    const periods = quarters.flatMap((quarter) => {
      const shown = published.get(quarter);
      return shown
        ? publishedPeriods(shown, quarter, granularity, fromDay, toDay, team)
        : openPeriods(quarter, granularity, fromDay, toDay, appearsOn(quarter, this.config.publishAfterDays));
    });
    return { k: this.config.minCohort, granularity, from, to, team: team ?? null, periods };
  }

  /** The next quarter leaders will be shown, and the day they will. */
  nextToAppear(): { quarter: string; from: string; to: string; appearsOn: string; graceDays: number } {
    const today = dayOfInstant(this.clock.now());
    let quarter = quarterOfDate(dateOf(today - 120 - this.config.publishAfterDays));
    while (appearsOn(quarter, this.config.publishAfterDays) <= today) quarter = nextQuarter(quarter);
    const span = quarterSpan(quarter);
    const days = this.config.publishAfterDays;
    return {
      quarter,
      from: dateOf(span.first),
      to: dateOf(span.last),
      appearsOn: dateOf(appearsOn(quarter, days)),
      graceDays: days,
    };
  }

  /** The published snapshots of closed quarters; those never shown before are published now. */
  private async published(organisationId: string, quarters: string[]): Promise<Map<string, QuarterShown>> {
    const found = new Map<string, QuarterShown>();
    if (quarters.length === 0) return found;
    const load = async (wanted: string[]) => {
      const rows: { quarter: string; shown: QuarterShown }[] = await this.dataSource.query(
        `SELECT quarter, shown FROM ${PUBLISHED} WHERE organisation_id = $1 AND quarter = ANY($2::text[])`,
        [organisationId, wanted],
      );
      for (const row of rows) found.set(row.quarter, row.shown);
    };
    await load(quarters);
    const missing = quarters.filter((q) => !found.has(q));
    if (missing.length === 0) return found;
    await this.contributionsUpToDate();
    const first = dateOf(quarterSpan(missing[0]).first);
    const last = dateOf(quarterSpan(missing[missing.length - 1]).last);
    const rows = await this.contributions(organisationId, first, last);
    const publishedAt = this.clock.now();
    // One stream per quarter, so the appends go side by side (their commits share the disk's wait).
    const publish = async (quarter: string) => {
      const span = quarterSpan(quarter);
      const shown = snapshotOf(
        quarter,
        rows.filter((r) => r.day >= span.first && r.day <= span.last),
        this.config.minCohort,
        this.cache,
      );
      const event: QuarterPublished = {
        type: 'QuarterPublished',
        data: { organisationId, quarter, k: this.config.minCohort, publishedAt: publishedAt.toISOString(), shown },
      };
      try {
        await this.store.append(
          publicationStream(organisationId, quarter),
          'no_stream',
          [{ ...event, metadata: { actorId: 'system' } }],
          { recordedAt: publishedAt },
        );
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError)) throw error;
        // Another answer published it first: that one is the quarter, read below.
      }
    };
    await Promise.all(missing.map(publish));
    await load(missing);
    return found;
  }

  /**
   * Publishing freezes what the contributions hold, so they must hold every
   * reflection event already in the log (just after start-up or a burst, the
   * async projection may be a moment behind): wait up to two seconds, then
   * answer 503 rather than freeze a quarter with entries missing.
   */
  private async contributionsUpToDate(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // Two statements, so the second is a range scan of the primary key from a constant (a join here scanned the whole log).
      const [checkpoint]: { p: string }[] = await this.dataSource.query(
        `SELECT global_position AS p FROM projection_checkpoints WHERE name = $1`,
        [ORGANISATION_PROJECTION],
      );
      if (!checkpoint) return; // the projection never ran here (nothing to wait for)
      const behind: unknown[] = await this.dataSource.query(
        `SELECT 1 FROM events WHERE global_position > $1 AND type = ANY($2::text[]) LIMIT 1`,
        [checkpoint.p, ORGANISATION_EVENT_TYPES],
      );
      if (behind.length === 0) return;
      if (attempt >= 20) {
        throw new DomainError(
          'TRENDS.NOT_READY',
          'The figures are being brought up to date; try again in a few seconds.',
          'unavailable',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private validate(query: TrendQuery): { granularity: Granularity; from: string; to: string } {
    const granularity = (query.granularity ?? 'month') as Granularity;
    if (!GRANULARITIES.includes(granularity)) {
      throw new ValidationError(
        'TRENDS.INVALID_GRANULARITY',
        `granularity must be one of ${GRANULARITIES.join(', ')} (got "${query.granularity}")`,
      );
    }
    const to = query.to ?? dateOf(dayOfInstant(this.clock.now()));
    const toDay = parseDay('to', to);
    const from = query.from ?? shiftYears(to, -1, 1);
    const fromDay = parseDay('from', from);
    if (fromDay > toDay)
      throw new ValidationError('TRENDS.INVALID_RANGE', `from (${from}) must not be after to (${to})`);
    if (dayNumber(shiftYears(from, MAX_YEARS, 0)) < toDay) {
      throw new ValidationError(
        'TRENDS.RANGE_TOO_LONG',
        `the range from ${from} to ${to} is longer than ${MAX_YEARS} years; ask for a shorter one`,
      );
    }
    if (fromDay < dayNumber(EARLIEST_DATE))
      throw new ValidationError('TRENDS.INVALID_RANGE', `from must not be before ${EARLIEST_DATE}`);
    return { granularity, from, to };
  }

  private async assertTeamOf(organisationId: string, team: string): Promise<void> {
    if (!isUuid(team)) throw new ValidationError('TRENDS.INVALID_TEAM', `team must be a team's id (got "${team}")`);
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM teams WHERE id = $1 AND organisation_id = $2`, [
      team,
      organisationId,
    ]);
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
  private async contributions(organisationId: string, first: string, last: string): Promise<Contribution[]> {
    const window = { first, last };
    const rows: { a: string; t: string | null; x: string }[] = await this.dataSource.query(
      `SELECT a, t, x FROM (
         SELECT author_id AS a, team_id AS t,
                string_agg(concat_ws(' ', occurred_on - date '1970-01-01', pressure, rung, coalesce(aspired, 0),
                                     coalesce(embedding, 0), coalesce(argument, 0), coalesce(reception, 0),
                                     CASE lived WHEN true THEN 1 WHEN false THEN 2 ELSE 0 END,
                                     array_to_string(challenges, ','), array_to_string(principles, ',')), ';') AS x
           FROM ${CONTRIBUTIONS} WHERE organisation_id = $1 AND occurred_on BETWEEN $2 AND $3
          GROUP BY author_id, team_id) g
        WHERE ${countsAsAuthor('g.a')}`,
      [organisationId, window.first, window.last],
    );
    const contributions: Contribution[] = [];
    for (const { a: author, t: team, x } of rows) {
      for (const packed of x.split(';')) {
        const [day, pressure, rung, aspired, embedding, argument, reception, lived, challenges = '', principles = ''] =
          packed.split(' ');
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
  return dateOf(dayOfInstant(target) + days);
}
