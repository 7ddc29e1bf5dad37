import { createHash } from 'node:crypto';
import { mondayOf, WeekInfo, weeksOfQuarter } from '@praxis/common';
import type { PracticeInput } from './practice-figures';
import { CellGrid, cellKey, Hidden, LEVELS, NO_TEAM, Relation, suppressAudited, teamGroup, TOTAL } from './suppression';

/** One reflection's part in the organisation read model: coded ordinals only, never text (practice fields: practice-figures.ts). */
export interface Contribution extends Partial<PracticeInput> {
  author: string;
  team: string | null;
  /** The day it happened, in days since 1970-01-01. */
  day: number;
  pressure: number;
  rung: number;
  aspired: number | null;
  challenges: readonly string[];
  principles: readonly string[];
}

const LEVEL_COUNT = LEVELS.length;

/**
 * Every cell of one quarter of one organisation — groups (the total, reflections
 * without a team, each team in id order) × periods (the quarter, its months, its
 * weeks) × levels (all, then pressure 1..4) — numbered (g·P + p)·5 + l, with
 * each cell's reflection count and authors (numbered in id order, listed
 * ascending), and the relations by which they add up.
 */
export class QuarterCube implements CellGrid {
  readonly weeks: WeekInfo[];
  readonly months: string[];
  readonly periods: string[];
  readonly groups: string[];
  /** Authors' ids, in id order: author a is authorIds[a]. */
  readonly authorIds: string[];
  readonly people: number;
  readonly size: number;
  readonly reflections: Int32Array;
  readonly authors: Int32Array;
  readonly start: Int32Array;
  readonly members: Int32Array;
  private relationList: Relation[] | undefined;
  private readonly periodIndex: Map<string, number>;
  private readonly groupIndex: Map<string, number>;
  /** Each row's own group (1 = no team, 2… = its team). */
  private readonly rowGroup: Int32Array;
  /** Per week of the quarter: its period index and its month's. */
  private readonly weekPeriod: number[];
  private readonly monthPeriod: number[];

