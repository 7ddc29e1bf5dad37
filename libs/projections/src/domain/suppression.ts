/**
 * Which cells of one quarter a leader may see. Suppression is decided per
 * quarter over every cell at once — all groups (the organisation total, each
 * team, and reflections without a team), all periods (the quarter, its months,
 * its weeks) and all pressure levels (all levels, and each one) — never per
 * request, so no choice of filters, granularity or date range changes what is
 * hidden, and the answers to different requests cannot be played off each other.
 *
 * Every cell is the exact sum of its parts along three kinds of relation:
 * total = Σ groups, quarter = Σ months and month = Σ weeks, all levels = Σ
 * levels. The primary rule hides every cell from fewer than k distinct authors.
 * Then, until nothing changes, in every relation:
 *   - no cell with reflections may be the only hidden one (it would be the
 *     whole minus the parts, or the parts added up);
 *   - when the whole is shown, the hidden parts together must come from at
 *     least k authors (their sum is the whole minus the shown parts).
 * The cell hidden next is the shown part with the fewest authors, or else the
 * whole. An empty cell is hidden too (it is below k) but protects no one, so
 * recovering its zero teaches nothing and it counts as known.
 *
 * Cells are numbered (see CellGrid) and each cell lists its authors by number,
 * so a quarter is solved in a few milliseconds, in memory that grows with the
 * reflections, not with teams × people.
 */
import { pinnedByBounds, solveExactly, SparseRow } from './linear-system';
import { SystemShape, systemShapes, weightOf } from './published-figures';

export const TOTAL = '*';
export const NO_TEAM = 'none';
export const teamGroup = (teamId: string): string => `t:${teamId}`;
/** 0 = every pressure level; 1..4 = that level. */
export const LEVELS = [0, 1, 2, 3, 4] as const;

/** A cell's name, for people and tests: group, period label, level. */
export const cellKey = (group: string, period: string, level: number): string => `${group}|${period}|${level}`;

/** One way cells add up: the whole is the sum of the parts. */
export interface Relation {
  whole: number;
  parts: readonly number[];
  /** The parts are the whole's pressure levels 1..4, in order (weighted sums are taken over them). */
  levels?: boolean;
}

/** The cells of one quarter as the rules see them: how many reflections, from whom, and how they add up. */
export interface CellGrid {
  readonly size: number;
  readonly reflections: Int32Array;
  /** Distinct authors per cell. */
  readonly authors: Int32Array;
  /** How many people the quarter has (authors are numbered 0 … people − 1). */
  readonly people: number;
  /** Cell c's authors, ascending, are members[start[c] … start[c + 1]). */
  readonly start: Int32Array;
  readonly members: Int32Array;
  readonly relations: readonly Relation[];
  /** The elementary cells (one team or no team × one week × one level), for bounds. */
  readonly elements?: Int32Array;
  /** The cells an elementary cell counts in (itself included). */
  containing?(element: number): readonly number[];
}

/** Which cells are hidden (1) and which shown (0). */
export type Hidden = Uint8Array;

/** The hidden cells after the rules above (`extra`: cells to hide from the start). */
export function suppress(grid: CellGrid, k: number, extra?: Hidden): Hidden {
  const { size, reflections, authors } = grid;
  const hidden = new Uint8Array(size);
  for (let c = 0; c < size; c++) if (authors[c] < k || (extra && extra[c])) hidden[c] = 1;
  const sensitive = (c: number) => hidden[c] === 1 && reflections[c] > 0;
  const union = new AuthorUnion(grid);
  const smallestShownPart = (relation: Relation): number => {
    let best = -1;
    for (const part of relation.parts) {
      if (hidden[part] || reflections[part] === 0) continue;
      if (best < 0 || compareSize(grid, part, best) < 0) best = part;
    }
    return best;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const relation of grid.relations) {
      for (;;) {
        let hiddenCells = sensitive(relation.whole) ? 1 : 0;
        for (const part of relation.parts) if (sensitive(part)) hiddenCells += 1;
        if (hiddenCells === 0) break;
        const wholeShown = hidden[relation.whole] === 0;
        const needMore = hiddenCells === 1 || (wholeShown && union.of(relation.parts, sensitive) < k);
        if (!needMore) break;
        let next = smallestShownPart(relation);
        if (next < 0 && wholeShown) next = relation.whole;
        if (next < 0) break; // everything with reflections is hidden already
        hidden[next] = 1;
        changed = true;
      }
    }
  }
  return hidden;
}

