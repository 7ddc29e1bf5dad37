import { ResearchErrors } from './research-errors';

export const MAX_RANGE_YEARS = 10;

export interface ExportRange {
  /** YYYY-MM-DD, inclusive: the dates reflections are about (their occurredOn). */
  from: string;
  to: string;
}

function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** `to` minus ten years, as a date: the earliest `from` allowed. */
function tenYearsBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - MAX_RANGE_YEARS);
  return d.toISOString().slice(0, 10);
}

/** Pure check of a requested range; throws a 400 naming the field. */
export function checkRange(from: unknown, to: unknown): ExportRange {
  if (!isCalendarDate(from)) throw ResearchErrors.badRange('from', 'must be a date written YYYY-MM-DD');
  if (!isCalendarDate(to)) throw ResearchErrors.badRange('to', 'must be a date written YYYY-MM-DD');
  if (from > to) throw ResearchErrors.badRange('from', 'must not be after to');
  if (from < tenYearsBefore(to)) throw ResearchErrors.badRange('from', `must be at most ${MAX_RANGE_YEARS} years before to`);
  return { from, to };
}
