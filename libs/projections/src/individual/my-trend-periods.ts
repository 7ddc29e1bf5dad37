import { CHALLENGE_CODES, Challenge, PRESSURE, ResourcePressure } from '@praxis/journal';
import { dayNumber, mondayOf, periodsOfQuarter, weekInfo } from '@praxis/common';
import { PracticeFigures, practiceFigures, PracticeInput } from '../domain/practice-figures';

export type MyGranularity = 'month' | 'quarter';

/** One of the worker's own reflections, as their trends read it: coded fields only. */
export interface MyTrendRow extends PracticeInput {
  occurredOn: string;
  pressure: number;
  rung: number;
  aspired: number | null;
  challenges: readonly string[];
}

export interface MyPressureCell extends PracticeFigures {
  pressure: ResourcePressure;
  pressureOrdinal: number;
  count: number;
  meanRung: number | null;
}

export interface MyTrendPeriod extends PracticeFigures {
  period: string;
  /** First and last day: whole ISO weeks, as for leaders and researchers. */
  starts: string;
  ends: string;
  reflections: number;
  meanPressure: number;
  meanRung: number;
  /** Mean of aspired − actual rung, over the reflections that name an aspired rung; null if none do. */
  meanGap: number | null;
  challenges: Record<Challenge, number>;
  rungByPressure: MyPressureCell[];
}

const round = (n: number | null) => (n === null ? null : Math.round(n * 1000) / 1000);
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/**
 * The worker's own trend, period by period. Months and quarters are the
 * organisation's (periods.ts): whole ISO weeks, each in the month that holds
 * its Thursday — so a worker's "2025-03" counts the same days as their leader's.
 */
export function myTrendPeriods(rows: readonly MyTrendRow[], granularity: MyGranularity): MyTrendPeriod[] {
  const byPeriod = new Map<string, MyTrendRow[]>();
  const quarterOf = new Map<string, string>();
  for (const row of rows) {
    const week = weekInfo(mondayOf(dayNumber(row.occurredOn)));
    const label = week[granularity];
    quarterOf.set(label, week.quarter);
    byPeriod.set(label, [...(byPeriod.get(label) ?? []), row]);
  }
  return [...byPeriod.keys()].sort().map((period) => {
    const ofPeriod = byPeriod.get(period)!;
    const span = periodsOfQuarter(quarterOf.get(period)!, granularity).find((p) => p.period === period)!;
    const challenges = Object.fromEntries(CHALLENGE_CODES.map((c) => [c, 0])) as Record<Challenge, number>;
    for (const row of ofPeriod) for (const c of row.challenges) if (c in challenges) challenges[c as Challenge] += 1;
    const gaps = ofPeriod.filter((r) => r.aspired !== null).map((r) => r.aspired! - r.rung);
    return {
      period,
      starts: span.starts,
      ends: span.ends,
      reflections: ofPeriod.length,
      meanPressure: round(mean(ofPeriod.map((r) => r.pressure)))!,
      meanRung: round(mean(ofPeriod.map((r) => r.rung)))!,
      meanGap: round(mean(gaps)),
      challenges,
      rungByPressure: PRESSURE.codes.map((level) => {
        const atLevel = ofPeriod.filter((r) => r.pressure === level.ordinal);
        return {
          pressure: level.code,
          pressureOrdinal: level.ordinal!,
          count: atLevel.length,
          meanRung: round(mean(atLevel.map((r) => r.rung))),
          ...practiceFigures(atLevel),
        };
      }),
      ...practiceFigures(ofPeriod),
    };
  });
}
