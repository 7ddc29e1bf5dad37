/**
 * The periods a reflection's date is released at. Never the date itself: a
 * week at best, coarser when its group is small (see generalisation.ts).
 *
 * - week: ISO 8601 week, `2024-W05` (its year is the ISO week-year, so
 *   2024-12-30 is `2025-W01`);
 * - month: the date's own calendar month, `2024-01`;
 * - quarter: the date's own calendar quarter, `2024-Q1`.
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
  const d = parseDate(date);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  return { week: isoWeek(date), month: `${year}-${pad(month)}`, quarter: `${year}-Q${Math.ceil(month / 3)}` };
}

/** What a released period looks like at each granularity, for the Table Schema. */
export const PERIOD_PATTERN = '^\\d{4}-(W(0[1-9]|[1-4]\\d|5[0-3])|(0[1-9]|1[0-2])|Q[1-4])$';
