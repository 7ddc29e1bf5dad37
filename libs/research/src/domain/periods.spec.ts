import { isoWeek, periodsOf } from './periods';

describe('ISO weeks and periods', () => {
  it.each([
    ['2024-01-01', '2024-W01'], // a Monday
    ['2023-01-01', '2022-W52'], // a Sunday: still the last week of 2022
    ['2020-12-31', '2020-W53'], // 2020 has 53 weeks
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2024-12-30', '2025-W01'], // a Monday whose Thursday is in 2025
    ['2026-06-15', '2026-W25'],
    ['2000-01-01', '1999-W52'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeek(date)).toBe(week);
  });

  it("gives the month and quarter of the date's week (the month of its Thursday), as leaders and workers see them", () => {
    expect(periodsOf('2024-12-30')).toEqual({ week: '2025-W01', month: '2025-01', quarter: '2025-Q1' });
    expect(periodsOf('2025-03-31')).toEqual({ week: '2025-W14', month: '2025-04', quarter: '2025-Q2' });
    expect(periodsOf('2025-04-01')).toEqual({ week: '2025-W14', month: '2025-04', quarter: '2025-Q2' });
    expect(periodsOf('2025-06-01')).toEqual({ week: '2025-W22', month: '2025-05', quarter: '2025-Q2' });
  });

  it('agrees with a day-by-day count over ten years: every week has 7 days and numbers run on', () => {
    const days = new Map<string, number>();
    for (let t = Date.UTC(2015, 0, 5); t < Date.UTC(2025, 0, 6); t += 86_400_000) {
      const week = isoWeek(new Date(t).toISOString().slice(0, 10));
      days.set(week, (days.get(week) ?? 0) + 1);
    }
    expect([...days.values()].every((n) => n === 7)).toBe(true);
    expect(days.size).toBe(522); // 2015..2024: 52 * 10 + two 53-week years (2015, 2020)
  });

  it('refuses what is not a date', () => {
    expect(() => isoWeek('2024-02-30')).toThrow();
    expect(() => periodsOf('yesterday')).toThrow();
  });
});
