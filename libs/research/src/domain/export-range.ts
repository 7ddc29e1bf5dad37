import {
  calendarQuarterOf,
  calendarQuarterStart,
  dateOf,
  dayOfInstant,
  isCalendarDate,
  nextQuarter,
  weeksOfQuarter,
} from '@praxis/common';
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

type Problems = Partial<Record<'from' | 'to', string>>;

const missing = (value: unknown) => value === undefined || value === null || value === '';

/**
 * Pure check of a requested range; throws one 400 that names every field at fault (by the form's labels, "From"
 * and "To") and, when a date is not a quarter's edge, the nearest that are.
 */
export function checkRange(from: unknown, to: unknown): ExportRange {
  const problems: Problems = {};
  if (missing(from)) problems.from = 'Enter the "From" date: the first day of a quarter, such as 2025-01-01';
  else if (!isCalendarDate(from)) problems.from = 'The "From" date must be a date written YYYY-MM-DD';
  else {
    const starts = [calendarQuarterStart(from), calendarQuarterStart(from, 1)];
    if (dateOf(starts[0]) !== from)
      problems.from =
        `The "From" date must be the first day of a quarter: the nearest are ${dateOf(starts[0])} ` +
        `(${calendarQuarterOf(starts[0])}) and ${dateOf(starts[1])} (${calendarQuarterOf(starts[1])})`;
  }
  if (missing(to)) problems.to = 'Enter the "To" date: the last day of a quarter, such as 2025-03-31';
  else if (!isCalendarDate(to)) problems.to = 'The "To" date must be a date written YYYY-MM-DD';
  else {
    const ends = [calendarQuarterStart(to) - 1, calendarQuarterStart(to, 1) - 1];
    if (dateOf(ends[1]) !== to)
      problems.to =
        `The "To" date must be the last day of a quarter: the nearest are ${dateOf(ends[0])} ` +
        `(${calendarQuarterOf(ends[0])}) and ${dateOf(ends[1])} (${calendarQuarterOf(ends[1])})`;
  }
  if (problems.from || problems.to || !isCalendarDate(from) || !isCalendarDate(to))
    throw ResearchErrors.badRange(problems);
  if (from > to) throw ResearchErrors.badRange({ from: 'The "From" date must not be after the "To" date' });
  const tenYears = new Date(`${to}T00:00:00Z`);
  tenYears.setUTCFullYear(tenYears.getUTCFullYear() - MAX_RANGE_YEARS);
  if (from < dateOf(dayOfInstant(tenYears) + 1))
    throw ResearchErrors.badRange({
      from: `The "From" date must be at most ${MAX_RANGE_YEARS} years before the "To" date`,
    });
  return {
    from,
    to,
    firstQuarter: calendarQuarterOf(calendarQuarterStart(from)),
    lastQuarter: calendarQuarterOf(calendarQuarterStart(to)),
  };
}

/**
 * The last day of the latest quarter an export may reach on `now`: one that ended at least `graceDays` days
 * before, so late entries still count (the first export of a quarter fixes what it holds: see
 * research_quarters). A quarter is closed on the `graceDays + 1`th day after its last, and after the last day of
 * its last week: a quarter's records are those of the weeks whose Thursday is in it, so its last week can run up
 * to three days past its last day (2026-Q4's ends on Sunday 3 January 2027), and with fewer days of grace than
 * that its cut would be fixed while the week is still being written.
 */
export function latestClosedQuarterEnd(now: Date, graceDays: number): string {
  const today = dayOfInstant(now);
  // The quarter before the one holding today - graceDays ended, by the calendar, graceDays days ago or more.
  let start = calendarQuarterStart(dateOf(today - graceDays));
  while (lastWeekEnds(calendarQuarterOf(start - 1)) + graceDays >= today)
    start = calendarQuarterStart(dateOf(start - 1));
  return dateOf(start - 1);
}

/** The day number of the Sunday that ends a quarter's last week. */
const lastWeekEnds = (quarter: string): number => weeksOfQuarter(quarter).at(-1)!.monday + 6;

/** Refuses a range that reaches a quarter not yet closed (see latestClosedQuarterEnd), naming the latest `to` there is. */
export function checkClosed(range: ExportRange, now: Date, graceDays: number): void {
  const latest = latestClosedQuarterEnd(now, graceDays);
  if (range.to > latest)
    throw ResearchErrors.badRange({
      to:
        `The "To" date must be the last day of a quarter that ended, its last week included, at least ${graceDays} days ago, so that late ` +
        `entries count: the latest is ${latest} (${calendarQuarterOf(calendarQuarterStart(latest))})`,
    });
}

/** The range's quarters, first to last: `2025-Q1`, `2025-Q2`, … (the labels the records' weeks carry). */
export function quartersOf(range: ExportRange): string[] {
  const quarters = [range.firstQuarter];
  while (quarters[quarters.length - 1] !== range.lastQuarter) quarters.push(nextQuarter(quarters[quarters.length - 1]));
  return quarters;
}
