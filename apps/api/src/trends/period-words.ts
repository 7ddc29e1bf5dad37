import { dateOf, dayNumber, mondayOf } from '@praxis/common';

/**
 * What a person reads for a period and for the pressure–rung association. The
 * API and the pages' data keep the codes (`2026-01`, `2025-W49`, `2026-Q4`);
 * only the words on the page change.
 */

/** Month names as the pages write dates (view-filters.ts): January … December. */
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' });
const MONTHS = Array.from({ length: 12 }, (_, i) => MONTH.format(new Date(Date.UTC(2000, i, 1))));
const short = (month: number) => MONTHS[month].slice(0, 3);

/** Day, month (0-based) and year of a `YYYY-MM-DD` date. */
function parts(date: string): { day: number; month: number; year: number } {
  const [year, month, day] = date.split('-').map(Number);
  return { day, month: month - 1, year };
}

/** A week's days: "1–7 Dec", "26 Jan – 1 Feb", "29 Dec 2025 – 4 Jan 2026" (with the year where it changes, or when asked). */
function weekDays(year: number, week: number, withYear: boolean): string {
  const monday = mondayOf(dayNumber(`${year}-01-04`)) + (week - 1) * 7;
  const a = parts(dateOf(monday));
  const b = parts(dateOf(monday + 6));
  const tail = withYear ? ` ${b.year}` : '';
  if (a.year !== b.year) return `${a.day} ${short(a.month)} ${a.year} – ${b.day} ${short(b.month)} ${b.year}`;
  if (a.month !== b.month) return `${a.day} ${short(a.month)} – ${b.day} ${short(b.month)}${tail}`;
  return `${a.day}–${b.day} ${short(b.month)}${tail}`;
}

const quarterName = (year: number, quarter: number) =>
  `${short((quarter - 1) * 3)}–${short((quarter - 1) * 3 + 2)} ${year}`;

/** A period in words for a table: "January 2026", "Week 49, 2025 (1–7 Dec)", "Oct–Dec 2026". */
export function periodName(code: string): string {
  let m = /^(\d{4})-(\d{2})$/.exec(code);
  if (m) return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  m = /^(\d{4})-W(\d{2})$/.exec(code);
  if (m) return `Week ${Number(m[2])}, ${m[1]} (${weekDays(Number(m[1]), Number(m[2]), false)})`;
  m = /^(\d{4})-Q([1-4])$/.exec(code);
  if (m) return quarterName(Number(m[1]), Number(m[2]));
  return code;
}

/** A period in few words for a chart's axis: "Jan 2026", "1–7 Dec 2025", "Oct–Dec 2026". */
export function periodShortName(code: string): string {
  let m = /^(\d{4})-(\d{2})$/.exec(code);
  if (m) return `${short(Number(m[2]) - 1)} ${m[1]}`;
  m = /^(\d{4})-W(\d{2})$/.exec(code);
  if (m) return weekDays(Number(m[1]), Number(m[2]), true);
  return periodName(code);
}

export type AssociationWords =
  { shown: true; reading: string; spearman: string; slope: string } | { shown: false; reason: string };

const signed = (x: number) => String(x).replace('-', '−');

/**
 * The pressure–rung association in words: a plain reading of Spearman's ρ, the
 * figures beside it; or, where there is none, why.
 */
export function associationWords(
  association: { spearman: number | null; slope: number | null } | undefined,
  withheld: string[] = [],
): AssociationWords {
  if (withheld.includes('association'))
    return { shown: false, reason: 'Not shown: it would reveal a hidden pressure level' };
  const rho = association?.spearman ?? null;
  const slope = association?.slope ?? null;
  if (rho === null) {
    if (slope === null) return { shown: false, reason: 'None to read: every reflection was at the same pressure' };
    return { shown: false, reason: 'None to read: every reflection reached the same rung' };
  }
  const size = Math.abs(rho);
  const direction = rho < 0 ? 'more pressure, lower rungs' : 'more pressure, higher rungs';
  const reading =
    size < 0.1 ? 'No clear link' : `${size < 0.3 ? 'Weak' : size < 0.5 ? 'Moderate' : 'Strong'} link: ${direction}`;
  return { shown: true, reading, spearman: signed(rho), slope: slope === null ? '' : signed(slope) };
}
