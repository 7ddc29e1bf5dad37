import fc from 'fast-check';
import { dateOf, weeksOfQuarter } from '@praxis/common';
import { breaches } from '../testing/attacker';
import { cellKey, NO_TEAM, teamGroup, TOTAL } from './suppression';
import { Contribution, quarterTable } from './quarter-cube';
import { trendPeriods } from './trend-table';

const QUARTER = '2025-Q1';
const WEEKS = weeksOfQuarter(QUARTER);

const FIRST = dateOf(WEEKS[0].monday);
const LAST = dateOf(WEEKS[WEEKS.length - 1].monday + 6);
/** What the attacker finds in every answer a leader can get for the quarter. */
const attack = (rows: Contribution[], k: number) =>
  breaches(rows, (granularity, team) => trendPeriods(rows, { granularity, from: FIRST, to: LAST, team, k }), k);

const row = (author: string, team: string | null, week: number, pressure = 2, rung = 4, weekday = 0): Contribution => ({
  author,
  team,
  day: WEEKS[week].monday + weekday,
  pressure,
  rung,
  aspired: null,
  challenges: [],
  principles: [],
});

describe('suppression', () => {
  it('hides a small team and, so the total cannot be differenced, its sibling too', () => {
    const rows = [...['a', 'b', 'c', 'd', 'e', 'f'].map((a) => row(a, 'T1', 9)), row('z', 'T2', 9)];
    const { hidden } = quarterTable(QUARTER, rows, 5);
    const month = WEEKS[9].month;
    expect(hidden.has(cellKey(TOTAL, month, 0))).toBe(false);
    expect(hidden.has(cellKey(teamGroup('T2'), month, 0))).toBe(true);
    expect(hidden.has(cellKey(teamGroup('T1'), month, 0))).toBe(true);
    expect(hidden.has(cellKey(NO_TEAM, month, 0))).toBe(true); // empty
  });

  it('hides a second week when one week of a shown month is small', () => {
    // Weeks 5, 6 and 7 of 2025-Q1 are W06–W08, all in February (with W09).
    const rows = [
      ...['a', 'b', 'c', 'd', 'e'].map((a) => row(a, null, 5)),
      ...['a', 'b', 'c', 'd', 'e'].map((a) => row(a, null, 6)),
      row('z', null, 7),
    ];
    const periods = trendPeriods(rows, {
      granularity: 'week',
      from: dateOf(WEEKS[5].monday),
      to: dateOf(WEEKS[7].monday),
      k: 5,
    });
    expect(periods.map((p) => p.period)).toEqual(['2025-W06', '2025-W07', '2025-W08']);
    expect(periods[2].suppressed).toBe(true);
    expect(periods.filter((p) => p.suppressed)).toHaveLength(2);
    const [month] = trendPeriods(rows, {
      granularity: 'month',
      from: dateOf(WEEKS[7].monday),
      to: dateOf(WEEKS[7].monday),
      k: 5,
    });
    expect(month).toMatchObject({ period: '2025-02', suppressed: false, reflections: 11, authors: 6 });
  });

  it('hides a pressure level with fewer than k people inside a shown period, and another level with it', () => {
    const rows = [...['a', 'b', 'c', 'd', 'e', 'f'].map((a) => row(a, null, 2, 1, 6)), row('z', null, 2, 4, 1)];
    const [quarter] = trendPeriods(rows, { granularity: 'quarter', from: '2025-01-01', to: '2025-01-01', k: 5 });
    expect(quarter.suppressed).toBe(false);
    expect(quarter.pressureByRung!.map((c) => c.suppressed)).toEqual([true, true, true, true]);
  });

  it('answers a narrowed range with whole periods: a single day shows its whole week', () => {
    const rows = ['a', 'b', 'c', 'd', 'e'].map((a, i) => row(a, null, 3, 2, 3 + (i % 2), i));
    const day = dateOf(WEEKS[3].monday + 2);
    const [narrow] = trendPeriods(rows, { granularity: 'week', from: day, to: day, k: 5 });
    const [whole] = trendPeriods(rows, {
      granularity: 'week',
      from: dateOf(WEEKS[3].monday),
      to: dateOf(WEEKS[3].monday + 6),
      k: 5,
    });
    expect(narrow).toEqual(whole);
    expect(narrow.reflections).toBe(5);
  });

  it('does not let the attacker pin down a small cell in a case a random run once found', () => {
    // Week 12's total (3 people) is solvable from the shown cells; its pressure cells (2 and 1 people) must not be.
    const list = [
      { author: 2, team: 'T1', week: 5, pressure: 1 },
      { author: 0, team: 'T1', week: 0, pressure: 3 },
      { author: 0, team: 'T1', week: 11, pressure: 2 },
      { author: 0, team: 'T1', week: 9, pressure: 1 },
      { author: 4, team: 'T1', week: 0, pressure: 3 },
      { author: 2, team: 'T1', week: 11, pressure: 2 },
      { author: 1, team: 'T1', week: 5, pressure: 4 },
      { author: 0, team: 'T1', week: 5, pressure: 1 },
      { author: 1, team: 'T1', week: 0, pressure: 2 },
      { author: 3, team: 'T1', week: 11, pressure: 3 },
    ];
    const rows = list.map((c) => row(`p${c.author}`, c.team, c.week, c.pressure));
    expect(attack(rows, 3)).toEqual([]);
  });

  it('never leaves a hidden cell that the shown cells determine (random organisations, the attacker solves)', () => {
    const contribution = fc.record({
      author: fc.nat(14),
      team: fc.constantFrom('T1', 'T2', 'T3', null),
      week: fc.nat(WEEKS.length - 1),
      pressure: fc.integer({ min: 1, max: 4 }),
      rung: fc.integer({ min: 1, max: 7 }),
    });
    fc.assert(
      fc.property(fc.array(contribution, { minLength: 1, maxLength: 80 }), fc.constantFrom(3, 5), (list, k) => {
        const rows = list.map((c) => row(`p${c.author}`, c.team, c.week, c.pressure, c.rung));
        expect({ rows: list, found: attack(rows, k) }).toEqual({ rows: list, found: [] });
      }),
      { numRuns: 150 },
    );
  });

  it('does not let the mean pressure and slope of twelve people give away the one person at survival', () => {
    // March 2025 (W10–W13): four people at "resourced", eight at "stretched", and one person with a single "survival" reflection at rung 7.
    // Levels 1 and 4 are hidden (four people and one); before, the mean pressure gave 1·n₁ + 4·n₄ and the slope Σ pressure × rung.
    const twelve = Array.from({ length: 12 }, (_, i) => row(`w${i}`, null, 9 + (i % 4), i < 4 ? 1 : 2, 2 + (i % 4)));
    const rows = [...twelve, row('alone', null, 10, 4, 7)];
    expect(attack(rows, 5)).toEqual([]);
    const [march] = trendPeriods(rows, { granularity: 'month', from: '2025-03-03', to: '2025-03-30', k: 5 });
    expect(march).toMatchObject({
      period: '2025-03',
      suppressed: false,
      reflections: 13,
      meanPressure: null,
      association: { spearman: null, slope: null, n: 13 },
    });
    expect(march.withheld).toEqual(['meanPressure', 'association']);
    expect(march.pressureByRung!.map((c) => c.suppressed)).toEqual([true, false, true, true]);
  });
});
