import { CHALLENGE_CODES, PRESSURE, PRINCIPLE_CODES } from '@praxis/journal';
import { dateOf, dayNumber, Granularity, periodsOfQuarter, quartersBetween, weeksOfQuarter } from '@praxis/common';
import { PracticeFigures, practiceFiguresByLevel } from './practice-figures';
import { Contribution, QuarterCube, SuppressionCache } from './quarter-cube';
import { withheldFields } from './published-figures';
import { round, slope, spearman } from './statistics';
import { Hidden, suppressAudited, teamGroup, TOTAL } from './suppression';

export interface PressureCell extends Partial<PracticeFigures> {
  pressure: string;
  ordinal: number;
  suppressed: boolean;
  count?: number;
  meanRung?: number | null;
  challenges?: Record<string, number>;
}

/** Embedding, advocacy and lived experience (practice-figures.ts) are published with a cell exactly as its challenge counts are. */
export interface TrendPeriod extends Partial<PracticeFigures> {
  period: string;
  starts: string;
  ends: string;
  suppressed: boolean;
  reflections?: number;
  authors?: number;
  meanPressure?: number | null;
  meanRung?: number | null;
  doingWithShare?: number | null;
  meanGap?: number | null;
  challenges?: Record<string, number>;
  principles?: Record<string, number>;
  pressureByRung?: PressureCell[];
  association?: { spearman: number | null; slope: number | null; n: number };
  /** Figures left null because a pressure level of the period is hidden (they would reveal it; see published-figures.ts). */
  withheld?: string[];
  /** Not yet published: its quarter has not ended, or the grace after it has not passed. */
  open?: boolean;
  /** The day an open period will first be shown (YYYY-MM-DD). */
  appearsOn?: string;
}

export interface TrendRequest {
  granularity: Granularity;
  from: string;
  to: string;
  /** A team's id, or undefined for the whole organisation. */
  team?: string;
  k: number;
}

/** The first and last day of the quarters a request touches: the rows it needs. */
export function rowWindow(from: string, to: string): { first: string; last: string } {
  const quarters = quartersBetween(from, to);
  const lastWeeks = weeksOfQuarter(quarters[quarters.length - 1]);
  return {
    first: dateOf(weeksOfQuarter(quarters[0])[0].monday),
    last: dateOf(lastWeeks[lastWeeks.length - 1].monday + 6),
  };
}

/**
 * The periods of a request, each over its whole span (a range that cuts a
 * period in half still gets the whole period), with suppression decided per
 * quarter over every cell (see suppression.ts). `rows` must cover rowWindow().
 */
export function trendPeriods(
  rows: readonly Contribution[],
  request: TrendRequest,
  cache?: SuppressionCache,
): TrendPeriod[] {
  const from = dayNumber(request.from);
  const to = dayNumber(request.to);
  const quarters = quartersBetween(request.from, request.to).map((quarter) => {
    const weeks = weeksOfQuarter(quarter);
    return { quarter, first: weeks[0].monday, last: weeks[weeks.length - 1].monday + 6, rows: [] as Contribution[] };
  });
  for (const row of rows) {
    const home = quarters.find((q) => row.day >= q.first && row.day <= q.last);
    if (home) home.rows.push(row);
  }
  const label = request.team === undefined ? TOTAL : teamGroup(request.team);
  const periods: TrendPeriod[] = [];
  for (const { quarter, rows: ofQuarter } of quarters) {
    const cube = new QuarterCube(quarter, ofQuarter);
    const hidden = cache ? cache.hidden(cube, request.k) : suppressAudited(cube, request.k);
    const group = cube.group(label);
    const byPeriod = group < 0 ? [] : cube.rowsByPeriod(group);
    for (const span of periodsOfQuarter(quarter, request.granularity)) {
      if (dayNumber(span.ends) < from || dayNumber(span.starts) > to) continue;
      const base = { period: span.period, starts: span.starts, ends: span.ends };
      const p = cube.period(span.period);
      if (group < 0 || hidden[cube.cell(group, p, 0)]) {
        periods.push({ ...base, suppressed: true });
        continue;
      }
      const shownLevel = (level: number) => !hidden[cube.cell(group, p, level)];
      periods.push({
        ...base,
        suppressed: false,
        ...describe(byPeriod[p], cube.authors[cube.cell(group, p, 0)], shownLevel),
      });
    }
  }
  return periods;
}

/**
 * Every shown period of a quarter (the quarter, its months, its weeks) for
 * each of `groups` (labels: TOTAL or teamGroup(id)), from one cube and one
 * suppression: what publication needs, without building the cube per view.
 */
