import { CHALLENGE_CODES, PRESSURE, PRINCIPLE_CODES } from '@praxis/journal';
import { dayNumber, Granularity, mondayOf, periodsOfQuarter, quartersBetween, weekInfo, WeekInfo, weeksOfQuarter } from './periods';
import { mean, round, slope, spearman } from './statistics';
import { CellCounts, cellKey, LEVELS, NO_TEAM, relationsOf, suppressAudited, teamGroup, TOTAL } from './suppression';

/** One reflection's part in the organisation read model: coded ordinals only, never text. */
export interface Contribution {
  author: string;
  team: string | null;
  occurredOn: string;
  pressure: number;
  rung: number;
  aspired: number | null;
  challenges: readonly string[];
  principles: readonly string[];
}

export interface PressureCell {
  pressure: string;
  ordinal: number;
  suppressed: boolean;
  count?: number;
  meanRung?: number | null;
  challenges?: Record<string, number>;
}

export interface TrendPeriod {
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
}

interface Cell extends CellCounts {
  authors: Set<string>;
  reflections: number;
  rows: Contribution[];
}

export interface TrendRequest {
  granularity: Granularity;
  from: string;
  to: string;
  /** A team's id, or undefined for the whole organisation. */
  team?: string;
  k: number;
}

const weeksByDate = new Map<string, WeekInfo>();

/** The week holding a date, remembered (a request reads a few hundred distinct dates over and over). */
function weekOfDate(date: string): WeekInfo {
  let info = weeksByDate.get(date);
  if (info === undefined) {
    if (weeksByDate.size >= 20_000) weeksByDate.clear();
    info = weekInfo(mondayOf(dayNumber(date)));
    weeksByDate.set(date, info);
  }
  return info;
}

/** The first and last day of the quarters a request touches: the rows it needs. */
export function rowWindow(from: string, to: string): { first: string; last: string } {
  const quarters = quartersBetween(from, to);
  const first = weeksOfQuarter(quarters[0])[0].monday;
  const lastWeeks = weeksOfQuarter(quarters[quarters.length - 1]);
  return { first: new Date(first * 86_400_000).toISOString().slice(0, 10), last: new Date((lastWeeks[lastWeeks.length - 1].monday + 6) * 86_400_000).toISOString().slice(0, 10) };
}

/**
 * The periods of a request, each over its whole span (a range that cuts a
 * period in half still gets the whole period), with suppression decided per
 * quarter over every cell (see suppression.ts). `rows` must cover rowWindow().
 */
export function trendPeriods(rows: readonly Contribution[], request: TrendRequest, cache?: SuppressionCache): TrendPeriod[] {
  const from = dayNumber(request.from);
  const to = dayNumber(request.to);
  const byQuarter = new Map<string, Contribution[]>();
  for (const row of rows) {
    const quarter = weekOfDate(row.occurredOn).quarter;
    const list = byQuarter.get(quarter);
    if (list) list.push(row);
    else byQuarter.set(quarter, [row]);
  }
  const group = request.team === undefined ? TOTAL : teamGroup(request.team);
  const periods: TrendPeriod[] = [];
  for (const quarter of quartersBetween(request.from, request.to)) {
    const { cells, hidden } = quarterTable(quarter, byQuarter.get(quarter) ?? [], request.k, request.team, cache);
    for (const span of periodsOfQuarter(quarter, request.granularity)) {
      if (dayNumber(span.ends) < from || dayNumber(span.starts) > to) continue;
      const key = (level: number) => cellKey(group, span.period, level);
      const base = { period: span.period, starts: span.starts, ends: span.ends };
      if (hidden.has(key(0))) periods.push({ ...base, suppressed: true });
      else periods.push({ ...base, suppressed: false, ...describe(cells.get(key(0))!, (level) => (hidden.has(key(level)) ? undefined : cells.get(key(level))!)) });
    }
  }
  return periods;
}

