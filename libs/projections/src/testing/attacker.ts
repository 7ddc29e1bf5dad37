import { weeksOfQuarter } from '../domain/periods';
import { cellKey, LEVELS, TOTAL } from '../domain/suppression';
import { Contribution, quarterTable } from '../domain/trend-table';

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
 * small cell it would expose is in the solution too, so it is reported.)
 */
export function determinedHiddenCells(QUARTER: string, rows: Contribution[], k: number): string[] {
  const WEEKS = weeksOfQuarter(QUARTER);
  const { cells, hidden } = quarterTable(QUARTER, rows, k);
  const months = new Map<string, string[]>();
  for (const w of WEEKS) months.set(w.month, [...(months.get(w.month) ?? []), w.week]);
  const groups = [...new Set([...cells.keys()].map((key) => key.split('|')[0]))];
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
  return determined;
}

