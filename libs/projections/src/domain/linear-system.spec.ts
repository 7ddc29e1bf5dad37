import { pinnedByBounds, RowSpace, solveExactly, SparseRow } from './linear-system';

const row = (entries: Record<number, number>): SparseRow =>
  new Map(Object.entries(entries).map(([c, v]) => [Number(c), v]));

describe('exact linear system', () => {
  it('pins the two hidden levels that a count and a pressure-weighted sum give away (n₁ + n₄, 1·n₁ + 4·n₄)', () => {
    expect(solveExactly([row({ 0: 1, 1: 1 }), row({ 0: 1, 1: 4 })]).pinned.sort()).toEqual([0, 1]);
    expect(solveExactly([row({ 0: 1, 1: 1 }), row({ 1: 1, 2: 1 })]).pinned).toEqual([]);
  });

  it('stays exact where floating point would not: a third of a third', () => {
    // x + y/3 = …, x + y/3 + z/9 = … over integers 9x + 3y, 9x + 3y + z: z is pinned, x and y are not.
    const { pinned } = solveExactly([row({ 0: 9, 1: 3 }), row({ 0: 9, 1: 3, 2: 1 })]);
    expect(pinned).toEqual([2]);
  });

  it('falls back to BigInt when coefficients outgrow safe integers, with the same answer', () => {
    const big = 2 ** 40;
    const rows = [row({ 0: big, 1: big + 1 }), row({ 0: big + 3, 1: big - 7 }), row({ 1: 1, 2: 1, 3: 1 })];
    expect(solveExactly(rows).pinned.sort()).toEqual([0, 1]);
  });

  it('tells whether a vector follows from the rows', () => {
    const space = new RowSpace([row({ 0: 1, 1: 1, 2: 1 }), row({ 1: 1, 2: 1 })]);
    expect(space.contains(row({ 0: 1 }))).toBe(true);
    expect(space.contains(row({ 1: 1 }))).toBe(false);
  });

  it('pins by bounds what no single equation says: whole numbers ≥ 0 leave only a = 2', () => {
    // a + c = 3, c + d = 3, a + b = 3, d + f = 3, a + d + e = 5, b + e + g = 3 (from a random organisation the attacker solved).
    const rows = [
      row({ 0: 1, 2: 1 }),
      row({ 2: 1, 3: 1 }),
      row({ 0: 1, 1: 1 }),
      row({ 3: 1, 5: 1 }),
      row({ 0: 1, 3: 1, 4: 1 }),
      row({ 1: 1, 4: 1, 6: 1 }),
    ];
    const truth = [2, 1, 1, 2, 1, 1, 1];
    expect(solveExactly(rows).pinned).toEqual([]);
    const reduced = solveExactly(rows).rows;
    expect(pinnedByBounds([...rows, ...reduced], (c) => truth[c]).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // x + y = 2 alone leaves three answers: nothing is pinned.
    expect(pinnedByBounds([row({ 0: 1, 1: 1 })], () => 1)).toEqual([]);
  });
});