export function shownFigures(
  cube: QuarterCube,
  hidden: Hidden,
  groups: readonly string[],
): Map<string, Map<string, Figures>> {
  const out = new Map<string, Map<string, Figures>>();
  for (const label of groups) {
    const group = cube.group(label);
    const shown = new Map<string, Figures>();
    out.set(label, shown);
    if (group < 0) continue;
    const byPeriod = cube.rowsByPeriod(group);
    cube.periods.forEach((period, p) => {
      if (hidden[cube.cell(group, p, 0)]) return;
      shown.set(
        period,
        describe(byPeriod[p], cube.authors[cube.cell(group, p, 0)], (level) => !hidden[cube.cell(group, p, level)]),
      );
    });
  }
  return out;
}

/** A shown period's figures (everything but its name, span and `suppressed`). */
export type Figures = Omit<TrendPeriod, 'period' | 'starts' | 'ends' | 'suppressed'>;

const CHALLENGE_INDEX = new Map<string, number>(CHALLENGE_CODES.map((code, i) => [code, i]));
const PRINCIPLE_INDEX = new Map<string, number>(PRINCIPLE_CODES.map((code, i) => [code, i]));

/** Counts by code, every code listed (zeros too), in the codebook's order. */
const named = (codes: readonly string[], counts: ArrayLike<number>, offset = 0): Record<string, number> => {
  const out: Record<string, number> = {};
  codes.forEach((code, i) => (out[code] = counts[offset + i]));
  return out;
};

/** A shown period's figures, from its rows in one pass; a pressure level's only where that level is shown. */
function describe(rows: readonly Contribution[], authors: number, shownLevel: (ordinal: number) => boolean): Figures {
  const C = CHALLENGE_CODES.length;
  const n = rows.length;
  const pressures = new Array<number>(n);
  const rungs = new Array<number>(n);
  let pressureSum = 0;
  let doingWith = 0;
  let gapSum = 0;
  let gaps = 0;
  const levelCount = [0, 0, 0, 0, 0];
  const levelRungSum = [0, 0, 0, 0, 0];
  const challenges = new Array<number>(5 * C).fill(0); // level 0 = all, then 1..4
  const principles = new Array<number>(PRINCIPLE_CODES.length).fill(0);
  rows.forEach((row, i) => {
    pressures[i] = row.pressure;
    rungs[i] = row.rung;
    pressureSum += row.pressure;
    if (row.rung >= 6) doingWith += 1;
    if (row.aspired !== null) ((gapSum += row.aspired - row.rung), (gaps += 1));
    levelCount[row.pressure] += 1;
    levelRungSum[row.pressure] += row.rung;
    for (const code of row.challenges) {
      const c = CHALLENGE_INDEX.get(code);
      if (c !== undefined) ((challenges[c] += 1), (challenges[row.pressure * C + c] += 1));
    }
    for (const code of row.principles) {
      const c = PRINCIPLE_INDEX.get(code);
      if (c !== undefined) principles[c] += 1;
    }
  });
  let rungSum = 0;
  for (let l = 1; l <= 4; l++) rungSum += levelRungSum[l];
  const practice = practiceFiguresByLevel(rows);
  const withheld = withheldFields([1, 2, 3, 4].every((l) => shownLevel(l) || levelCount[l] === 0));
  const shown = (field: string) => !withheld.includes(field);
  return {
    reflections: n,
    authors,
    meanPressure: shown('meanPressure') ? round(n ? pressureSum / n : null) : null,
    meanRung: round(n ? rungSum / n : null),
    doingWithShare: round(doingWith / n, 3),
    meanGap: round(gaps ? gapSum / gaps : null),
    challenges: named(CHALLENGE_CODES, challenges),
    principles: named(PRINCIPLE_CODES, principles),
    pressureByRung: PRESSURE.codes.map((info) => {
      const ordinal = info.ordinal!;
      if (!shownLevel(ordinal)) return { pressure: info.code, ordinal, suppressed: true };
      const count = levelCount[ordinal];
      return {
        pressure: info.code,
        ordinal,
        suppressed: false,
        count,
        meanRung: round(count ? levelRungSum[ordinal] / count : null),
        challenges: named(CHALLENGE_CODES, challenges, ordinal * C),
        ...practice[ordinal],
      };
    }),
    association: shown('association')
      ? { spearman: round(spearman(pressures, rungs), 3), slope: round(slope(pressures, rungs), 3), n }
      : { spearman: null, slope: null, n },
    ...practice[0],
    ...(withheld.length ? { withheld } : {}),
  };
}
