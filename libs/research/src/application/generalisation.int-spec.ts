import { openTestDatabase, TestDatabase } from '@praxis/testing';
import { generalise } from './generalisation';
import { createStageTables } from './staging';

/** The k-anonymity pass on hand-made staging rows: week, then month, then quarter, then suppressed. */
describe('generalisation (k = 3)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('research_generalise');
  });
  afterAll(() => db?.close());

  // [person, team, week, month, quarter]
  const ROWS: [string, string, string, string, string][] = [
    // team t1, week W10: three people (one twice) → week
    ['p1', 't1', '2025-W10', '2025-03', '2025-Q1'],
    ['p1', 't1', '2025-W10', '2025-03', '2025-Q1'],
    ['p2', 't1', '2025-W10', '2025-03', '2025-Q1'],
    ['p3', 't1', '2025-W10', '2025-03', '2025-Q1'],
    // team t1, three small weeks of March → month (p1 again: week W10's people do not count here)
    ['p4', 't1', '2025-W11', '2025-03', '2025-Q1'],
    ['p5', 't1', '2025-W12', '2025-03', '2025-Q1'],
    ['p1', 't1', '2025-W13', '2025-03', '2025-Q1'],
    // team t2: one person a month over a quarter → quarter
    ['q1', 't2', '2025-W02', '2025-01', '2025-Q1'],
    ['q2', 't2', '2025-W07', '2025-02', '2025-Q1'],
    ['q3', 't2', '2025-W11', '2025-03', '2025-Q1'],
    // no team: two people in a quarter → suppressed
    ['s1', '', '2025-W20', '2025-05', '2025-Q2'],
    ['s2', '', '2025-W21', '2025-05', '2025-Q2'],
    ['s2', '', '2025-W22', '2025-05', '2025-Q2'],
  ];

  it('releases every record at the finest level its group allows, and says what it did', async () => {
    await db.dataSource.transaction(async (tx) => {
      await createStageTables(tx);
      for (const [i, [person, team, week, month, quarter]] of ROWS.entries()) {
        await tx.query(
          `INSERT INTO rx_stage (reflection_id, person, written_at, organisation, team, schema_version, occurred_on, week, month, quarter)
           VALUES ($1, $2, ${i + 1}, 'o1', $3, 1, '2025-03-05', $4, $5, $6)`,
          [`r${i}`, person, team, week, month, quarter],
        );
      }
      const counts = await generalise(tx, 3);
      expect(counts).toEqual({ byGranularity: { week: 4, month: 3, quarter: 3 }, suppressed: 3 });
      const classes: { team: string; period: string; people: number }[] = await tx.query(
        `SELECT s.team, p.period, count(DISTINCT s.person)::int AS people
           FROM rx_stage s JOIN rx_place p ON p.organisation = s.organisation AND p.team = s.team AND p.week = s.week
          GROUP BY s.team, p.period ORDER BY s.team, p.period`,
      );
      expect(classes).toEqual([
        { team: 't1', period: '2025-03', people: 3 },
        { team: 't1', period: '2025-W10', people: 3 },
        { team: 't2', period: '2025-Q1', people: 3 },
      ]);
    });
  });
});
