import type { Queryable } from '@praxis/event-store';
import { Pseudonymiser } from '../domain/pseudonyms';
import { codedColumns, LINE_SQL, PAGE_RECORDS, Span } from './record-lines';

export { PAGE_RECORDS } from './record-lines';

/** Ids pseudonymised per statement. */
const PSEUDONYM_CHUNK = 10_000;

/**
 * Records written per statement (about: whole periods are never split), each
 * a short transaction of its own: about 0.3 s here, with its sort (some 650
 * bytes a record) within the build's work_mem of 64 MB (export-builder.ts).
 */
export const WRITE_CHUNK = 50_000;

/**
 * Pseudonyms for the ids of the staged (eligible) reflections, and the member
 * tag of each person with a released record, computed here (HMAC-SHA256
 * under the export's own key, domain/pseudonyms.ts) once per person,
 * organisation and team — thousands, where records are millions — into the
 * session's `rx_*_pseudonym` and `rx_member` tables; the key itself never
 * enters the database. Runs after generalisation (`rx_place` says what is released).
 */
export async function stagePseudonyms(db: Queryable, pseudonyms: Pseudonymiser): Promise<void> {
  for (const kind of ['person', 'organisation', 'team'] as const) {
    // Organisations and teams from the groups (thousands of rows), people from the records.
    const from = kind === 'person' ? 'rx_stage' : 'rx_group';
    const rows: { id: string }[] = await db.query(`SELECT DISTINCT ${kind} AS id FROM ${from} WHERE ${kind} <> ''`);
    for (let i = 0; i < rows.length; i += PSEUDONYM_CHUNK) {
      const ids = rows.slice(i, i + PSEUDONYM_CHUNK).map((r) => r.id);
      await db.query(`INSERT INTO rx_${kind}_pseudonym (id, pseudonym) SELECT * FROM unnest($1::text[], $2::text[])`, [
        ids,
        ids.map((id) => pseudonyms[kind](id)),
      ]);
    }
    await db.query(`ANALYZE rx_${kind}_pseudonym`);
  }
  // Only the people with a record in the files: an erasure sends the export back only for them (research-erasure.ts).
  // Everyone staged, but those whose records are all in suppressed groups: such groups have fewer than k people,
  // so they are listed (rx_group.persons), and only their records need looking at, not everyone's.
  const released: { id: string }[] = await db.query(
    `WITH suppressed AS (
       SELECT DISTINCT person
         FROM rx_group g CROSS JOIN LATERAL unnest(g.persons) AS person
        WHERE NOT EXISTS (SELECT 1 FROM rx_place p WHERE p.organisation = g.organisation AND p.team = g.team AND p.week = g.week)
     ), only_suppressed AS (
       SELECT person FROM suppressed
       EXCEPT
       SELECT s.person FROM rx_stage s JOIN suppressed x ON x.person = s.person
         JOIN rx_place p ON p.organisation = s.organisation AND p.team = s.team AND p.week = s.week
     )
     SELECT id FROM rx_person_pseudonym WHERE id NOT IN (SELECT person FROM only_suppressed)`,
  );
  for (let i = 0; i < released.length; i += PSEUDONYM_CHUNK)
    await db.query(`INSERT INTO rx_member (tag) SELECT unnest($1::text[])`, [
      released.slice(i, i + PSEUDONYM_CHUNK).map((r) => pseudonyms.memberTag(r.id)),
    ]);
}

/**
 * The released records of some periods of one quarter ($3: the quarter of the
 * records' weeks, which holds each of their periods whole; $4: the periods,
 * $5: where each starts in the file), rendered as NDJSON lines and stored as
 * pages of up to $6 lines of one period, each numbered by its first record's
 * place in the file — all in PostgreSQL, in one statement: nothing of a record
 * passes through this process. File order: by period, then pseudonyms — which
 * say nothing of the order things were written in — then the coded values
 * (the staged columns), so identical records are the only ones whose order the
 * reflection's id decides, and theirs cannot be seen. The pages are written
 * under the builder's claim ($2): the export row is read FOR SHARE, so a
 * builder that has lost its claim writes nothing, and a reclaim waits for the
 * statement in hand. Answers how many records it stored (the pages are read
 * once: counting them before the insert as well kept them all in memory).
 */
const WRITE_SPAN = `
  WITH place AS MATERIALIZED ( -- the span's groups, each with its organisation's and team's pseudonyms
    SELECT p.organisation, p.team, p.week, p.period, p.granularity, po.pseudonym AS organisation_pseudonym, pt.pseudonym AS team_pseudonym
      FROM rx_place p
      JOIN rx_organisation_pseudonym po ON po.id = p.organisation
      LEFT JOIN rx_team_pseudonym pt ON pt.id = p.team
     WHERE p.quarter = $3 AND p.period = ANY ($4::text[])
  ), recs AS ( -- each record's line, and its place in its period in file order: pseudonyms, then the coded values
    SELECT r.period, ${LINE_SQL} AS line,
           row_number() OVER (PARTITION BY r.period
                              ORDER BY r.organisation_pseudonym, coalesce(r.team_pseudonym, ''), r.person_pseudonym,
                                       ${codedColumns('r')}, r.reflection_id) - 1 AS i
      FROM (SELECT p.period, p.granularity, p.organisation_pseudonym, p.team_pseudonym, pp.pseudonym AS person_pseudonym,
                   s.reflection_id, ${codedColumns('s')}
              FROM rx_stage s
              JOIN place p ON p.organisation = s.organisation AND p.team = s.team AND p.week = s.week
              JOIN rx_person_pseudonym pp ON pp.id = s.person
             WHERE s.quarter = $3) r
  ), pages AS ( -- a line that came out null would be missing from its page's text: count lines, not rows
    SELECT period, min(i) AS first, count(line)::int AS records, string_agg(line, '' ORDER BY i) AS lines
      FROM recs
     GROUP BY period, i / $6::int
  ), ins AS (
    INSERT INTO research_export_pages (export_id, seq, records, lines)
    SELECT $1, st.start + g.first + 1, g.records, g.lines
      FROM pages g JOIN unnest($4::text[], $5::int[]) AS st(period, start) ON st.period = g.period
     WHERE EXISTS (SELECT 1 FROM research_exports x WHERE x.id = $1 AND x.claim = $2 AND x.status = 'running' FOR SHARE)
    RETURNING records)
  SELECT coalesce(sum(records), 0)::int AS stored FROM ins`;

