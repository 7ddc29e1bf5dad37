import {
  calendarQuarterOf,
  calendarQuarterStart,
  dateOf,
  dayNumber,
  dayOfInstant,
  isCalendarDate,
  isoWeek,
  latestAllowedDate,
  mondayOf,
  PERIOD_PATTERN,
  periodsOf,
  periodsOfQuarter,
  quarterOfDate,
  quartersBetween,
  weekInfo,
  weeksOfQuarter,
} from './periods';

const info = (date: string) => weekInfo(mondayOf(dayNumber(date)));

/** One calendar for workers, leaders and researchers: whole ISO weeks, each in the month of its Thursday. */
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

  it.each([
    ['2024-01-01', '2024-W01'], // a Monday
    ['2023-01-01', '2022-W52'], // a Sunday: still the last week of 2022
    ['2020-12-31', '2020-W53'], // 2020 has 53 weeks
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2024-12-30', '2025-W01'], // a Monday whose Thursday is in 2025
    ['2026-06-15', '2026-W25'],
    ['2000-01-01', '1999-W52'],
    ['2015-12-31', '2015-W53'], // a Thursday: week 53 of a year that starts on a Thursday
    ['2016-01-03', '2015-W53'],
    ['2026-12-31', '2026-W53'], // 2026 starts on a Thursday, so it has 53 weeks too
    ['2027-01-03', '2026-W53'],
  ])('%s is in ISO week %s', (date, week) => {
    expect(isoWeek(date)).toBe(week);
  });

  it("puts week 53 and the days of a new year that share its week in the old year's December and fourth quarter", () => {
    for (const date of ['2020-12-28', '2020-12-31', '2021-01-01', '2021-01-03'])
      expect(periodsOf(date)).toEqual({ week: '2020-W53', month: '2020-12', quarter: '2020-Q4' });
    expect(periodsOf('2021-01-04')).toEqual({ week: '2021-W01', month: '2021-01', quarter: '2021-Q1' });
  });

  it("decides a month's edge by the Thursday of the week, not by the day", () => {
    // May 2025 starts on a Thursday: its first week (from Monday 28 April) is May's.
    expect(periodsOf('2025-04-28')).toEqual({ week: '2025-W18', month: '2025-05', quarter: '2025-Q2' });
    expect(periodsOf('2025-04-27')).toEqual({ week: '2025-W17', month: '2025-04', quarter: '2025-Q2' });
    // June 2025 starts on a Sunday: 1 June belongs to May's last week.
    expect(periodsOf('2025-06-01')).toEqual({ week: '2025-W22', month: '2025-05', quarter: '2025-Q2' });
    expect(periodsOf('2025-06-02')).toEqual({ week: '2025-W23', month: '2025-06', quarter: '2025-Q2' });
    // A Monday whose Thursday is in the next month and the next quarter.
    expect(periodsOf('2025-03-31')).toEqual({ week: '2025-W14', month: '2025-04', quarter: '2025-Q2' });
    expect(periodsOf('2025-04-01')).toEqual({ week: '2025-W14', month: '2025-04', quarter: '2025-Q2' });
  });

  it('crosses year boundaries both ways: late December into the next year, early January into the last', () => {
    expect(periodsOf('2024-12-30')).toEqual({ week: '2025-W01', month: '2025-01', quarter: '2025-Q1' });
    expect(periodsOf('2023-01-01')).toEqual({ week: '2022-W52', month: '2022-12', quarter: '2022-Q4' });
    expect(quarterOfDate('2030-12-31')).toBe('2031-Q1');
    expect(quartersBetween('2024-11-01', '2025-01-15')).toEqual(['2024-Q4', '2025-Q1']);
  });

  it('agrees with a day-by-day count over ten years: every week has 7 days and numbers run on', () => {
    const days = new Map<string, number>();
    for (let day = dayNumber('2015-01-05'); day < dayNumber('2025-01-06'); day++) {
      const week = isoWeek(dateOf(day));
      days.set(week, (days.get(week) ?? 0) + 1);
    }
    expect([...days.values()].every((n) => n === 7)).toBe(true);
    expect(days.size).toBe(522); // 2015..2024: 52 * 10 + two 53-week years (2015, 2020)
  });

  it('labels match the pattern the research export publishes', () => {
    for (const date of ['2020-12-31', '2025-03-31', '2026-06-15']) {
      for (const label of Object.values(periodsOf(date))) expect(label).toMatch(new RegExp(PERIOD_PATTERN));
    }
  });

  it('checks dates: real days written YYYY-MM-DD only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    for (const bad of ['2025-02-29', '2025-2-3', '2025-13-01', 'yesterday', 20250101, undefined])
      expect(isCalendarDate(bad)).toBe(false);
    expect(() => isoWeek('2024-02-30')).toThrow();
    expect(() => periodsOf('yesterday')).toThrow();
  });

  it('day numbers and instants: UTC days, and "not in the future" as of UTC+14', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dateOf(dayNumber('2026-11-30'))).toBe('2026-11-30');
    expect(dayOfInstant(new Date('2026-11-30T23:59:59Z'))).toBe(dayNumber('2026-11-30'));
    expect(latestAllowedDate(new Date('2026-11-30T09:59:59Z'))).toBe('2026-11-30');
    expect(latestAllowedDate(new Date('2026-11-30T10:00:00Z'))).toBe('2026-12-01');
  });

  it("calendar quarters (an export range's edges) run from the 1st of January, April, July and October", () => {
    expect(dateOf(calendarQuarterStart('2025-02-14'))).toBe('2025-01-01');
    expect(dateOf(calendarQuarterStart('2025-12-31', 1))).toBe('2026-01-01');
    expect(dateOf(calendarQuarterStart('2026-01-15', -4))).toBe('2025-01-01');
    expect(dateOf(calendarQuarterStart('2025-04-01') - 1)).toBe('2025-03-31');
    expect(calendarQuarterOf(dayNumber('2025-03-31'))).toBe('2025-Q1');
    expect(calendarQuarterOf(dayNumber('2024-12-30'))).toBe('2024-Q4'); // whose week is 2025-W01, in 2025-Q1
  });
});
