import type { Environment } from 'nunjucks';
import { codeLabel } from '@praxis/journal';

/** Dates and times as a person writes them, in the organisation's time zone (Europe/London until organisations carry one). */
const ZONE = 'Europe/London';
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const MOMENT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: ZONE,
});

/** `2026-11-30` → "30 November 2026" (a calendar day has no time zone). */
export function formatDay(date: string | null | undefined): string {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return date ?? '';
  return DAY.format(new Date(`${date}T00:00:00Z`));
}

/** An instant → "30 November 2026, 14:05" in the organisation's zone. */
export function formatMoment(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return MOMENT.format(date).replace(' at ', ', ');
}

const given = (v: unknown) =>
  Array.isArray(v)
    ? v.length > 0
    : typeof v === 'string'
      ? v.trim() !== ''
      : v !== null && v !== undefined && v !== false;

/** `open` for a form section that holds an error or a value (comma-separated field names), so nothing typed or wrong is out of sight. */
export function sectionOpen(
  values: Record<string, unknown> | undefined,
  errors: Record<string, string> | undefined,
  names: string,
): string {
  const fields = names.split(',').map((n) => n.trim());
  return fields.some((f) => (errors && errors[f]) || given(values?.[f])) ? 'open' : '';
}

/**
 * The filters every page uses: `{{ r.ladderRung | label("ladderRung") }}` → "6. Co-design",
 * `{{ r.challenges | labels("challenges") }}` → "Time, Skills", `| day`, `| moment`.
 */
export function addViewFilters(env: Environment): Environment {
  env.addFilter('label', (code: string | null | undefined, field: string, withOrdinal = true) =>
    codeLabel(field, code, withOrdinal),
  );
  env.addFilter('labels', (codes: string[] | null | undefined, field: string) =>
    (codes ?? []).map((c) => codeLabel(field, c)).join(', '),
  );
  env.addFilter('day', formatDay);
  env.addFilter('moment', formatMoment);
  env.addFilter('sectionOpen', sectionOpen);
  return env;
}