/**
 * Thrown when the builder's claim is gone: another builder took the export
 * over (this one's lease ran out), or an erasure sent it back to the queue.
 */
export class LostClaim extends Error {
  constructor(exportId: string) {
    super(`export ${exportId}: its claim is gone (another builder, or an erasure, took it)`);
  }
}

/**
 * Lists, on the export row and under the builder's claim, the member tag of
 * every person with at least one record in the files: an erasure rebuilds
 * only the exports whose list holds the person's tag. People whose records
 * were all suppressed are not listed: rebuilding for them would change only
 * the report's counts, and tell the researcher that an erased person's
 * records were in a group under k; the counts are anonymous statistics, and stay.
 */
export async function listMembers(db: Queryable, exportId: string, claim: number): Promise<void> {
  const listed = firstRow(
    await db.query(
      `UPDATE research_exports SET member_tags = (SELECT coalesce(array_agg(tag ORDER BY tag), '{}') FROM rx_member)
        WHERE id = $1 AND claim = $2 AND status = 'running' RETURNING id`,
      [exportId, claim],
    ),
  );
  if (!listed) throw new LostClaim(exportId);
}

async function holdsClaim(db: Queryable, exportId: string, claim: number): Promise<boolean> {
  const rows: unknown[] = await db.query(
    `SELECT 1 FROM research_exports WHERE id = $1 AND claim = $2 AND status = 'running'`,
    [exportId, claim],
  );
  return rows.length > 0;
}

/** The first row of a query's answer: TypeORM answers an UPDATE … RETURNING with [rows, count]. */
export function firstRow<T>(answer: [T[], number] | T[]): T | undefined {
  const rows = (Array.isArray(answer[0]) ? answer[0] : answer) as T[];
  return rows[0];
}

/**
 * The file cut into spans of whole periods of one quarter, about WRITE_CHUNK
 * records each, with each period's start in the file (periods in the order
 * of their names, as PostgreSQL's "C" collation and JavaScript compare them).
 */
function spans(counts: { quarter: string; period: string; n: number }[], chunk: number): Span[] {
  const ordered = [...counts].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const start = new Map<string, number>();
  let at = 0;
  for (const c of ordered) {
    start.set(c.period, at);
    at += c.n;
  }
  const byQuarter = [...counts].sort((a, b) =>
    a.quarter !== b.quarter ? (a.quarter < b.quarter ? -1 : 1) : a.period < b.period ? -1 : 1,
  );
  const out: Span[] = [];
  for (const c of byQuarter) {
    let span = out[out.length - 1];
    if (!span || span.quarter !== c.quarter || span.records + c.n > chunk) {
      span = { quarter: c.quarter, periods: [], starts: [], records: 0 };
      out.push(span);
    }
    span.periods.push(c.period);
    span.starts.push(start.get(c.period)!);
    span.records += c.n;
  }
  return out;
}

/** Sizes of a write, for tests that need many spans and pages from a few records. */
export interface WriteSizes {
  /** Records per span, about (WRITE_CHUNK): whole periods are never split between spans. */
  span?: number;
  /** Records per page (PAGE_RECORDS). */
  page?: number;
}

/**
 * Writes the released records, a span of whole periods of one quarter per
 * statement (WRITE_SPAN); the claim's heartbeat runs between spans.
 * Returns how many records were written.
 */
export async function writeRecords(
  db: Queryable,
  exportId: string,
  claim: number,
  between: () => Promise<void> = async () => {},
  sizes: WriteSizes = {},
): Promise<number> {
  const { span: spanRecords = WRITE_CHUNK, page: pageRecords = PAGE_RECORDS } = sizes;
  // Each span reads its quarter's records by this index.
  await db.query(`CREATE INDEX rx_stage_quarter ON rx_stage (quarter)`);
  const counts: { quarter: string; period: string; n: number }[] = await db.query(
    `SELECT quarter, period, sum(records)::int AS n FROM rx_place GROUP BY quarter, period`,
  );
  // The planner underestimates a span's rows (a few dozen for thousands) and would look each person's pseudonym up by
  // index, row by row; hashed joins are faster. This session only, reset below.
  await db.query(`SET enable_nestloop = off`);
  let written = 0;
  try {
    for (const span of spans(counts, spanRecords)) {
      const [{ stored }]: { stored: number }[] = await db.query(WRITE_SPAN, [
        exportId,
        claim,
        span.quarter,
        span.periods,
        span.starts,
        pageRecords,
      ]);
      if (stored !== span.records) {
        if (!(await holdsClaim(db, exportId, claim))) throw new LostClaim(exportId);
        throw new Error(`a span of ${span.records} records stored ${stored}`);
      }
      written += stored;
      await between();
    }
  } finally {
    await db.query(`RESET enable_nestloop`).catch(() => undefined);
  }
  return written;
}
