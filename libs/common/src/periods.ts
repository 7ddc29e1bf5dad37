/**
 * The one calendar of Praxis: what "week", "month" and "quarter" mean to a
 * worker, a leader and a researcher alike, and what a valid date is.
 *
 * Periods are built from whole ISO weeks so that they nest: a week belongs to
 * the month (and so the quarter) that holds its Thursday — the rule ISO 8601
 * uses to give a week its year. Calendar months and ISO weeks cross each
 * other; publishing both would let anyone chain week and month totals into the
 * few days where they overlap (a Sunday at a month's end holding one person's
 * reflection). With nesting, every figure is an exact sum of the figures below
 * it, and suppression can protect it. A researcher's export generalises a week
 * to its month without ever splitting it, for the same reason.
 *
 * Pure: no clock. Callers pass the instant they got from the `Clock`.
 */
export type Granularity = 'week' | 'month' | 'quarter';
export const GRANULARITIES: readonly Granularity[] = ['week', 'month', 'quarter'];

const DAY = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The earliest day a reflection may have happened on. */
export const EARLIEST_DATE = '2000-01-01';

/** A real calendar date written `YYYY-MM-DD` (not `2025-02-30`, not `2025-2-3`). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; throws on anything else. */
export function dayNumber(date: string): number {
  if (!isCalendarDate(date)) throw new Error(`not a date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`) / DAY;
}

export const dateOf = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

/** The day number (UTC) an instant falls on. */
export const dayOfInstant = (instant: Date): number => Math.floor(instant.getTime() / DAY);

/**
 * The latest date that is not in the future for anyone: it is already "today"
 * at UTC+14, so a worker late in the evening anywhere is never refused.
 */
export function latestAllowedDate(now: Date): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

/** The Monday (as a day number) of the ISO week holding `day` (1970-01-01, day 0, was a Thursday). */
export function mondayOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

export interface WeekInfo {
  monday: number;
  week: string;
  month: string;
  quarter: string;
}

/** Labels of the week starting on `monday`: `2025-W01`, its month `2025-01`, its quarter `2025-Q1`. */
export function weekInfo(monday: number): WeekInfo {
  const thursday = new Date((monday + 3) * DAY);
  const year = thursday.getUTCFullYear();
  const month = thursday.getUTCMonth() + 1;
  const jan4 = Date.UTC(year, 0, 4) / DAY;
  const week = Math.floor((monday - mondayOf(jan4)) / 7) + 1;
  return {
    monday,
    week: `${year}-W${pad(week)}`,
    month: `${year}-${pad(month)}`,
    quarter: `${year}-Q${Math.ceil(month / 3)}`,
  };
}

export const labelOf = (info: WeekInfo, granularity: Granularity): string => info[granularity];

/** The week, month and quarter a date belongs to (through its week); throws on what is not a date. */
export function periodsOf(date: string): { week: string; month: string; quarter: string } {
  const { week, month, quarter } = weekInfo(mondayOf(dayNumber(date)));
  return { week, month, quarter };
}

/**
 * `periodsOf` as SQL, for set-based work in PostgreSQL (the research export's
 * staging): expressions over a `date` expression giving the same labels — the
 * ISO week, and the month and quarter holding the week's Thursday (whose
 * calendar year is the ISO week's year). periods.int-spec.ts holds the two equal.
 */
export function periodsOfSql(date: string): { week: string; month: string; quarter: string } {
  const thursday = `(${date} + (4 - extract(isodow FROM ${date})::int))`;
  return {
    week: `to_char(${thursday}, 'YYYY-"W"IW')`,
    month: `to_char(${thursday}, 'YYYY-MM')`,
    quarter: `to_char(${thursday}, 'YYYY-"Q"Q')`,
  };
}

/** `YYYY-Www`: the ISO 8601 week (Monday to Sunday) holding the date, numbered in its Thursday's year. */
export const isoWeek = (date: string): string => periodsOf(date).week;

/** The quarter label holding a date (through its week). */
export const quarterOfDate = (date: string): string => periodsOf(date).quarter;

/**
 * The day number of the first day of the calendar quarter holding `date`, or of `shift` quarters later.
 * Calendar quarters are the edges of a research export's range, in days as a person asks for them
 * (1 January to 31 March); the weeks inside are still counted by their Thursday, so a range's edges
 * and its periods can differ by a few days.
 */
export function calendarQuarterStart(date: string, shift = 0): number {
  const [y, m] = date.split('-').map(Number);
  return Date.UTC(y, Math.floor((m - 1) / 3) * 3 + shift * 3, 1) / DAY;
}

/** The calendar quarter holding `day`: `2025-Q1` for any day from 1 January to 31 March 2025. */
export function calendarQuarterOf(day: number): string {
  const date = new Date(day * DAY);
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/** What a period label looks like at each granularity: `2025-W05`, `2025-02`, `2025-Q1`. */
export const PERIOD_PATTERN = '^\\d{4}-(W(0[1-9]|[1-4]\\d|5[0-3])|(0[1-9]|1[0-2])|Q[1-4])$';

/** Every week of a quarter (`2025-Q1`), in order: the Mondays whose Thursday falls in it. */
export function weeksOfQuarter(quarter: string): WeekInfo[] {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) throw new Error(`not a quarter: ${quarter}`);
  const year = Number(match[1]);
  const q = Number(match[2]);
  const first = Date.UTC(year, (q - 1) * 3, 1) / DAY;
  const last = Date.UTC(year, q * 3, 1) / DAY - 1;
  // The first Thursday on or after the quarter's first day, and its Monday.
  const firstThursday = first + ((3 - ((new Date(first * DAY).getUTCDay() + 6) % 7) + 7) % 7);
  const weeks: WeekInfo[] = [];
  for (let monday = firstThursday - 3; monday + 3 <= last; monday += 7) weeks.push(weekInfo(monday));
  return weeks;
}

/** The quarter after `quarter`. */
export function nextQuarter(quarter: string): string {
  const [year, q] = quarter.split('-Q').map(Number);
  return q === 4 ? `${year + 1}-Q1` : `${year}-Q${q + 1}`;
}

/** Every quarter from the one holding `from` to the one holding `to`. */
export function quartersBetween(from: string, to: string): string[] {
  const last = quarterOfDate(to);
  const quarters = [quarterOfDate(from)];
  while (quarters[quarters.length - 1] !== last) quarters.push(nextQuarter(quarters[quarters.length - 1]));
  return quarters;
}

export interface PeriodSpan {
  period: string;
  granularity: Granularity;
  /** First and last day (Monday of its first week, Sunday of its last). */
  starts: string;
  ends: string;
}

/** The periods of one granularity in a quarter, with their spans, in order. */
export function periodsOfQuarter(quarter: string, granularity: Granularity): PeriodSpan[] {
  const spans = new Map<string, PeriodSpan>();
  for (const w of weeksOfQuarter(quarter)) {
    const period = labelOf(w, granularity);
    const span = spans.get(period);
    if (span) span.ends = dateOf(w.monday + 6);
    else spans.set(period, { period, granularity, starts: dateOf(w.monday), ends: dateOf(w.monday + 6) });
  }
  return [...spans.values()];
}
