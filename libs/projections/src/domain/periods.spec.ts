import { dayNumber, mondayOf, periodsOfQuarter, quartersBetween, weekInfo, weeksOfQuarter } from './periods';

const info = (date: string) => weekInfo(mondayOf(dayNumber(date)));

describe('periods built from whole ISO weeks', () => {
  it('labels a week by ISO 8601 and gives it the month and quarter of its Thursday', () => {
    expect(info('2024-12-30')).toMatchObject({ week: '2025-W01', month: '2025-01', quarter: '2025-Q1' });
    expect(info('2021-01-03')).toMatchObject({ week: '2020-W53', month: '2020-12', quarter: '2020-Q4' });
    // Monday 30 September 2024: its Thursday is 3 October.
    expect(info('2024-09-30')).toMatchObject({ week: '2024-W40', month: '2024-10', quarter: '2024-Q4' });
    expect(info('2024-09-29')).toMatchObject({ week: '2024-W39', month: '2024-09', quarter: '2024-Q3' });
  });

  it('tiles time: consecutive quarters hold consecutive weeks, 12 to 14 of them', () => {
    let quarter = '2019-Q1';
    let expected = weeksOfQuarter(quarter)[0].monday;
    for (const q of quartersBetween('2019-01-01', '2030-12-31')) {
      const weeks = weeksOfQuarter(q);
      expect([12, 13, 14]).toContain(weeks.length);
      for (const w of weeks) {
        expect(w.monday).toBe(expected);
        expect(w.quarter).toBe(q);
        expected += 7;
      }
      quarter = q;
    }
    expect(quarter).toBe('2031-Q1'); // 2030-12-31 is a Tuesday: its week's Thursday is in 2031
  });

  it('months of a quarter nest its weeks', () => {
    const months = periodsOfQuarter('2025-Q1', 'month');
    expect(months.map((m) => [m.period, m.starts, m.ends])).toEqual([
      ['2025-01', '2024-12-30', '2025-02-02'],
      ['2025-02', '2025-02-03', '2025-03-02'],
      ['2025-03', '2025-03-03', '2025-03-30'],
    ]);
    expect(periodsOfQuarter('2025-Q1', 'quarter')).toEqual([
      { period: '2025-Q1', granularity: 'quarter', starts: '2024-12-30', ends: '2025-03-30' },
    ]);
  });

  it('refuses what is not a date', () => {
    expect(() => dayNumber('2025-02-30')).toThrow();
    expect(() => dayNumber('yesterday')).toThrow();
  });
});
