import { isCalendarDate } from '@praxis/common';
import { ResearchErrors } from './research-errors';

export const MAX_RANGE_YEARS = 10;

/**
 * A range of whole quarters: `from` the first day of one, `to` the last day of
 * one. Anything finer would let two exports a day apart isolate that day's
 * records. The export holds the reflections of the weeks whose Thursday falls
 * in those quarters (see periods.ts in libs/common), so no week is ever cut in two.
 */
export interface ExportRange {
  /** YYYY-MM-DD: the first day of the first quarter and the last day of the last. */
  from: string;
  to: string;
  /** The quarters' labels, `2025-Q1`. */
  firstQuarter: string;
  lastQuarter: string;
}

// The range's edges are calendar quarters (the request's days); the weeks inside are the one calendar's (periods.ts).
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
/** The first day of the quarter holding `date`, and of `shift` quarters later. */
const quarterStart = (date: string, shift = 0): number => {
  const [y, m] = date.split('-').map(Number);
  return Date.UTC(y, Math.floor((m - 1) / 3) * 3 + shift * 3, 1);
};
const label = (start: number): string =>
  `${new Date(start).getUTCFullYear()}-Q${Math.floor(new Date(start).getUTCMonth() / 3) + 1}`;

/** Pure check of a requested range; throws a 400 naming the field and, when a date is not a quarter's edge, the nearest that are. */
export function checkRange(from: unknown, to: unknown): ExportRange {
  if (!isCalendarDate(from)) throw ResearchErrors.badRange('from', 'must be a date written YYYY-MM-DD');
  if (!isCalendarDate(to)) throw ResearchErrors.badRange('to', 'must be a date written YYYY-MM-DD');
  const starts = [quarterStart(from), quarterStart(from, 1)];
  if (iso(starts[0]) !== from) {
    throw ResearchErrors.badRange(
      'from',
      `must be the first day of a quarter: the nearest are ${iso(starts[0])} (${label(starts[0])}) and ${iso(starts[1])} (${label(starts[1])})`,
    );
  }
  const ends = [quarterStart(to) - DAY, quarterStart(to, 1) - DAY];
  if (iso(ends[1]) !== to) {
    throw ResearchErrors.badRange(
      'to',
      `must be the last day of a quarter: the nearest are ${iso(ends[0])} (${label(ends[0])}) and ${iso(ends[1])} (${label(quarterStart(to))})`,
    );
  }
  if (from > to) throw ResearchErrors.badRange('from', 'must not be after to');
  const tenYears = new Date(`${to}T00:00:00Z`);
  tenYears.setUTCFullYear(tenYears.getUTCFullYear() - MAX_RANGE_YEARS);
  if (from < iso(tenYears.getTime() + DAY))
    throw ResearchErrors.badRange('from', `must be at most ${MAX_RANGE_YEARS} years before to`);
  return { from, to, firstQuarter: label(starts[0]), lastQuarter: label(quarterStart(to)) };
}
