import { dateOf, dayNumber, weeksOfQuarter } from '@praxis/common';
import { Contribution } from './quarter-cube';
import { appearsOn, openPeriods, publishedPeriods, snapshotOf } from './quarter-snapshot';
import { trendPeriods } from './trend-table';

const WEEKS = weeksOfQuarter('2025-Q1');
const row = (author: string, team: string | null, week: number, pressure = 2, rung = 4): Contribution => ({
  author,
  team,
  day: WEEKS[week].monday,
  pressure,
  rung,
  aspired: null,
  challenges: [],
  principles: [],
});

describe('published quarters', () => {
  it('shows March (the weeks to 30 March 2025) from 14 April with the default grace, and a quarter only when its last week has passed', () => {
    expect(dateOf(appearsOn('2025-Q1', 14))).toBe('2025-04-14');
    expect(dateOf(appearsOn('2025-Q1', 0))).toBe('2025-03-31');
  });

  it('answers every granularity and team from the snapshot exactly as the engine would, byte for byte after storage', () => {
    const rows = [
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((a, i) => row(a, 'T1', 9 + (i % 2), 1 + (i % 2), 3 + i)),
      ...['g', 'h', 'i', 'j', 'k'].map((a) => row(a, 'T2', 10, 3, 6)),
    ];
    // Stored as JSONB: keys reorder, the figures' text does not.
    const shown = JSON.parse(JSON.stringify(snapshotOf('2025-Q1', rows, 5)));
    const [from, to] = [WEEKS[0].monday, WEEKS[WEEKS.length - 1].monday + 6];
    for (const team of [undefined, 'T1', 'T2', 'T3']) {
      for (const granularity of ['week', 'month', 'quarter'] as const) {
        const live = trendPeriods(rows, { granularity, from: dateOf(from), to: dateOf(to), team, k: 5 });
        expect(JSON.stringify(publishedPeriods(shown, '2025-Q1', granularity, from, to, team))).toBe(
          JSON.stringify(live),
        );
      }
    }
  });

  it('gives open periods no figures, only the day they appear', () => {
    const periods = openPeriods(
      '2025-Q1',
      'month',
      dayNumber('2025-02-10'),
      dayNumber('2025-02-10'),
      appearsOn('2025-Q1', 14),
    );
    expect(periods).toEqual([
      {
        period: '2025-02',
        starts: '2025-02-03',
        ends: '2025-03-02',
        suppressed: true,
        open: true,
        appearsOn: '2025-04-14',
      },
    ]);
  });
});
