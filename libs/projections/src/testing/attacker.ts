import { GRANULARITIES, mondayOf, weekInfo, WeekInfo } from '@praxis/common';
import { pinnedByBounds, RowSpace, SparseRow } from '../domain/linear-system';
import { Contribution } from '../domain/quarter-cube';
import { TrendPeriod } from '../domain/trend-table';

/**
 * The attacker: a leader who asks for every granularity, the organisation and
 * each team, writes every published number as an equation over the
 * elementary cells (one team or no team × one ISO week × one pressure level),
 * and solves the whole system exactly — counts with their pressure-weighted
 * sums (mean pressure, and Σ pressure² behind ρ and the slope), rung sums with
 * Σ pressure × rung (the slope) — and what integrality adds (counts are whole
 * numbers ≥ 0). Written from the product rule, not from the engine:
 * it reads only the answers.
 *
 * Returns every cell (organisation, no team or a team; quarter, month or
 * week; all levels or one) from fewer than k people whose count or rung sum
 * the answers pin down, and every shown figure from fewer than k people
 * ("shown: …"): the privacy rule's breaches.
 */
export type Answers = (granularity: 'week' | 'month' | 'quarter', team: string | undefined) => TrendPeriod[];

export function breaches(rows: readonly Contribution[], answers: Answers, k: number): string[] {
  const teams = [...new Set(rows.map((r) => r.team).filter((t): t is string => t !== null))].sort();
  const weekOf = (r: Contribution): WeekInfo => weekInfo(mondayOf(r.day));
  // Elementary cells with reflections are the unknowns; empty ones are known zeros.
  const unknown = new Map<string, number>();
  const truth: { count: number; rung: number }[] = [];
  const elementary = (r: Contribution) => `${r.team ?? '-'}|${weekOf(r).week}|${r.pressure}`;
  for (const r of rows) {
    const key = elementary(r);
    if (!unknown.has(key)) unknown.set(key, truth.push({ count: 0, rung: 0 }) - 1);
    truth[unknown.get(key)!].count += 1;
    truth[unknown.get(key)!].rung += r.rung;
  }
  /** The elementary unknowns of a cell (a group: undefined = all, null = no team), weighted per level. */
  const form = (
    group: string | null | undefined,
    period: string,
    level: number,
    weight: (l: number) => number = () => 1,
  ): SparseRow => {
    const row: SparseRow = new Map();
    for (const r of rows) {
      if (group !== undefined && r.team !== group) continue;
      const w = weekOf(r);
      if (![w.week, w.month, w.quarter].includes(period) || (level && r.pressure !== level)) continue;
      row.set(unknown.get(elementary(r))!, weight(r.pressure));
    }
    return row;
  };
  const counts: SparseRow[] = [];
  const rungs: SparseRow[] = [];
  const found: string[] = [];
  const people = (group: string | null | undefined, period: string, level: number) =>
    new Set(
      rows
        .filter(
          (r) =>
            (group === undefined || r.team === group) &&
            [weekOf(r).week, weekOf(r).month, weekOf(r).quarter].includes(period) &&
            (!level || r.pressure === level),
        )
        .map((r) => r.author),
    ).size;
  for (const team of [undefined, ...teams]) {
    for (const granularity of GRANULARITIES) {
      for (const p of answers(granularity, team)) {
        if (p.suppressed) continue;
        if (people(team, p.period, 0) < k) found.push(`shown: ${team ?? '*'}|${p.period}|0`);
        counts.push(form(team, p.period, 0));
        if (p.meanRung !== null) rungs.push(form(team, p.period, 0));
        if (p.meanPressure !== null) counts.push(form(team, p.period, 0, (l) => l));
        if (p.association && (p.association.slope !== null || p.association.spearman !== null)) {
          counts.push(form(team, p.period, 0, (l) => l * l));
          rungs.push(form(team, p.period, 0, (l) => l));
        }
        for (const cell of p.pressureByRung ?? []) {
          if (cell.suppressed) continue;
          if (people(team, p.period, cell.ordinal) < k) found.push(`shown: ${team ?? '*'}|${p.period}|${cell.ordinal}`);
          counts.push(form(team, p.period, cell.ordinal));
          if (cell.meanRung !== null && cell.meanRung !== undefined) rungs.push(form(team, p.period, cell.ordinal));
        }
      }
    }
  }
  const countSpace = withBounds(counts, (c) => truth[c].count);
  const rungSpace = new RowSpace(rungs);
  const periods = [...new Set(rows.flatMap((r) => [weekOf(r).week, weekOf(r).month, weekOf(r).quarter]))];
  for (const group of [undefined, null, ...teams]) {
    for (const period of periods) {
      for (const level of [0, 1, 2, 3, 4]) {
        const cell = form(group, period, level);
        const n = people(group, period, level);
        if (cell.size === 0 || n >= k) continue;
        const name = `${group === undefined ? '*' : (group ?? 'none')}|${period}|${level}`;
        if (countSpace.contains(cell)) found.push(`count: ${name}`);
        if (rungSpace.contains(cell)) found.push(`rung sum: ${name}`);
      }
    }
  }
  return found;
}

/**
 * The count system, with what bounds add: counts are whole numbers ≥ 0, so
 * each published sum bounds its unknowns; bounds are tightened to a fixed
 * point (with what rank pins taken as known), and whatever they pin becomes
 * an equation — then solve again until nothing more is learnt.
 */
function withBounds(rows: SparseRow[], value: (c: number) => number): RowSpace {
  const known = new Set<number>();
  for (;;) {
    const space = new RowSpace([...rows, ...[...known].map((c) => new Map([[c, 1]]))]);
    const before = known.size;
    const solved = new Set(
      [...new Set(rows.flatMap((row) => [...row.keys()]))].filter((c) => space.contains(new Map([[c, 1]]))),
    );
    // A solved unknown is a constant: take it out of each sum (the sum's value drops by as much; pinnedByBounds reads true values).
    const rest = rows.map((row) => new Map([...row].filter(([c]) => !solved.has(c))));
    for (const c of pinnedByBounds(rest, value)) if (!solved.has(c)) known.add(c);
    if (known.size === before) return space;
  }
}
