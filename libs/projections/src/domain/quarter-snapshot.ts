import { dateOf, dayNumber, Granularity, periodsOfQuarter, weeksOfQuarter } from '@praxis/common';
import { Contribution, QuarterCube, SuppressionCache } from './quarter-cube';
import { suppressAudited, TOTAL } from './suppression';
import { shownFigures, TrendPeriod } from './trend-table';

/**
 * What leaders see of one quarter of one organisation, fixed once: for the
 * organisation (`*`) and each team with reflections in the quarter, the shown
 * periods of every granularity (the quarter, its months, its weeks), each as
 * the JSON text of its figures — text, so the answer is byte-identical
 * however the snapshot is stored (JSONB reorders keys). Periods not listed
 * are hidden. Only figures from k people or more are in it: anonymous
 * aggregates, nothing personal.
 */
export type QuarterShown = Record<string, Record<string, string>>;

export const ORGANISATION = '*';

/** The first and last day of a quarter's weeks. */
export function quarterSpan(quarter: string): { first: number; last: number } {
  const weeks = weeksOfQuarter(quarter);
  return { first: weeks[0].monday, last: weeks[weeks.length - 1].monday + 6 };
}

/** The day leaders first see a quarter: the day after its last day plus the grace. */
export const appearsOn = (quarter: string, publishAfterDays: number): number =>
  quarterSpan(quarter).last + publishAfterDays + 1;

/** Every shown period of the quarter, for the organisation and each team (`rows`: the quarter's contributions). */
export function snapshotOf(
  quarter: string,
  rows: readonly Contribution[],
  k: number,
  cache?: SuppressionCache,
): QuarterShown {
  const cube = new QuarterCube(quarter, rows);
  const hidden = cache ? cache.hidden(cube, k) : suppressAudited(cube, k);
  const teams = cube.groups.filter((g) => g.startsWith('t:'));
  const shown: QuarterShown = {};
  for (const [label, periods] of shownFigures(cube, hidden, [TOTAL, ...teams])) {
    if (periods.size === 0) continue;
    const byPeriod: Record<string, string> = {};
    for (const [period, figures] of periods) byPeriod[period] = JSON.stringify(figures);
    shown[label === TOTAL ? ORGANISATION : label.slice(2)] = byPeriod;
  }
  return shown;
}

/** The periods of one granularity of a published quarter that meet [from, to], for the organisation or a team. */
export function publishedPeriods(
  shown: QuarterShown,
  quarter: string,
  granularity: Granularity,
  from: number,
  to: number,
  team?: string,
): TrendPeriod[] {
  const ofGroup = shown[team ?? ORGANISATION] ?? {};
  return spans(quarter, granularity, from, to).map((span) => {
    const figures = ofGroup[span.period];
    return figures === undefined
      ? { ...span, suppressed: true }
      : { ...span, suppressed: false, ...(JSON.parse(figures) as Partial<TrendPeriod>) };
  });
}

/** The periods of a quarter not yet published: no figures, only when they will appear. */
export function openPeriods(
  quarter: string,
  granularity: Granularity,
  from: number,
  to: number,
  appears: number,
): TrendPeriod[] {
  return spans(quarter, granularity, from, to).map((span) => ({
    ...span,
    suppressed: true,
    open: true,
    appearsOn: dateOf(appears),
  }));
}

function spans(
  quarter: string,
  granularity: Granularity,
  from: number,
  to: number,
): { period: string; starts: string; ends: string }[] {
  return periodsOfQuarter(quarter, granularity)
    .filter((s) => dayNumber(s.ends) >= from && dayNumber(s.starts) <= to)
    .map(({ period, starts, ends }) => ({ period, starts, ends }));
}
