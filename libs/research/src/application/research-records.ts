import type { Queryable } from '@praxis/event-store';
import { Pseudonymiser } from '../domain/pseudonyms';
import { LineRenderer, PAGE_RECORDS, Pager, Span, SpanRecord } from './record-lines';

export { PAGE_RECORDS } from './record-lines';

/** Records written per statement: each one a short transaction. */
export const WRITE_CHUNK = 10_000;

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
    for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
      const ids = rows.slice(i, i + WRITE_CHUNK).map((r) => r.id);
      await db.query(`INSERT INTO rx_${kind}_pseudonym (id, pseudonym) SELECT * FROM unnest($1::text[], $2::text[])`, [
        ids,
        ids.map((id) => pseudonyms[kind](id)),
      ]);
    }
    await db.query(`ANALYZE rx_${kind}_pseudonym`);
  }
  // Each released group carries its organisation's and team's pseudonyms: the records are joined to their group anyway.
  await db.query(
    `UPDATE rx_place p SET organisation_pseudonym = n.organisation_pseudonym, team_pseudonym = n.team_pseudonym
       FROM (SELECT g.organisation, g.team, po.pseudonym AS organisation_pseudonym, pt.pseudonym AS team_pseudonym
               FROM (SELECT DISTINCT organisation, team FROM rx_place) g
               JOIN rx_organisation_pseudonym po ON po.id = g.organisation
               LEFT JOIN rx_team_pseudonym pt ON pt.id = g.team) n
      WHERE n.organisation = p.organisation AND n.team = p.team`,
  );
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
  for (let i = 0; i < released.length; i += WRITE_CHUNK)
    await db.query(`INSERT INTO rx_member (tag) SELECT unnest($1::text[])`, [
      released.slice(i, i + WRITE_CHUNK).map((r) => pseudonyms.memberTag(r.id)),
    ]);
}

/**
 * The released records of some periods of one quarter ($1: the quarter of the
 * records' weeks, which holds each of their periods whole; $2: the periods),
 * in file order: by period, then pseudonyms — which say nothing of the order
 * things were written in — then the coded values, so identical records are the
 * only ones whose order the reflection's id decides, and theirs cannot be seen.
 * The coded values come as one JSON array: one text per record where there
 * were thirteen values (with 2 000 rows per fetch, the build's RSS grew by
 * 47 MB where it had grown by 127), parsed once per distinct array.
 */
const SPAN_RECORDS = `
  SELECT p.period, p.granularity, pp.pseudonym AS person, p.organisation_pseudonym AS organisation, p.team_pseudonym AS team,
         json_build_array(s.schema_version, s.amended, s.ladder_rung, s.aspired_rung, s.resource_pressure, s.pressure_sources,
                          s.challenges, s.principles, s.stage, s.embedding, s.advocacy_argument, s.advocacy_reception,
                          s.lived_experience)::text AS coded
    FROM rx_stage s
    JOIN rx_place p ON p.organisation = s.organisation AND p.team = s.team AND p.week = s.week -- the quarter's groups only
    JOIN rx_person_pseudonym pp ON pp.id = s.person
   WHERE s.quarter = $1 AND p.quarter = $1 AND p.period = ANY ($2::text[])
   ORDER BY p.period, p.organisation_pseudonym, coalesce(p.team_pseudonym, ''), pp.pseudonym, s.schema_version, s.amended, s.ladder_rung,
            s.aspired_rung, s.resource_pressure, s.pressure_sources, s.challenges, s.principles, s.stage, s.embedding,
            s.advocacy_argument, s.advocacy_reception, s.lived_experience, s.reflection_id`;

/**
 * Pages of NDJSON lines, written under the builder's claim ($2), each page's
 * text a parameter of its own (a text[] parameter would escape every quote of
 * the JSON, both ways: 10.8 s against 1.2 s for the bench's 666 331 records); the export
 * row is read FOR SHARE, so a builder that has lost its claim writes nothing,
 * and a reclaim waits for the statement in hand.
 */
const writePages = (pages: number) => `
  WITH ins AS (
    INSERT INTO research_export_pages (export_id, seq, records, lines)
    SELECT $1, p.seq, p.records, p.lines
      FROM (VALUES ${Array.from({ length: pages }, (_, i) => `($${3 * i + 3}::int, $${3 * i + 4}::int, $${3 * i + 5}::text)`).join(', ')})
           AS p(seq, records, lines)
     WHERE EXISTS (SELECT 1 FROM research_exports x WHERE x.id = $1 AND x.claim = $2 AND x.status = 'running' FOR SHARE)
    RETURNING records)
  SELECT coalesce(sum(records), 0)::int AS n FROM ins`;

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

/**
 * Rows fetched from a span's cursor at a time: what this process holds of a
 * span, however large its periods. Measured at a million reflections: 2 000
 * rows, RSS +47 MB over the build; 3 000 or more, their rows live long enough
 * to be promoted out of V8's young generation and the RSS grows by 120–140 MB,
 * for a write about a second shorter.
 */
