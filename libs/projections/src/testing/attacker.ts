import { mondayOf, weekInfo, weeksOfQuarter } from '../domain/periods';
import { cellKey, LEVELS, NO_TEAM, teamGroup, TOTAL } from '../domain/suppression';
import { Contribution, quarterTable } from '../domain/quarter-cube';

/**
 * How the published cells add up, by name, written from the product rule and
 * not from the engine: total = Σ groups, quarter = Σ months, month = Σ weeks,
 * all levels = Σ levels.
 */
function relationsByName(groups: readonly string[], quarter: string, months: Map<string, string[]>): { whole: string; parts: string[] }[] {
  const relations: { whole: string; parts: string[] }[] = [];
  const periods = [quarter, ...months.keys(), ...[...months.values()].flat()];
  for (const level of LEVELS) {
    for (const period of periods) relations.push({ whole: cellKey(TOTAL, period, level), parts: groups.filter((g) => g !== TOTAL).map((g) => cellKey(g, period, level)) });
    for (const group of groups) {
      relations.push({ whole: cellKey(group, quarter, level), parts: [...months.keys()].map((m) => cellKey(group, m, level)) });
      for (const [month, weeks] of months) relations.push({ whole: cellKey(group, month, level), parts: weeks.map((w) => cellKey(group, w, level)) });
    }
  }
  for (const group of groups) for (const period of periods) relations.push({ whole: cellKey(group, period, 0), parts: [1, 2, 3, 4].map((l) => cellKey(group, period, l)) });
  return relations;
}

/**
 * The attacker: knows every shown cell's reflection count in every group,
 * period and level, knows which cells are empty, knows how they add up, and
 * solves. Returns the hidden cells from fewer than k people whose count it
 * can pin down — the privacy rule's breach. (A cell hidden only as a complement
 * may be solvable while it holds k people or more: that reveals no one, and any
 * small cell it would expose is in the solution too, so it is reported.) Shown
 * cells from fewer than k people are reported too, as "shown: <cell>".
 */
export function determinedHiddenCells(QUARTER: string, rows: Contribution[], k: number): string[] {
  const WEEKS = weeksOfQuarter(QUARTER);
  const months = new Map<string, string[]>();
  for (const w of WEEKS) months.set(w.month, [...(months.get(w.month) ?? []), w.week]);
  // The figures, counted straight from the rows by name (not by the engine): what the shown cells say.
  const groups = [TOTAL, NO_TEAM, ...new Set(rows.filter((r) => r.team !== null).map((r) => teamGroup(r.team!)))];
  const cells = new Map<string, { authors: Set<string>; reflections: number }>();
  for (const g of groups) for (const p of [QUARTER, ...months.keys(), ...WEEKS.map((w) => w.week)]) for (const l of LEVELS) cells.set(cellKey(g, p, l), { authors: new Set(), reflections: 0 });
  for (const row of rows) {
    const week = weekInfo(mondayOf(row.day));
    if (week.quarter !== QUARTER) throw new Error(`a row of ${week.quarter} in ${QUARTER}`);
    for (const g of [TOTAL, row.team === null ? NO_TEAM : teamGroup(row.team)]) {
      for (const p of [week.quarter, week.month, week.week]) {
        for (const l of [0, row.pressure]) {
          const cell = cells.get(cellKey(g, p, l))!;
          cell.authors.add(row.author);
          cell.reflections += 1;
        }
      }
    }
  }
  // What the engine hides: the only thing taken from it.
  const { hidden } = quarterTable(QUARTER, rows, k);
  for (const key of hidden) if (!cells.has(key)) throw new Error(`the engine hides a cell that does not exist: ${key}`);
  const unknown = [...hidden].filter((key) => cells.get(key)!.reflections > 0);
  const column = new Map(unknown.map((key, i) => [key, i]));
  const matrix: number[][] = [];
  for (const relation of relationsByName(groups, QUARTER, months)) {
    const line = new Array<number>(unknown.length).fill(0);
    let touches = false;
    for (const [key, sign] of [[relation.whole, 1] as const, ...relation.parts.map((p) => [p, -1] as const)]) {
      const c = column.get(key);
      if (c !== undefined) {
        line[c] += sign;
        touches = true;
      }
    }
    if (touches) matrix.push(line);
  }
  // Reduced row echelon form: a cell is determined when its pivot row holds nothing else.
  let r = 0;
  const pivots: number[] = [];
  for (let c = 0; c < unknown.length && r < matrix.length; c++) {
    const p = matrix.findIndex((line, i) => i >= r && Math.abs(line[c]) > 1e-9);
    if (p < 0) continue;
    [matrix[r], matrix[p]] = [matrix[p], matrix[r]];
    const lead = matrix[r][c];
    matrix[r] = matrix[r].map((x) => x / lead);
    for (let i = 0; i < matrix.length; i++) {
      if (i !== r && Math.abs(matrix[i][c]) > 1e-9) {
        const f = matrix[i][c];
        matrix[i] = matrix[i].map((x, j) => x - f * matrix[r][j]);
      }
    }
    pivots[r] = c;
    r++;
  }
  const determined: string[] = [];
  for (let i = 0; i < r; i++) {
    const key = unknown[pivots[i]];
    const solved = matrix[i].every((x, j) => j === pivots[i] || Math.abs(x) < 1e-9);
    if (solved && cells.get(key)!.authors.size < k) determined.push(key);
  }
  // And the plainest breach: a shown figure from fewer than k people.
  for (const [key, cell] of cells) if (!hidden.has(key) && cell.authors.size < k) determined.push(`shown: ${key}`);
  return determined;
}

