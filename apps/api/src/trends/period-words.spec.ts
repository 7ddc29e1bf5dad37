import { associationWords, periodName, periodShortName } from './period-words';

describe('a period in words', () => {
  it('names a month, a week with its days, and a quarter by its months', () => {
    expect(periodName('2026-01')).toBe('January 2026');
    expect(periodName('2025-W49')).toBe('Week 49, 2025 (1–7 Dec)');
    expect(periodName('2026-W05')).toBe('Week 5, 2026 (26 Jan – 1 Feb)');
    // ISO week 1 of 2026 starts in 2025: both years are said.
    expect(periodName('2026-W01')).toBe('Week 1, 2026 (29 Dec 2025 – 4 Jan 2026)');
    expect(periodName('2020-W53')).toBe('Week 53, 2020 (28 Dec 2020 – 3 Jan 2021)');
    expect(periodName('2026-Q4')).toBe('Oct–Dec 2026');
    expect(periodName('2026-Q1')).toBe('Jan–Mar 2026');
  });

  it('is shorter on a chart axis, and always says the year', () => {
    expect(periodShortName('2026-01')).toBe('Jan 2026');
    expect(periodShortName('2026-09')).toBe('Sep 2026');
    expect(periodShortName('2025-W49')).toBe('1–7 Dec 2025');
    expect(periodShortName('2026-W05')).toBe('26 Jan – 1 Feb 2026');
    expect(periodShortName('2026-Q4')).toBe('Oct–Dec 2026');
  });

  it('leaves anything else as it is', () => {
    expect(periodName('All shown')).toBe('All shown');
  });
});

describe('the pressure–rung association in words', () => {
  it('reads the statistic plainly and keeps it', () => {
    expect(associationWords({ spearman: -0.42, slope: -0.8 })).toEqual({
      shown: true,
      reading: 'Moderate link: more pressure, lower rungs',
      spearman: '−0.42',
      slope: '−0.8',
    });
    expect(associationWords({ spearman: 0.6, slope: 1.1 })).toMatchObject({
      reading: 'Strong link: more pressure, higher rungs',
    });
    expect(associationWords({ spearman: -0.2, slope: -0.3 })).toMatchObject({
      reading: 'Weak link: more pressure, lower rungs',
    });
    expect(associationWords({ spearman: 0.05, slope: 0.1 })).toMatchObject({ reading: 'No clear link' });
  });

  it('says why there is none, in words', () => {
    expect(associationWords({ spearman: null, slope: null }, ['meanPressure', 'association'])).toEqual({
      shown: false,
      reason: 'Not shown: it would reveal a hidden pressure level',
    });
    expect(associationWords({ spearman: null, slope: null })).toEqual({
      shown: false,
      reason: 'None to read: every reflection was at the same pressure',
    });
    expect(associationWords({ spearman: null, slope: 0 })).toEqual({
      shown: false,
      reason: 'None to read: every reflection reached the same rung',
    });
  });
});