/** Every cell of a quarter, and which of them are hidden. */
export function quarterTable(quarter: string, rows: readonly Contribution[], k: number, extraTeam?: string, cache?: SuppressionCache) {
  const weeks = weeksOfQuarter(quarter);
  const months = new Map<string, string[]>();
  for (const w of weeks) months.set(w.month, [...(months.get(w.month) ?? []), w.week]);
  const groups = new Set<string>([TOTAL, NO_TEAM]);
  if (extraTeam !== undefined) groups.add(teamGroup(extraTeam));
  for (const row of rows) groups.add(row.team === null ? NO_TEAM : teamGroup(row.team));
  const cells = new Map<string, Cell>();
  const periodLabels = [quarter, ...months.keys(), ...weeks.map((w) => w.week)];
  for (const g of groups) for (const p of periodLabels) for (const l of LEVELS) cells.set(cellKey(g, p, l), { authors: new Set(), reflections: 0, rows: [] });
  // The 15 cells (week, month, quarter × every level, then levels 1..4) a row of one group in one week adds to.
  const slots = new Map<string, Map<WeekInfo, Cell[]>>();
  const slotOf = (group: string, info: WeekInfo): Cell[] => {
    let ofGroup = slots.get(group);
    if (ofGroup === undefined) slots.set(group, (ofGroup = new Map()));
    let slot = ofGroup.get(info);
    if (slot === undefined) {
      slot = [];
      for (const label of [info.week, info.month, info.quarter]) for (const l of LEVELS) slot.push(cells.get(cellKey(group, label, l))!);
      ofGroup.set(info, slot);
    }
    return slot;
  };
  const groupOfTeam = new Map<string | null, string>();
  const add = (cell: Cell, row: Contribution) => {
    cell.authors.add(row.author);
    cell.reflections += 1;
    cell.rows.push(row);
  };
  for (const row of rows) {
    const info = weekOfDate(row.occurredOn);
    if (!(row.pressure >= 1 && row.pressure <= 4 && Number.isInteger(row.pressure))) throw new Error(`not a pressure level: ${row.pressure}`);
    let own = groupOfTeam.get(row.team);
    if (own === undefined) groupOfTeam.set(row.team, (own = row.team === null ? NO_TEAM : teamGroup(row.team)));
    for (const slot of [slotOf(TOTAL, info), slotOf(own, info)]) {
      for (let p = 0; p < 15; p += 5) {
        add(slot[p], row);
        add(slot[p + row.pressure], row);
      }
    }
  }
  const key = cache && `${quarter}|${k}|${extraTeam ?? ''}|${fingerprint(rows)}`;
  const hidden = (key && cache!.get(key)) || suppressAudited(cells, relationsOf([...groups], { quarter, months }), k);
  if (key) cache!.set(key, hidden);
  return { cells, hidden };
}

/**
 * Remembers which cells of a quarter are hidden, by the quarter's data: a
 * quarter nobody changed is not solved again. The key covers everything
 * suppression reads (author, team, week, pressure of every row), so any
 * change to the quarter misses the cache.
 */
export class SuppressionCache {
  private readonly entries = new Map<string, Set<string>>();
  constructor(private readonly capacity = 2000) {}
  get(key: string): Set<string> | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  /** The same cache, with every key scoped to one organisation. */
  forOrganisation(organisationId: string): SuppressionCache {
    const scoped = Object.create(this) as SuppressionCache;
    scoped.get = (key) => this.get(`${organisationId}|${key}`);
    scoped.set = (key, value) => this.set(`${organisationId}|${key}`, value);
    return scoped;
  }

  set(key: string, value: Set<string>): void {
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** An order-independent digest of what suppression reads from the rows. */
function fingerprint(rows: readonly Contribution[]): string {
  const lanes = [0, 0, 0, 0];
  for (const row of rows) {
    const text = `${row.author}|${row.team ?? ''}|${weekOfDate(row.occurredOn).monday}|${row.pressure}`;
    for (let lane = 0; lane < 4; lane++) {
      let h = 0x811c9dc5 ^ (lane * 0x9e3779b9);
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ (h >>> 12);
      lanes[lane] = (lanes[lane] + (h >>> 0)) % 0x100000000;
    }
  }
  return `${rows.length}:${lanes.map((l) => l.toString(36)).join('.')}`;
}

const countCodes = (rows: readonly Contribution[], codes: readonly string[], pick: (r: Contribution) => readonly string[]) => {
  const counts: Record<string, number> = Object.fromEntries(codes.map((c) => [c, 0]));
  for (const row of rows) for (const code of pick(row)) if (code in counts) counts[code] += 1;
  return counts;
};

function describe(cell: Cell, level: (ordinal: number) => Cell | undefined): Omit<TrendPeriod, 'period' | 'starts' | 'ends' | 'suppressed'> {
  const rows = cell.rows;
  const pressures = rows.map((r) => r.pressure);
  const rungs = rows.map((r) => r.rung);
  const gaps = rows.filter((r) => r.aspired !== null).map((r) => r.aspired! - r.rung);
  return {
    reflections: cell.reflections,
    authors: cell.authors.size,
    meanPressure: round(mean(pressures)),
    meanRung: round(mean(rungs)),
    doingWithShare: round(rows.filter((r) => r.rung >= 6).length / rows.length, 3),
    meanGap: round(mean(gaps)),
    challenges: countCodes(rows, CHALLENGE_CODES, (r) => r.challenges),
    principles: countCodes(rows, PRINCIPLE_CODES, (r) => r.principles),
    pressureByRung: PRESSURE.codes.map((info) => {
      const ordinal = info.ordinal!;
      const sub = level(ordinal);
      if (!sub) return { pressure: info.code, ordinal, suppressed: true };
      return {
        pressure: info.code,
        ordinal,
        suppressed: false,
        count: sub.reflections,
        meanRung: round(mean(sub.rows.map((r) => r.rung))),
        challenges: countCodes(sub.rows, CHALLENGE_CODES, (r) => r.challenges),
      };
    }),
    association: { spearman: round(spearman(pressures, rungs), 3), slope: round(slope(pressures, rungs), 3), n: rows.length },
  };
}
