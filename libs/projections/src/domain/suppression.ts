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
 */
export const TOTAL = '*';
export const NO_TEAM = 'none';
export const teamGroup = (teamId: string): string => `t:${teamId}`;
/** 0 = every pressure level; 1..4 = that level. */
export const LEVELS = [0, 1, 2, 3, 4] as const;

export interface CellCounts {
  authors: ReadonlySet<string>;
  reflections: number;
}

export interface Relation {
  whole: string;
  parts: string[];
}

export const cellKey = (group: string, period: string, level: number): string => `${group}|${period}|${level}`;

/** Every relation among the cells of a quarter. */
export function relationsOf(groups: readonly string[], periods: { quarter: string; months: Map<string, string[]> }): Relation[] {
  const relations: Relation[] = [];
  const parts = groups.filter((g) => g !== TOTAL);
  const allPeriods = [periods.quarter, ...periods.months.keys(), ...[...periods.months.values()].flat()];
  for (const level of LEVELS) {
    for (const period of allPeriods) {
      relations.push({ whole: cellKey(TOTAL, period, level), parts: parts.map((g) => cellKey(g, period, level)) });
    }
    for (const group of groups) {
      relations.push({ whole: cellKey(group, periods.quarter, level), parts: [...periods.months.keys()].map((m) => cellKey(group, m, level)) });
      for (const [month, weeks] of periods.months) {
        relations.push({ whole: cellKey(group, month, level), parts: weeks.map((w) => cellKey(group, w, level)) });
      }
    }
  }
  for (const group of groups) {
    for (const period of allPeriods) {
      relations.push({ whole: cellKey(group, period, 0), parts: [1, 2, 3, 4].map((l) => cellKey(group, period, l)) });
    }
  }
  return relations;
}

/** The keys of every hidden cell. */
export function suppress(cells: ReadonlyMap<string, CellCounts>, relations: readonly Relation[], k: number, extra: ReadonlySet<string> = new Set()): Set<string> {
  const hidden = new Set<string>(extra);
  for (const [key, cell] of cells) if (cell.authors.size < k) hidden.add(key);
  const withReflections = new Set<string>();
  for (const [key, cell] of cells) if (cell.reflections > 0) withReflections.add(key);
  const filled = (key: string) => withReflections.has(key);
  const sensitive = (key: string) => hidden.has(key) && filled(key);
  const smallestShownPart = (relation: Relation): string | undefined => {
    let best: string | undefined;
    for (const part of relation.parts) {
      if (hidden.has(part) || !filled(part)) continue;
      if (best === undefined || compareSize(cells, part, best) < 0) best = part;
    }
    return best;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const relation of relations) {
      for (;;) {
        let hiddenCells = sensitive(relation.whole) ? 1 : 0;
        for (const part of relation.parts) if (sensitive(part)) hiddenCells += 1;
        if (hiddenCells === 0) break;
        const wholeShown = !hidden.has(relation.whole);
        const needMore =
          hiddenCells === 1 || (wholeShown && unionSize(cells, relation.parts.filter(sensitive)) < k);
        if (!needMore) break;
        const next = smallestShownPart(relation) ?? (wholeShown ? relation.whole : undefined);
        if (next === undefined) break; // everything with reflections is hidden already
        hidden.add(next);
        changed = true;
      }
    }
  }
  return hidden;
}

/**
 * The rules above look at one relation at a time; a leader can chain several
 * (a week against its month, the month against the total, the total against
 * another team). So after them, an audit solves the whole system as the
 * leader would — every shown figure known, every empty cell known — and while
 * it can pin down any hidden cell from fewer than k people, hides one more
 * shown cell next to it and runs the rules again.
 */
export function suppressAudited(cells: ReadonlyMap<string, CellCounts>, relations: readonly Relation[], k: number): Set<string> {
  let extra = new Set<string>();
  for (;;) {
    const hidden = suppress(cells, relations, k, extra);
    const exposed = determined(cells, relations, hidden).filter((key) => cells.get(key)!.authors.size < k);
    if (exposed.length === 0) return hidden;
    const next = nearestShown(cells, relations, hidden, exposed[0]);
    if (next === undefined) return hidden;
    extra = new Set([...extra, next]);
  }
}

