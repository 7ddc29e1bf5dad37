import { dayNumber, mondayOf, weekInfo } from '@praxis/projections';

/**
 * The periods a reflection's date is released at. Never the date itself: a
 * week at best, coarser when its group is small (see generalisation.ts).
 *
 * - week: ISO 8601 week, `2024-W05` (its year is the ISO week-year, so
 *   2024-12-30 is `2025-W01`);
 * - month and quarter: those of the week — the month that holds its Thursday,
 *   the calendar the leaders' and the workers' trends use (projections'
 *   periods.ts). A week sits in exactly one month, so generalising a week to
 *   its month never splits it, and "2025-04" means the same days to a worker,
 *   a leader and a researcher.
 */
export type Granularity = 'week' | 'month' | 'quarter';
export const GRANULARITIES: readonly Granularity[] = ['week', 'month', 'quarter'];

export interface Periods {
  week: string;
  month: string;
  quarter: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function parseDate(date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date: ${date}`);
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) throw new Error(`not a date: ${date}`);
  return d;
}

/** `YYYY-Www`: the week (Monday to Sunday) that holds the date, numbered by its Thursday's year. */
export function isoWeek(date: string): string {
  const d = parseDate(date);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(d.getTime() + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const firstThursdayOfYear = new Date(Date.UTC(year, 0, 4)); // 4 January is always in week 1
  const firstMonday = firstThursdayOfYear.getTime() - ((firstThursdayOfYear.getUTCDay() + 6) % 7) * 86_400_000;
  const week = Math.floor((thursday.getTime() - firstMonday) / (7 * 86_400_000)) + 1;
  return `${year}-W${pad(week)}`;
}

export function periodsOf(date: string): Periods {
  parseDate(date);
  const { week, month, quarter } = weekInfo(mondayOf(dayNumber(date)));
  return { week, month, quarter };
}

/** What a released period looks like at each granularity, for the Table Schema. */
export const PERIOD_PATTERN = '^\\d{4}-(W(0[1-9]|[1-4]\\d|5[0-3])|(0[1-9]|1[0-2])|Q[1-4])$';
