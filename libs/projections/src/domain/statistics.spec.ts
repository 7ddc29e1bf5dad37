import { averageRanks, mean, pearson, round, slope, spearman } from './statistics';

describe('statistics (hand-computed cases)', () => {
  it('mean, and null for no data', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([])).toBeNull();
  });

  it('average ranks give ties the mean of the ranks they span', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([3, 1, 3, 3])).toEqual([3, 1, 3, 3]);
  });

  it("Spearman's ρ with ties: x=[1,2,2,3], y=[1,3,2,4] gives 3/√10", () => {
    // ranks x = [1, 2.5, 2.5, 4], y = [1, 3, 2, 4]; Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(3 / Math.sqrt(10), 12);
  });

  it("Spearman's ρ without ties (a textbook case: IQ and hours of TV)", () => {
    const iq = [106, 86, 100, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 0, 27, 50, 28, 29, 20, 12, 6, 17];
    // 1 − 6·194 / (10·99) = −29/165
    expect(spearman(iq, tv)).toBeCloseTo(-29 / 165, 12);
  });

  it('is ±1 for monotone data and null where undefined', () => {
    expect(spearman([1, 2, 3], [1, 4, 9])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([2, 2, 2], [1, 2, 3])).toBeNull(); // pressure does not vary
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull(); // rung does not vary
    expect(spearman([1], [1])).toBeNull();
    expect(pearson([], [])).toBeNull();
  });

  it('least-squares slope of rung on pressure', () => {
    // x̄ = 2.5, ȳ = 4.5, Σdxdy = −8, Σdx² = 5
    expect(slope([1, 2, 3, 4], [7, 5, 4, 2])).toBeCloseTo(-1.6, 12);
    expect(slope([1, 1, 2, 2], [6, 4, 3, 1])).toBeCloseTo(-3, 12);
    expect(slope([3, 3], [1, 7])).toBeNull();
    expect(slope([1], [1])).toBeNull();
  });

  it('rounds for publication, keeping null', () => {
    expect(round(2.345678)).toBe(2.35);
    expect(round(null)).toBeNull();
  });
});