  constructor(
    readonly quarter: string,
    readonly rows: readonly Contribution[],
  ) {
    this.weeks = weeksOfQuarter(quarter);
    this.months = [...new Set(this.weeks.map((w) => w.month))];
    this.periods = [quarter, ...this.months, ...this.weeks.map((w) => w.week)];
    this.periodIndex = new Map(this.periods.map((p, i) => [p, i]));
    this.monthPeriod = this.weeks.map((w) => 1 + this.months.indexOf(w.month));
    this.weekPeriod = this.weeks.map((_, i) => 1 + this.months.length + i);
    const teams = [...new Set(rows.map((r) => r.team).filter((t): t is string => t !== null))].sort();
    this.groups = [TOTAL, NO_TEAM, ...teams.map(teamGroup)];
    this.groupIndex = new Map(this.groups.map((g, i) => [g, i]));
    const groupOfTeam = new Map<string | null, number>([[null, 1], ...teams.map((t, i) => [t, 2 + i] as const)]);
    this.rowGroup = Int32Array.from(rows, (r) => groupOfTeam.get(r.team)!);
    this.authorIds = [...new Set(rows.map((r) => r.author))].sort();
    this.people = this.authorIds.length;
    const person = new Map(this.authorIds.map((p, i) => [p, i]));
    const P = this.periods.length;
    this.size = this.groups.length * P * LEVEL_COUNT;
    this.reflections = new Int32Array(this.size);
    this.authors = new Int32Array(this.size);
    const first = this.weeks[0].monday;
    // The 12 cells each row counts in: 2 groups (total, own) × 3 periods (quarter, month, week) × 2 levels (all, its own).
    const cellsOf = new Int32Array(rows.length * 12);
    const authorOf = new Int32Array(rows.length);
    const rowsOfAuthor = new Int32Array(this.people + 1);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const week = (mondayOf(row.day) - first) / 7;
      if (!(Number.isInteger(week) && week >= 0 && week < this.weeks.length))
        throw new Error(`day ${row.day} is not in ${quarter}`);
      const level = row.pressure;
      if (!(level >= 1 && level <= 4 && Number.isInteger(level))) throw new Error(`not a pressure level: ${level}`);
      const a = person.get(row.author)!;
      authorOf[r] = a;
      rowsOfAuthor[a + 1] += 1;
      let i = r * 12;
      for (const g of [0, this.rowGroup[r]]) {
        for (const p of [0, this.monthPeriod[week], this.weekPeriod[week]]) {
          const all = (g * P + p) * LEVEL_COUNT;
          cellsOf[i++] = all;
          cellsOf[i++] = all + level;
        }
      }
    }
    // Rows in author order (a counting sort), so each cell meets its authors ascending and a repeat is the one just seen.
    for (let a = 0; a < this.people; a++) rowsOfAuthor[a + 1] += rowsOfAuthor[a];
    const byAuthor = new Int32Array(rows.length);
    for (let r = 0; r < rows.length; r++) byAuthor[rowsOfAuthor[authorOf[r]]++] = r;
    const last = new Int32Array(this.size).fill(-1);
    for (const r of byAuthor) {
      for (let i = r * 12, end = i + 12; i < end; i++) {
        const c = cellsOf[i];
        this.reflections[c] += 1;
        if (last[c] !== authorOf[r]) ((last[c] = authorOf[r]), (this.authors[c] += 1));
      }
    }
    this.start = new Int32Array(this.size + 1);
    for (let c = 0; c < this.size; c++) this.start[c + 1] = this.start[c] + this.authors[c];
    this.members = new Int32Array(this.start[this.size]);
    const next = this.start.slice(0, this.size);
    last.fill(-1);
    for (const r of byAuthor) {
      for (let i = r * 12, end = i + 12; i < end; i++) {
        const c = cellsOf[i];
        if (last[c] !== authorOf[r]) ((last[c] = authorOf[r]), (this.members[next[c]++] = authorOf[r]));
      }
    }
  }

  cell(group: number, period: number, level: number): number {
    return (group * this.periods.length + period) * LEVEL_COUNT + level;
  }

  /** The elementary cells: a team or no team, a week, a level. */
  get elements(): Int32Array {
    const out: number[] = [];
    for (let g = 1; g < this.groups.length; g++)
      for (const w of this.weekPeriod) for (let l = 1; l < LEVEL_COUNT; l++) out.push(this.cell(g, w, l));
    return Int32Array.from(out);
  }

  /** The cells an elementary cell counts in: its group and the total × its week, month and quarter × its level and all levels. */
  containing(element: number): number[] {
    const level = element % LEVEL_COUNT;
    const gp = (element - level) / LEVEL_COUNT;
    const P = this.periods.length;
    const [g, p] = [Math.floor(gp / P), gp % P];
    const month = this.monthPeriod[this.weekPeriod.indexOf(p)];
    const out: number[] = [];
    for (const gg of [g, 0]) for (const pp of [p, month, 0]) for (const l of [level, 0]) out.push(this.cell(gg, pp, l));
    return out;
  }

  /** A group's number, or -1 when nobody in the quarter belongs to it. */
  group(label: string): number {
    return this.groupIndex.get(label) ?? -1;
  }

  period(label: string): number {
    const p = this.periodIndex.get(label);
    if (p === undefined) throw new Error(`${label} is not a period of ${this.quarter}`);
    return p;
  }

  /** A cell's name (group|period|level). */
  key(cell: number): string {
    const level = cell % LEVEL_COUNT;
    const gp = (cell - level) / LEVEL_COUNT;
    const P = this.periods.length;
    return cellKey(this.groups[Math.floor(gp / P)], this.periods[gp % P], level);
  }

  /** The rows of one group (0 = all), by period. */
  rowsByPeriod(group: number): Contribution[][] {
    const byPeriod: Contribution[][] = this.periods.map(() => []);
    const first = this.weeks[0].monday;
    for (let r = 0; r < this.rows.length; r++) {
      if (group !== 0 && this.rowGroup[r] !== group) continue;
      const row = this.rows[r];
      const week = (mondayOf(row.day) - first) / 7;
      byPeriod[0].push(row);
      byPeriod[this.monthPeriod[week]].push(row);
      byPeriod[this.weekPeriod[week]].push(row);
    }
    return byPeriod;
  }

  /** What suppression reads, as a digest: equal digests, equal hidden cells. */
  digest(k: number): string {
    return createHash('sha256')
      .update(`${this.quarter}|${k}|${this.groups.join(',')}|${this.people}|`)
      .update(new Uint8Array(this.reflections.buffer))
      .update(new Uint8Array(this.start.buffer))
      .update(new Uint8Array(this.members.buffer))
      .digest('base64');
  }

  /** total = Σ groups; quarter = Σ months; month = Σ its weeks; all levels = Σ levels. */
  get relations(): Relation[] {
    // Only suppression reads them: a quarter whose answer is remembered never builds them.
    return (this.relationList ??= this.relationsOf());
  }

  private relationsOf(): Relation[] {
    const G = this.groups.length;
    const relations: Relation[] = [];
    const weeksOf = this.months.map((_, m) => this.weekPeriod.filter((_, w) => this.monthPeriod[w] === 1 + m));
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    for (const level of LEVELS) {
      for (let p = 0; p < this.periods.length; p++) {
        relations.push({ whole: this.cell(0, p, level), parts: range(1, G).map((g) => this.cell(g, p, level)) });
      }
      for (let g = 0; g < G; g++) {
        relations.push({ whole: this.cell(g, 0, level), parts: this.months.map((_, m) => this.cell(g, 1 + m, level)) });
        weeksOf.forEach((weeks, m) =>
          relations.push({ whole: this.cell(g, 1 + m, level), parts: weeks.map((p) => this.cell(g, p, level)) }),
        );
      }
    }
    for (let g = 0; g < G; g++) {
      for (let p = 0; p < this.periods.length; p++)
        relations.push({ whole: this.cell(g, p, 0), parts: [1, 2, 3, 4].map((l) => this.cell(g, p, l)), levels: true });
    }
    return relations;
  }
}

/**
 * Remembers which cells of a quarter are hidden, by the digest of what
 * suppression reads (every cell's reflections and authors): a quarter nobody
 * changed is not solved again, and any change to it misses.
 */
export class SuppressionCache {
  private readonly entries = new Map<string, Hidden>();
  constructor(private readonly capacity = 2000) {}

  hidden(cube: QuarterCube, k: number): Hidden {
    const key = cube.digest(k);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const hidden = suppressAudited(cube, k);
    this.entries.set(key, hidden);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return hidden;
  }
}

/** Every cell of a quarter by name, with its authors, and which of them are hidden (for tests and the attacker). */
export function quarterTable(quarter: string, rows: readonly Contribution[], k: number) {
  const cube = new QuarterCube(quarter, rows);
  const hiddenCells = suppressAudited(cube, k);
  const cells = new Map<string, { authors: Set<string>; reflections: number }>();
  const hidden = new Set<string>();
  for (let c = 0; c < cube.size; c++) {
    const authors = new Set(
      Array.from(cube.members.subarray(cube.start[c], cube.start[c + 1]), (a) => cube.authorIds[a]),
    );
    cells.set(cube.key(c), { authors, reflections: cube.reflections[c] });
    if (hiddenCells[c]) hidden.add(cube.key(c));
  }
  return { cells, hidden };
}