/**
 * The rules above look at one relation at a time; a leader can chain several
 * (a week against its month, the month against the total, the total against
 * another team) and weigh them (a mean is a weighted sum). So after them, an
 * audit solves everything published as one system, as the leader would —
 * every shown figure known, every empty cell known, every figure declared in
 * published-figures.ts an equation — and while it can pin down any hidden cell
 * from fewer than k people, hides one more shown cell next to it and runs the
 * rules again.
 */
export function suppressAudited(grid: CellGrid, k: number): Hidden {
  const extra = new Uint8Array(grid.size);
  let touching: number[][] | undefined;
  for (;;) {
    const hidden = suppress(grid, k, extra);
    const exposed = determined(grid, hidden).filter((c) => grid.authors[c] < k);
    if (exposed.length === 0) return hidden;
    touching ??= relationsTouching(grid);
    const next = nearestShown(grid, touching, hidden, exposed[0]);
    if (next < 0) return hidden;
    extra[next] = 1;
  }
}

/**
 * Hidden cells with reflections that what is published pins down, solved as an
 * attacker would: every shown cell is known, every empty cell is known (zero),
 * and the equations are how cells add up plus the weighted sums the published
 * figures reveal (see published-figures.ts), one system per kind of sum.
 * Exact integer elimination (linear-system.ts), then bounds: counts are whole
 * numbers ≥ 0, and the equations together can leave one of them one value.
 */
export function determined(grid: CellGrid, hidden: Hidden, shapes: readonly SystemShape[] = SHAPES): number[] {
  const exposed = new Set<number>();
  for (const shape of shapes) for (const c of determinedIn(grid, hidden, shape)) exposed.add(c);
  return [...exposed].sort((a, b) => a - b);
}

const SHAPES = systemShapes();

function determinedIn(grid: CellGrid, hidden: Hidden, shape: SystemShape): number[] {
  // Hidden cells found pinned so far: by rank, then by bounds, which make more known for rank, until nothing changes.
  const fixed = new Uint8Array(grid.size);
  for (;;) {
    for (const c of pinnedByRank(grid, hidden, shape, fixed)) fixed[c] = 1;
    const more = grid.elements ? pinnedElements(grid, hidden, fixed) : [];
    if (more.length === 0) break;
    for (const c of more) fixed[c] = 1;
  }
  const out: number[] = [];
  for (let c = 0; c < grid.size; c++) if (fixed[c] && hidden[c]) out.push(c);
  return out;
}

/** Hidden cells the equations pin, with `fixed` cells known too (exact elimination). */
function pinnedByRank(grid: CellGrid, hidden: Hidden, shape: SystemShape, fixed: Uint8Array): number[] {
  const levelCell = new Uint8Array(grid.size);
  if (!shape.levelsPublished) for (const r of grid.relations) if (r.levels) for (const p of r.parts) levelCell[p] = 1;
  const column = new Int32Array(grid.size).fill(-1);
  const unknowns: number[] = [];
  for (let c = 0; c < grid.size; c++)
    if (grid.reflections[c] > 0 && !fixed[c] && (hidden[c] || levelCell[c])) column[c] = unknowns.push(c) - 1;
  const rows: SparseRow[] = [];
  const term = (row: SparseRow, cell: number, coefficient: number) => {
    const c = column[cell];
    if (c >= 0) row.set(c, (row.get(c) ?? 0) + coefficient);
  };
  for (const relation of grid.relations) {
    const row: SparseRow = new Map();
    term(row, relation.whole, 1);
    for (const part of relation.parts) term(row, part, -1);
    for (const [c, v] of row) if (v === 0) row.delete(c);
    if (row.size) rows.push(row);
    if (!relation.levels || hidden[relation.whole]) continue;
    const everyLevelKnown = relation.parts.every((p) => !hidden[p] || grid.reflections[p] === 0);
    for (const { weight, when } of shape.weighted) {
      if (when === 'everyLevelKnown' && !everyLevelKnown) continue;
      const weighted: SparseRow = new Map();
      relation.parts.forEach((part, i) => term(weighted, part, weightOf(weight, i + 1)));
      if (weighted.size) rows.push(weighted);
    }
  }
  return solveExactly(rows).pinned.map((c) => unknowns[c]);
}

