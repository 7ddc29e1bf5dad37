import { periodsOfSql } from '@praxis/common';
import type { Queryable } from '@praxis/event-store';

/**
 * The amendments and withdrawals staged in `rx_later` (staging.ts), applied
 * to the staged reflections once every chunk of the log is staged.
 */
const PATCHED_DATE = `CASE WHEN l.patch ? 'occurredOn' THEN (l.patch->>'occurredOn')::date ELSE s.occurred_on END`;
const PATCHED_PERIODS = periodsOfSql(PATCHED_DATE);
const patched = (key: string, column: string, value = `l.patch->>'${key}'`) =>
  `${column} = CASE WHEN l.patch ? '${key}' THEN ${value} ELSE s.${column} END`;

/** The withdrawals of one part of the reflections ($1 parts, this one $2, by a hash of the id): always applied. */
const APPLY_WITHDRAWALS = `
  UPDATE rx_stage s SET withdrawn = true
    FROM rx_later l
   WHERE l.withdrawn AND (hashtext(l.rid) & 2147483647) % $1 = $2 AND s.reflection_id = l.rid`;

/**
 * The amendments numbered $3 (each reflection's first, second, … in log
 * order) of one part of the reflections ($1 parts, this one $2), applied to
 * what is staged: the changed fields replace the old ones, key by key (the
 * journal's `evolve`), in turn, one round per number. An amendment made after
 * the cut of the quarter the reflection is in, or of the quarter it would move
 * it to, is not applied: a quarter's records stay as the first export of it
 * published them, and none arrives late (rx_cut; a quarter never exported has
 * no cut yet, and its cut, once fixed, lies after every amendment already in
 * the log, so the outcome never changes). Those of reflections not staged
 * (written without consent) change nothing.
 */
const APPLY_AMENDMENTS = `
  UPDATE rx_stage s
     SET amended = true,
         arrived_at = CASE WHEN ${PATCHED_PERIODS.quarter} <> s.quarter THEN l.pos ELSE s.arrived_at END,
         occurred_on = ${PATCHED_DATE},
         week = ${PATCHED_PERIODS.week}, month = ${PATCHED_PERIODS.month}, quarter = ${PATCHED_PERIODS.quarter},
         ${patched('ladderRung', 'ladder_rung')},
         ${patched('aspiredRung', 'aspired_rung')},
         ${patched('resourcePressure', 'resource_pressure')},
         ${patched('pressureSources', 'pressure_sources', `l.patch->'pressureSources'`)},
         ${patched('challenges', 'challenges', `l.patch->'challenges'`)},
         ${patched('principles', 'principles', `l.patch->'principles'`)},
         ${patched('stage', 'stage')},
         ${patched('embedding', 'embedding')},
         ${patched('advocacy', 'advocacy_argument', `l.patch->'advocacy'->>'argument'`)},
         ${patched('advocacy', 'advocacy_reception', `l.patch->'advocacy'->>'reception'`)},
         ${patched('livedExperienceInvolved', 'lived_experience', `(l.patch->>'livedExperienceInvolved')::boolean`)}
    FROM (SELECT rid, pos, fields AS patch FROM rx_amend WHERE part % $1 = $2 AND seq = $3) l
   WHERE s.reflection_id = l.rid
     AND NOT EXISTS (SELECT 1 FROM rx_cut c WHERE c.quarter = s.quarter AND c.horizon < l.pos)
     AND NOT EXISTS (SELECT 1 FROM rx_cut c WHERE c.quarter = ${PATCHED_PERIODS.quarter} AND c.horizon < l.pos)`;

/** Amendments and withdrawals applied per statement, about. */
export const LATER_PART = 50_000;

/**
 * Once every chunk is staged: indexes the staged reflections by id, uniquely (built once,
 * sorted, rather than entry by entry as they were staged: measured three times
 * cheaper) and applies their amendments, in log order (one statement per
 * part of the reflections and per round: every reflection's first amendment,
 * then its second, …), then their withdrawals; each statement a short
 * transaction of its own.
 */
export async function applyLater(
  db: Queryable,
  between: () => Promise<void> = async () => {},
  partSize = LATER_PART,
): Promise<void> {
  // Unique: a reflection staged twice would be a broken log, and fails the build here.
  await db.query(`CREATE UNIQUE INDEX rx_stage_reflection ON rx_stage (reflection_id)`);
  const [{ n }]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM rx_later`);
  if (n === 0) return;
  // Statistics for the join below only (every column of a million rows took most of a second).
  await db.query(`ANALYZE rx_stage (reflection_id)`);
  await db.query(`ANALYZE rx_later`);
  const parts = Math.ceil(n / partSize);
  await db.query(
    `INSERT INTO rx_amend (rid, pos, seq, part, fields)
     SELECT rid, pos, row_number() OVER (PARTITION BY rid ORDER BY pos), hashtext(rid) & 2147483647, fields
       FROM rx_later WHERE NOT withdrawn`,
  );
  await db.query(`ANALYZE rx_amend`);
  const [{ rounds }]: { rounds: number }[] = await db.query(
    `SELECT coalesce(max(seq), 0)::int AS rounds FROM rx_amend`,
  );
  for (let part = 0; part < parts; part++) {
    for (let round = 1; round <= rounds; round++) await db.query(APPLY_AMENDMENTS, [parts, part, round]);
    await db.query(APPLY_WITHDRAWALS, [parts, part]);
    await between();
  }
}