export const FETCH_ROWS = 2_000;

/** Fetches between heartbeats within a span. */
const BEAT_EVERY = 10;

/** Sizes of a write, for tests that need many spans, fetches and pages from a few records. */
export interface WriteSizes {
  /** Records per span, about (WRITE_CHUNK): whole periods are never split between spans. */
  span?: number;
  /** Rows per fetch (FETCH_ROWS). */
  fetch?: number;
  /** Records per page (PAGE_RECORDS). */
  page?: number;
}

/**
 * Writes the released records, a span of whole periods at a time: read in file
 * order through a cursor of the session (FETCH_ROWS at a time, so a period of a
 * million records is never held here whole), rendered here, and stored as
 * pages of up to PAGE_RECORDS lines of one period, each numbered by its first
 * record's place in the file. Each read is asked for before the rows in hand
 * are rendered — the first read of a span declares its cursor, which joins and
 * sorts the span — so PostgreSQL works while this process renders (the session
 * runs its statements in turn: pages and heartbeats are written after that
 * read). Returns how many records were written.
 */
export async function writeRecords(
  db: Queryable,
  exportId: string,
  claim: number,
  between: () => Promise<void> = async () => {},
  sizes: WriteSizes = {},
): Promise<number> {
  const { span: spanRecords = WRITE_CHUNK, fetch: fetchRows = FETCH_ROWS, page: pageRecords = PAGE_RECORDS } = sizes;
  // Each span reads its quarter's records by this index.
  await db.query(`CREATE INDEX rx_stage_quarter ON rx_stage (quarter)`);
  const counts: { quarter: string; period: string; n: number }[] = await db.query(
    `SELECT quarter, period, sum(records)::int AS n FROM rx_place GROUP BY quarter, period`,
  );
  const all = spans(counts, spanRecords);
  // Every read, in order: a span's first declares its cursor, its last is followed by closing it.
  const reads = all.flatMap((span, i) => {
    const fetches = Math.max(1, Math.ceil(span.records / fetchRows));
    return Array.from({ length: fetches }, (_, j) => ({ span: i, first: j === 0, last: j === fetches - 1 }));
  });
  const issue = ({ span, first }: (typeof reads)[number]): Promise<SpanRecord[]> => {
    const cursor = `rx_span_${span}`;
    const declared = first
      ? db.query(`DECLARE ${cursor} NO SCROLL CURSOR WITH HOLD FOR ${SPAN_RECORDS}`, [
          all[span].quarter,
          all[span].periods,
        ])
      : Promise.resolve();
    const rows: Promise<SpanRecord[]> = declared.then(() => db.query(`FETCH ${fetchRows} FROM ${cursor}`));
    rows.catch(() => undefined); // awaited below; a failure while other rows are rendered must not go unhandled
    return rows;
  };
  const write = async (pages: (number | string)[]): Promise<number> => {
    if (pages.length === 0) return 0;
    const records = pages.reduce<number>((sum, v, i) => (i % 3 === 1 ? sum + (v as number) : sum), 0);
    const [{ n }]: { n: number }[] = await db.query(writePages(pages.length / 3), [exportId, claim, ...pages]);
    if (n !== records) throw new LostClaim(exportId);
    return n;
  };
  const renderer = new LineRenderer();
  let written = 0;
  let pager: Pager | undefined;
  let read = 0;
  // The planner underestimates a span's rows (a few dozen for thousands) and looks each person's pseudonym up by
  // index, row by row; hashed, the write takes 10.7 s against 11.4 (medians of three alternating runs at a million
  // reflections). This session only, reset below.
  await db.query(`SET enable_nestloop = off`);
  let next = reads.length > 0 ? issue(reads[0]) : undefined;
  try {
    for (const [r, step] of reads.entries()) {
      const rows = await next!;
      next = r + 1 < reads.length ? issue(reads[r + 1]) : undefined;
      const span = all[step.span];
      if (step.first) {
        pager = new Pager(span, renderer, pageRecords);
        read = 0;
      }
      read += rows.length;
      written += await write(pager!.add(rows));
      // The claim's heartbeat, every few fetches of a large span as well as after each span.
      if (!step.last && (r + 1) % BEAT_EVERY === 0) await between();
      if (!step.last) continue;
      if (read !== span.records) throw new Error(`a span of ${span.records} records read back ${read}`);
      written += await write(pager!.end());
      await db.query(`CLOSE rx_span_${step.span}`);
      await between();
    }
  } finally {
    // A failure mid-span leaves cursors open (WITH HOLD outlives the statement): the session goes back to the pool.
    if (next) await next.catch(() => undefined);
    await db.query(`CLOSE ALL`).catch(() => undefined);
    await db.query(`RESET enable_nestloop`).catch(() => undefined);
  }
  return written;
}