/**
 * Bounds: counts are whole numbers ≥ 0, so every known cell (shown, or pinned
 * already) bounds the elementary cells it adds up (one team or no team × one
 * week × one level); propagated to a fixed point, which is the same whatever
 * the order. Returns hidden elementary cells, not yet pinned, whose least and
 * greatest possible counts meet.
 */
function pinnedElements(grid: CellGrid, hidden: Hidden, fixed: Uint8Array): number[] {
  // Empty, shown and pinned elementary cells are constants, out of every sum (bounds read the rest's true values),
  // so only the unknown elementary cells and the known cells holding them make equations.
  const cells: number[] = [];
  const rowOf = new Map<number, SparseRow>();
  for (const e of grid.elements!) {
    if (grid.reflections[e] === 0 || !hidden[e] || fixed[e]) continue;
    const i = cells.push(e) - 1;
    for (const c of grid.containing!(e)) {
      if (hidden[c] && !fixed[c]) continue;
      let row = rowOf.get(c);
      if (!row) rowOf.set(c, (row = new Map()));
      row.set(i, 1);
    }
  }
  if (cells.length === 0) return [];
  return pinnedByBounds([...rowOf.values()], (i) => grid.reflections[cells[i]])
    .map((i) => cells[i])
    .filter((e) => !fixed[e]);
}

/** For each cell, the relations it takes part in. */
function relationsTouching(grid: CellGrid): number[][] {
  const touching: number[][] = Array.from({ length: grid.size }, () => []);
  grid.relations.forEach((r, i) => {
    touching[r.whole].push(i);
    for (const p of r.parts) touching[p].push(i);
  });
  return touching;
}

/** The shown cell with reflections closest to `cell` through the relations (breadth first), smallest first; -1 if none. */
function nearestShown(grid: CellGrid, touching: number[][], hidden: Hidden, cell: number): number {
  const seen = new Uint8Array(grid.size);
  seen[cell] = 1;
  for (let frontier = [cell]; frontier.length;) {
    const next: number[] = [];
    for (const c of frontier) {
      for (const r of touching[c]) {
        const relation = grid.relations[r];
        for (const d of [relation.whole, ...relation.parts]) if (!seen[d]) ((seen[d] = 1), next.push(d));
      }
    }
    let best = -1;
    for (const d of next)
      if (!hidden[d] && grid.reflections[d] > 0 && (best < 0 || compareSize(grid, d, best) < 0)) best = d;
    if (best >= 0) return best;
    frontier = next;
  }
  return -1;
}

/** Fewer authors first, then fewer reflections, then the lower cell number (so the choice never depends on anything else). */
function compareSize(grid: CellGrid, a: number, b: number): number {
  return grid.authors[a] - grid.authors[b] || grid.reflections[a] - grid.reflections[b] || a - b;
}

/** Counts the distinct authors of several cells, marking each person with the count's number (nothing to clear between counts). */
class AuthorUnion {
  private readonly mark: Int32Array;
  private count = 0;
  constructor(private readonly grid: CellGrid) {
    this.mark = new Int32Array(grid.people);
  }

  /** Distinct authors of the cells among `cells` that `include` picks. */
  of(cells: readonly number[], include: (c: number) => boolean): number {
    const { start, members } = this.grid;
    const stamp = ++this.count;
    let distinct = 0;
    for (const c of cells) {
      if (!include(c)) continue;
      for (let i = start[c], end = start[c + 1]; i < end; i++) {
        if (this.mark[members[i]] !== stamp) {
          this.mark[members[i]] = stamp;
          distinct += 1;
        }
      }
    }
    return distinct;
  }
}
