import { MyTrendRow, myTrendPeriods } from './my-trend-periods';

const row = (occurredOn: string, extra: Partial<MyTrendRow> = {}): MyTrendRow => ({
  occurredOn,
  pressure: 2,
  rung: 5,
  aspired: null,
  challenges: [],
  embedding: null,
  argument: null,
  reception: null,
  lived: null,
  ...extra,
});

/** The worker's calendar is the organisation's: whole ISO weeks, each in the month of its Thursday. */
describe("a worker's trend periods", () => {
  it('puts a Monday whose Thursday is in the next month into that month, with its whole-week span', () => {
    const periods = myTrendPeriods([row('2025-03-31'), row('2025-03-27')], 'month');
    expect(periods.map((p) => [p.period, p.starts, p.ends, p.reflections])).toEqual([
      ['2025-03', '2025-03-03', '2025-03-30', 1],
      ['2025-04', '2025-03-31', '2025-04-27', 1],
    ]);
  });

  it('puts the last days of December into the next year when their week does', () => {
    expect(myTrendPeriods([row('2024-12-31')], 'quarter').map((p) => p.period)).toEqual(['2025-Q1']);
    expect(myTrendPeriods([row('2026-01-01')], 'month').map((p) => p.period)).toEqual(['2026-01']);
  });

  it('counts embedding levels, advocacy by reception and lived experience, overall and per pressure level', () => {
    const [period] = myTrendPeriods(
      [
        row('2025-06-03', { pressure: 1, embedding: 1, argument: 1, reception: 1, lived: true }),
        row('2025-06-04', { pressure: 3, embedding: 4, argument: 3, reception: 3, lived: false }),
        row('2025-06-05', { pressure: 3, embedding: 4, argument: 3, reception: null }),
        row('2025-06-06', { pressure: 3 }),
      ],
      'month',
    );
    expect(period.embedding).toEqual({ one_off: 1, recurring: 0, team_norm: 0, organisational_policy: 2, not_said: 1 });
    expect(period.advocacy.ethical).toEqual({ receptive: 1, neutral: 0, resistant: 0, not_said: 0 });
    expect(period.advocacy.less_risk).toEqual({ receptive: 0, neutral: 0, resistant: 1, not_said: 1 });
    expect(period.livedExperience).toEqual({ involved: 1, share: 0.25 });
    const severe = period.rungByPressure[2];
    expect(severe).toMatchObject({
      pressure: 'severe',
      count: 3,
      embedding: { organisational_policy: 2, not_said: 1 },
      livedExperience: { involved: 0, share: 0 },
    });
    expect(period.rungByPressure[1]).toMatchObject({ count: 0, livedExperience: { involved: 0, share: null } });
  });
});
