import { dateOf, dayNumber, periodsOf, periodsOfSql } from './periods';
import { openTestDatabase, TestDatabase } from './testing/test-database';

/** The calendar has two forms, TypeScript and SQL (the export's staging runs in PostgreSQL): they must never disagree. */
describe('periodsOfSql', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('periods');
  });
  afterAll(() => db?.close());

  it('labels every day of 2014–2027 (years with week 53, leap years, every year boundary) as periodsOf does', async () => {
    const first = dayNumber('2014-12-01');
    const last = dayNumber('2027-01-31');
    const days = Array.from({ length: last - first + 1 }, (_, i) => dateOf(first + i));
    const sql = periodsOfSql('d');
    const rows: { d: string; week: string; month: string; quarter: string }[] = await db.dataSource.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS d, ${sql.week} AS week, ${sql.month} AS month, ${sql.quarter} AS quarter
         FROM unnest($1::date[]) AS d ORDER BY d`,
      [days],
    );
    expect(rows).toHaveLength(days.length);
    const differing = rows.filter(
      (r) => JSON.stringify(periodsOf(r.d)) !== JSON.stringify({ week: r.week, month: r.month, quarter: r.quarter }),
    );
    expect(differing).toEqual([]);
    // The edges the two forms could most easily get wrong, spelled out.
    expect(rows.find((r) => r.d === '2021-01-03')).toMatchObject({
      week: '2020-W53',
      month: '2020-12',
      quarter: '2020-Q4',
    });
    expect(rows.find((r) => r.d === '2024-12-30')).toMatchObject({
      week: '2025-W01',
      month: '2025-01',
      quarter: '2025-Q1',
    });
  });
});
