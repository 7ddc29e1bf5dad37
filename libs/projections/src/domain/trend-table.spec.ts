import fc from 'fast-check';
import {
  ARGUMENT_CODES,
  CHALLENGE_CODES,
  EMBEDDING_CODES,
  PRESSURE,
  PRINCIPLE_CODES,
  RECEPTION_CODES,
} from '@praxis/journal';
import { dayNumber, weeksOfQuarter } from '@praxis/common';
import { PracticeFigures } from './practice-figures';
import { Contribution } from './quarter-cube';
import { TrendPeriod, trendPeriods } from './trend-table';

const WEEK = weeksOfQuarter('2025-Q1')[2]; // 2025-W03, 13–19 January

const row = (
  author: string,
  pressure: number,
  rung: number,
  aspired: number | null,
  challenges: string[] = [],
  principles: string[] = [],
): Contribution => ({
  author,
  team: null,
  day: WEEK.monday + 1,
  pressure,
  rung,
  aspired,
  challenges,
  principles,
});

/** A period's figures against a case worked by hand (k = 3, so every non-empty cell is shown). */
describe('trend figures', () => {
  const rows = [
    row('a', 1, 7, 7, ['time']),
    row('b', 1, 6, null, ['time', 'skills']),
    row('c', 1, 5, 6),
    row('d', 3, 3, 5, ['time']),
    row('e', 3, 2, null, ['power_and_risk']),
    row('f', 3, 1, 4, ['time'], ['assets']),
  ];
  const [quarter] = trendPeriods(rows, { granularity: 'quarter', from: '2025-01-01', to: '2025-03-31', k: 3 });

  it('counts, means, the share of "doing with" and the mean gap', () => {
    expect(quarter).toMatchObject({
      period: '2025-Q1',
      suppressed: false,
      reflections: 6,
      authors: 6,
      meanPressure: 2, // (1+1+1+3+3+3) / 6
      meanRung: 4, // (7+6+5+3+2+1) / 6
      doingWithShare: 0.333, // rungs 7 and 6 of six
      meanGap: 1.5, // (0 + 1 + 2 + 3) / 4: only those who gave an aspired rung
    });
  });

  it('counts every challenge and principle, zeros included', () => {
    expect(quarter.challenges).toEqual({
      time: 4,
      skills: 1,
      power_and_risk: 1,
      reduced_resources: 0,
      colleague_buy_in: 0,
      short_term_funding: 0,
      participation_barriers: 0,
      other: 0,
    });
    expect(quarter.principles).toEqual({
      assets: 1,
      capabilities: 0,
      mutuality: 0,
      peer_networks: 0,
      blurring_roles: 0,
      facilitating: 0,
    });
  });

  it('gives the mean rung and challenges per pressure level, and hides the empty levels', () => {
    const [resourced, stretched, severe, survival] = quarter.pressureByRung!;
    expect(resourced).toMatchObject({
      ordinal: 1,
      suppressed: false,
      count: 3,
      meanRung: 6,
      challenges: expect.objectContaining({ time: 2, skills: 1, power_and_risk: 0 }),
    });
    expect(stretched).toEqual({ pressure: stretched.pressure, ordinal: 2, suppressed: true });
    expect(severe).toMatchObject({
      ordinal: 3,
      suppressed: false,
      count: 3,
      meanRung: 2,
      challenges: expect.objectContaining({ time: 2, skills: 0, power_and_risk: 1 }),
    });
    expect(survival).toMatchObject({ ordinal: 4, suppressed: true });
  });

  it('publishes embedding, advocacy and lived experience with a shown cell, and nothing of a hidden level', () => {
    const practice = rows.map((r, i) => ({
      ...r,
      embedding: (i % 4) + 1,
      argument: i < 3 ? 1 : 3,
      reception: i % 2 ? 3 : null,
      lived: i < 2,
    }));
    const [q] = trendPeriods(practice, { granularity: 'quarter', from: '2025-01-01', to: '2025-03-31', k: 3 });
    expect(q.embedding).toEqual({ one_off: 2, recurring: 2, team_norm: 1, organisational_policy: 1, not_said: 0 });
    expect(q.advocacy!.ethical).toEqual({ receptive: 0, neutral: 0, resistant: 1, not_said: 2 });
    expect(q.advocacy!.less_risk).toEqual({ receptive: 0, neutral: 0, resistant: 2, not_said: 1 });
    expect(q.livedExperience).toEqual({ involved: 2, share: 0.333 });
    const [resourced, stretched] = q.pressureByRung!;
    expect(resourced).toMatchObject({
      suppressed: false,
      embedding: { one_off: 1, recurring: 1, team_norm: 1 },
      livedExperience: { involved: 2, share: 0.667 },
    });
    expect(stretched).toEqual({ pressure: 'stretched', ordinal: 2, suppressed: true });
    const [hidden] = trendPeriods(practice, { granularity: 'quarter', from: '2025-01-01', to: '2025-03-31', k: 7 });
    expect(hidden).toEqual({ period: '2025-Q1', starts: hidden.starts, ends: hidden.ends, suppressed: true });
  });

  it("gives Spearman's ρ with tied ranks and the least-squares slope of rung on pressure", () => {
    // Pressure ranks (ties averaged) 2,2,2,5,5,5; rung ranks 6,5,4,3,2,1: ρ = −13.5 / √(13.5 · 17.5).
    // Slope: Σ(x−2)(y−4) = −12 over Σ(x−2)² = 6.
    expect(quarter.association).toEqual({
      spearman: Number((-13.5 / Math.sqrt(13.5 * 17.5)).toFixed(3)),
      slope: -2,
      n: 6,
    });
    expect(quarter.association!.spearman).toBe(-0.878);
  });

  it('gives the same figures for the month and the week that hold every reflection', () => {
    const month = trendPeriods(rows, { granularity: 'month', from: '2025-01-13', to: '2025-01-19', k: 3 })[0];
    const week = trendPeriods(rows, { granularity: 'week', from: '2025-01-13', to: '2025-01-19', k: 3 })[0];
    const figures = ({ period, starts, ends, ...rest }: typeof quarter) => (void period, void starts, void ends, rest);
    expect(month.period).toBe('2025-01');
    expect(week.period).toBe('2025-W03');
    expect(figures(month)).toEqual(figures(quarter));
    expect(figures(week)).toEqual(figures(quarter));
  });
});