/** Hidden cells with reflections whose value the shown cells determine (sparse Gauss–Jordan elimination). */
export function determined(cells: ReadonlyMap<string, CellCounts>, relations: readonly Relation[], hidden: ReadonlySet<string>): string[] {
  const unknown = new Map<string, number>();
  for (const key of hidden) if ((cells.get(key)?.reflections ?? 0) > 0) unknown.set(key, unknown.size);
  const basis = new Map<number, Map<number, number>>(); // pivot column → its row, reduced
  const order = new Map<number, number>(); // pivot column → when it joined the basis
  for (const relation of relations) {
    const row = new Map<number, number>();
    const add = (key: string, sign: number) => {
      const c = unknown.get(key);
      if (c !== undefined) row.set(c, (row.get(c) ?? 0) + sign);
    };
    add(relation.whole, 1);
    for (const part of relation.parts) add(part, -1);
    for (const [c, v] of row) if (Math.abs(v) < EPS) row.delete(c);
    if (row.size === 0) continue;
    // A basis row holds no other pivot's column, so reducing by one pivot never
    // adds or removes another: the pivots to reduce by are those the row holds
    // now, applied in the basis's order (as a pass over the whole basis would).
    const pivots: number[] = [];
    for (const c of row.keys()) if (basis.has(c)) pivots.push(c);
    if (pivots.length > 1) pivots.sort((a, b) => order.get(a)! - order.get(b)!);
    for (const p of pivots) {
      const f = row.get(p);
      if (f !== undefined) axpy(row, basis.get(p)!, -f);
    }
    if (row.size === 0) continue;
    const pivot = Math.min(...row.keys());
    const lead = row.get(pivot)!;
    for (const [c, v] of row) row.set(c, v / lead);
    for (const prow of basis.values()) {
      const f = prow.get(pivot);
      if (f !== undefined) axpy(prow, row, -f);
    }
    basis.set(pivot, row);
    order.set(pivot, order.size);
  }
  const keys = [...unknown.keys()];
  return [...basis].filter(([, row]) => row.size === 1).map(([pivot]) => keys[pivot]);
}

const EPS = 1e-9;

/** target += f · source, dropping what cancels. */
function axpy(target: Map<number, number>, source: Map<number, number>, f: number): void {
  for (const [c, v] of source) {
    const next = (target.get(c) ?? 0) + f * v;
    if (Math.abs(next) < EPS) target.delete(c);
    else target.set(c, next);
  }
}

/** The shown cell with reflections closest to `key` through the relations (breadth first), smallest first. */
function nearestShown(cells: ReadonlyMap<string, CellCounts>, relations: readonly Relation[], hidden: ReadonlySet<string>, key: string): string | undefined {
  const touching = new Map<string, Relation[]>();
  for (const r of relations) for (const c of [r.whole, ...r.parts]) touching.set(c, [...(touching.get(c) ?? []), r]);
  const seen = new Set([key]);
  for (let frontier = [key]; frontier.length; ) {
    const next: string[] = [];
    for (const cell of frontier) for (const r of touching.get(cell) ?? []) for (const c of [r.whole, ...r.parts]) if (!seen.has(c)) (seen.add(c), next.push(c));
    const shown = next.filter((c) => !hidden.has(c) && cells.get(c)!.reflections > 0).sort((a, b) => compareSize(cells, a, b));
    if (shown.length) return shown[0];
    frontier = next;
  }
  return undefined;
}

function compareSize(cells: ReadonlyMap<string, CellCounts>, a: string, b: string): number {
  const x = cells.get(a)!;
  const y = cells.get(b)!;
  return x.authors.size - y.authors.size || x.reflections - y.reflections || (a < b ? -1 : a > b ? 1 : 0);
}

function unionSize(cells: ReadonlyMap<string, CellCounts>, keys: readonly string[]): number {
  const union = new Set<string>();
  for (const key of keys) for (const a of cells.get(key)!.authors) union.add(a);
  return union.size;
}
