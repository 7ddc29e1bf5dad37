import { CodedFields } from '@praxis/journal';
import {
  codedRecord,
  CSV_COLUMNS,
  csvRow,
  ExportRecord,
  ndjsonLine,
  recordFromCsv,
  RECORD_KEYS,
} from './export-record';
import { checkClosed, checkRange, latestClosedQuarterEnd, quartersOf } from './export-range';

const FIELDS: CodedFields = {
  occurredOn: '2025-03-05',
  ladderRung: 'co_design',
  aspiredRung: 'co_production',
  resourcePressure: 'severe',
  pressureSources: ['funding', 'time'],
  challenges: ['other', 'time'],
  principles: [],
  stage: 'co_delivery',
  embedding: null,
  advocacy: { argument: 'ethical', reception: null },
  livedExperienceInvolved: true,
};

const record = (): ExportRecord => ({
  person: 'a'.repeat(32),
  organisation: 'b'.repeat(32),
  team: null,
  period: '2025-W10',
  periodGranularity: 'week',
  ...codedRecord(FIELDS, 1, false),
});

describe('export records', () => {
  it('carries codes with ordinals, sets in codebook order, and nothing else of the reflection', () => {
    const coded = codedRecord(FIELDS, 1, true);
    expect(coded).toMatchObject({
      ladderRungOrdinal: 6,
      aspiredRungOrdinal: 7,
      resourcePressureOrdinal: 3,
      amended: true,
    });
    expect(coded.pressureSources).toEqual(['time', 'funding']);
    expect(coded.challenges).toEqual(['time', 'other']);
    expect(JSON.stringify(coded)).not.toContain('2025-03-05');
  });

  it('writes NDJSON keys in file order', () => {
    const line = ndjsonLine(record());
    expect(line.endsWith('\n')).toBe(true);
    expect(Object.keys(JSON.parse(line))).toEqual([...RECORD_KEYS]);
  });

  it('expands sets to one 0/1 column per code in CSV, and reads back to the same record', () => {
    const row = csvRow(record());
    expect(row).toHaveLength(CSV_COLUMNS.length);
    const byName = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, String(row[i])]));
    expect(byName['pressureSources.funding']).toBe('1');
    expect(byName['pressureSources.space']).toBe('0');
    expect(byName.team).toBe('');
    expect(recordFromCsv(byName)).toEqual(JSON.parse(ndjsonLine(record())));
  });
});

describe('export range', () => {
  it('accepts whole quarters, up to ten years of them', () => {
    expect(checkRange('2015-04-01', '2025-03-31')).toEqual({
      from: '2015-04-01',
      to: '2025-03-31',
      firstQuarter: '2015-Q2',
      lastQuarter: '2025-Q1',
    });
    expect(checkRange('2025-01-01', '2025-03-31')).toEqual({
      from: '2025-01-01',
      to: '2025-03-31',
      firstQuarter: '2025-Q1',
      lastQuarter: '2025-Q1',
    });
  });

  it.each([
    [
      '2025-03-10',
      '2025-03-31',
      /^The "From" date must be the first day of a quarter: the nearest are 2025-01-01 \(2025-Q1\) and 2025-04-01 \(2025-Q2\)$/,
    ],
    [
      '2025-01-01',
      '2025-03-30',
      /^The "To" date must be the last day of a quarter: the nearest are 2024-12-31 \(2024-Q4\) and 2025-03-31 \(2025-Q1\)$/,
    ],
    ['2025-03-05', '2025-03-05', /^The "From" date must be the first day of a quarter/], // one day
    ['2025-04-01', '2025-03-31', /^The "From" date must not be after the "To" date$/],
    ['2015-01-01', '2025-03-31', /^The "From" date must be at most 10 years before the "To" date$/],
    ['2025-02-30', '2025-03-31', /^The "From" date must be a date written YYYY-MM-DD$/],
    ['2025-01-01', 'soon', /^The "To" date must be a date written YYYY-MM-DD$/],
    [undefined, '2025-03-31', /^Enter the "From" date: the first day of a quarter, such as 2025-01-01$/],
    ['2025-01-01', '', /^Enter the "To" date: the last day of a quarter, such as 2025-03-31$/],
    // Both fields at fault: both named, in the form's order.
    [
      '2025-02-10',
      'soon',
      /^The "From" date must be the first day of a quarter: .*; The "To" date must be a date written YYYY-MM-DD$/,
    ],
  ])('refuses %s to %s, naming the field', (from, to, message) => {
    expect(() => checkRange(from, to)).toThrow(message);
  });
});

describe('closed quarters', () => {
  it.each([
    // A quarter is closed from the fifteenth day after its last, with 14 days of grace.
    ['2026-10-15T00:00:00Z', 14, '2026-09-30'],
    ['2026-10-14T23:59:59Z', 14, '2026-06-30'],
    ['2026-11-30T12:00:00Z', 14, '2026-09-30'],
    ['2026-12-31T23:00:00Z', 0, '2026-09-30'],
    // 2026-Q4's last week (2026-W53, Thursday 31 December) runs to Sunday 3 January 2027: not closed before it ends.
    ['2027-01-01T00:00:00Z', 0, '2026-09-30'],
    ['2027-01-03T23:00:00Z', 3, '2026-09-30'],
    ['2027-01-04T00:00:00Z', 0, '2026-12-31'],
    ['2027-01-07T00:00:00Z', 3, '2026-12-31'],
    // With 14 days of grace, from the fifteenth day after that Sunday (the day leaders see the quarter).
    ['2027-01-18T00:00:00Z', 14, '2026-12-31'],
    ['2027-01-17T23:00:00Z', 14, '2026-09-30'],
  ])('on %s with %d days of grace, reaches at most %s', (now, grace, latest) => {
    expect(latestClosedQuarterEnd(new Date(now), grace)).toBe(latest);
  });

  it('refuses a range reaching a quarter not yet closed, naming the latest there is', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(() => checkClosed(checkRange('2026-07-01', '2026-09-30'), now, 14)).not.toThrow();
    expect(() => checkClosed(checkRange('2026-07-01', '2026-12-31'), now, 14)).toThrow(
      'The "To" date must be the last day of a quarter that ended, its last week included, at least 14 days ago, so that late entries count: ' +
        'the latest is 2026-09-30 (2026-Q3)',
    );
  });

  it('lists the quarters of a range across a year', () => {
    expect(quartersOf(checkRange('2024-10-01', '2025-06-30'))).toEqual(['2024-Q4', '2025-Q1', '2025-Q2']);
  });
});