/** Every shown figure, for any rows, team and granularity, against the plainest computation from the rows it covers. */
describe('trend figures against a plain computation', () => {
  const WEEKS = weeksOfQuarter('2025-Q2');
  const contribution = fc.record({
    author: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'),
    team: fc.constantFrom('T1', 'T2', null),
    day: fc.integer({ min: WEEKS[0].monday, max: WEEKS[WEEKS.length - 1].monday + 6 }),
    pressure: fc.integer({ min: 1, max: 4 }),
    rung: fc.integer({ min: 1, max: 7 }),
    aspired: fc.option(fc.integer({ min: 1, max: 7 })),
    challenges: fc.subarray([...CHALLENGE_CODES]),
    principles: fc.subarray([...PRINCIPLE_CODES]),
    embedding: fc.option(fc.integer({ min: 1, max: 4 })),
    argument: fc.option(fc.integer({ min: 1, max: 4 })),
    reception: fc.option(fc.integer({ min: 1, max: 3 })),
    lived: fc.option(fc.boolean()),
  });
  /** Embedding levels, arguments by reception and lived experience, counted the plain way. */
  const practice = (rows: Contribution[]): PracticeFigures => {
    const receptions = (a: number) => {
      const made = rows.filter((x) => x.argument === a);
      return {
        ...Object.fromEntries(RECEPTION_CODES.map((c, i) => [c, made.filter((x) => x.reception === i + 1).length])),
        not_said: made.filter((x) => !x.reception).length,
      };
    };
    const involved = rows.filter((x) => x.lived === true).length;
    return {
      embedding: {
        ...Object.fromEntries(EMBEDDING_CODES.map((c, i) => [c, rows.filter((x) => x.embedding === i + 1).length])),
        not_said: rows.filter((x) => !x.embedding).length,
      },
      advocacy: Object.fromEntries(ARGUMENT_CODES.map((c, i) => [c, receptions(i + 1)])),
      livedExperience: { involved, share: rows.length ? fixed(involved / rows.length, 3) : null },
    } as PracticeFigures;
  };
  // Written out here, not taken from the engine's statistics module.
  const fixed = (x: number | null, digits = 2) => (x === null ? null : Number(x.toFixed(digits)));
  const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const ranks = (xs: number[]) =>
    xs.map((x) => xs.filter((y) => y < x).length + (xs.filter((y) => y === x).length + 1) / 2);
  const pearson = (xs: number[], ys: number[]) => {
    if (xs.length < 2) return null;
    const [mx, my] = [avg(xs)!, avg(ys)!];
    const sxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0);
    const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const syy = ys.reduce((s, y) => s + (y - my) ** 2, 0);
    return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
  };
  const slopeOf = (xs: number[], ys: number[]) => {
    if (xs.length < 2) return null;
    const [mx, my] = [avg(xs)!, avg(ys)!];
    const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    return sxx === 0 ? null : xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / sxx;
  };
  const count = (codes: readonly string[], lists: (readonly string[])[]) =>
    Object.fromEntries(codes.map((c) => [c, lists.filter((l) => l.includes(c)).length]));
  const plain = (rows: Contribution[], shown: TrendPeriod, k: number): Partial<TrendPeriod> => {
    const [p, r] = [rows.map((x) => x.pressure), rows.map((x) => x.rung)];
    // A hidden level with reflections would follow from the pressure-weighted sums: the mean pressure and the association are withheld.
    const withheld = shown.pressureByRung!.some((c) => c.suppressed && rows.some((x) => x.pressure === c.ordinal));
    return {
      reflections: rows.length,
      authors: new Set(rows.map((x) => x.author)).size,
      meanPressure: withheld ? null : fixed(avg(p)),
      meanRung: fixed(avg(r)),
      doingWithShare: fixed(rows.filter((x) => x.rung >= 6).length / rows.length, 3),
      meanGap: fixed(avg(rows.filter((x) => x.aspired !== null).map((x) => x.aspired! - x.rung))),
      challenges: count(
        CHALLENGE_CODES,
        rows.map((x) => x.challenges),
      ),
      principles: count(
        PRINCIPLE_CODES,
        rows.map((x) => x.principles),
      ),
      pressureByRung: PRESSURE.codes.map((info, i) => {
        if (shown.pressureByRung![i].suppressed)
          return { pressure: info.code, ordinal: info.ordinal!, suppressed: true };
        const level = rows.filter((x) => x.pressure === info.ordinal);
        expect(new Set(level.map((x) => x.author)).size).toBeGreaterThanOrEqual(k); // a shown level comes from k people or more
        return {
          pressure: info.code,
          ordinal: info.ordinal!,
          suppressed: false,
          count: level.length,
          meanRung: fixed(avg(level.map((x) => x.rung))),
          challenges: count(
            CHALLENGE_CODES,
            level.map((x) => x.challenges),
          ),
          ...practice(level),
        };
      }),
      association: withheld
        ? { spearman: null, slope: null, n: rows.length }
        : { spearman: fixed(pearson(ranks(p), ranks(r)), 3), slope: fixed(slopeOf(p, r), 3), n: rows.length },
      ...practice(rows),
      ...(withheld ? { withheld: ['meanPressure', 'association'] } : {}),
    };
  };

  it('agree for every shown period and pressure level', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.array(contribution, { minLength: 30, maxLength: 200 }),
        fc.constantFrom('week', 'month', 'quarter' as const),
        fc.constantFrom(undefined, 'T1', 'T2', 'T3'),
        (rows, granularity, team) => {
          const periods = trendPeriods(rows, { granularity, from: '2025-04-01', to: '2025-06-30', k: 3, team });
          expect(periods.length).toBeGreaterThan(0);
          for (const period of periods) {
            if (period.suppressed) continue;
            const covered = rows.filter(
              (r) =>
                (team === undefined || r.team === team) &&
                r.day >= dayNumber(period.starts) &&
                r.day <= dayNumber(period.ends),
            );
            expect(period.authors).toBeGreaterThanOrEqual(3);
            checked += 1;
            expect({ period: period.period, ...plain(covered, period, 3) }).toEqual({
              period: period.period,
              ...Object.fromEntries(
                Object.entries(period).filter(([key]) => !['starts', 'ends', 'suppressed'].includes(key)),
              ),
            });
          }
          if (team === 'T3') expect(periods.every((p) => p.suppressed)).toBe(true); // a team with nobody in it
        },
      ),
      { numRuns: 200 },
    );
    expect(checked).toBeGreaterThan(100); // the runs did show periods to compare
  });
});
