import type { Queryable } from '@praxis/event-store';
import { CHALLENGE_CODES, LADDER_CODES, PRESSURE_CODES, PRESSURE_SOURCE_CODES, PRINCIPLE_CODES } from '@praxis/journal';
import { Pseudonymiser } from '../domain/pseudonyms';

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
    const rows: { id: string }[] = await db.query(`SELECT DISTINCT ${kind} AS id FROM rx_stage WHERE ${kind} <> ''`);
    for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
      const ids = rows.slice(i, i + WRITE_CHUNK).map((r) => r.id);
      await db.query(`INSERT INTO rx_${kind}_pseudonym (id, pseudonym) SELECT * FROM unnest($1::text[], $2::text[])`, [
        ids,
        ids.map((id) => pseudonyms[kind](id)),
      ]);
    }
    await db.query(`ANALYZE rx_${kind}_pseudonym`);
  }
  // Only the people with a record in the files: an erasure sends the export back only for them (research-erasure.ts).
  const released: { id: string }[] = await db.query(
    `SELECT DISTINCT s.person AS id
       FROM rx_stage s JOIN rx_place p ON p.organisation = s.organisation AND p.team = s.team AND p.week = s.week`,
  );
  for (let i = 0; i < released.length; i += WRITE_CHUNK)
    await db.query(`INSERT INTO rx_member (tag) SELECT unnest($1::text[])`, [
      released.slice(i, i + WRITE_CHUNK).map((r) => pseudonyms.memberTag(r.id)),
    ]);
}

/**
 * A set's chosen codes in codebook order, as domain/export-record.ts's
 * codedRecord has them: one test per code of the codebook's fixed list (codes
 * are `[a-z_]+` constants, never input), cheaper by far than a subquery per row.
 */
const inCodebookOrder = (column: string, codes: readonly string[]) => {
  for (const code of codes) if (!/^[a-z_]+$/.test(code)) throw new Error(`not a code: ${code}`);
  const tests = codes.map((code) => `CASE WHEN r.${column} ? '${code}' THEN '${code}' END`).join(', ');
  return `to_jsonb(array_remove(ARRAY[${tests}]::text[], NULL))`;
};

/**
 * A record (codedRecord in SQL, with who and when), built in one call; $6 and
 * $7 are the ordinal scales.
 */
const RECORD = `jsonb_build_object(
    'person', r.person, 'organisation', r.organisation, 'team', r.team, 'period', r.period, 'periodGranularity', r.granularity,
    'eventType', 'ReflectionRecorded', 'schemaVersion', r.schema_version, 'amended', r.amended,
    'ladderRung', r.ladder_rung, 'ladderRungOrdinal', array_position($6::text[], r.ladder_rung),
    'aspiredRung', r.aspired_rung, 'aspiredRungOrdinal', array_position($6::text[], r.aspired_rung),
    'resourcePressure', r.resource_pressure, 'resourcePressureOrdinal', array_position($7::text[], r.resource_pressure),
    'pressureSources', ${inCodebookOrder('pressure_sources', PRESSURE_SOURCE_CODES)},
    'challenges', ${inCodebookOrder('challenges', CHALLENGE_CODES)},
    'principles', ${inCodebookOrder('principles', PRINCIPLE_CODES)},
    'stage', r.stage, 'embedding', r.embedding,
    'advocacyArgument', r.advocacy_argument, 'advocacyReception', r.advocacy_reception,
    'livedExperienceInvolved', r.lived_experience)`;

/**
 * Within a period: by pseudonyms, then by the coded values, so identical
 * records are the only ones whose order the reflection's id decides — and
 * theirs cannot be seen.
 */
const FILE_ORDER = `r.organisation, coalesce(r.team, ''), r.person, r.schema_version, r.amended, r.ladder_rung, r.aspired_rung,
  r.resource_pressure, r.pressure_sources, r.challenges, r.principles, r.stage, r.embedding, r.advocacy_argument,
  r.advocacy_reception, r.lived_experience, r.reflection_id`;

/**
 * The records of some periods of one quarter ($3: the quarter of the
 * records' weeks, which holds each of their periods whole), each period's
 * numbered on from its start in the file ($4, $5). File order: by period,
 * then pseudonyms — which say nothing of the order things were written in.
 * The export row is read FOR SHARE under the builder's claim ($2): a builder
 * that has lost its claim writes nothing, and a reclaim waits for the
 * statement in hand.
 */
const WRITE_RECORDS = `
  WITH r AS (
    SELECT s.reflection_id, s.schema_version, s.amended, s.ladder_rung, s.aspired_rung, s.resource_pressure, s.pressure_sources,
           s.challenges, s.principles, s.stage, s.embedding, s.advocacy_argument, s.advocacy_reception, s.lived_experience,
           p.period, p.granularity, o.start, pp.pseudonym AS person, po.pseudonym AS organisation, pt.pseudonym AS team
      FROM rx_stage s
      JOIN rx_place p ON p.organisation = s.organisation AND p.team = s.team AND p.week = s.week
      JOIN unnest($4::text[], $5::int[]) AS o(period, start) ON o.period = p.period
      JOIN rx_person_pseudonym pp ON pp.id = s.person
      JOIN rx_organisation_pseudonym po ON po.id = s.organisation
      LEFT JOIN rx_team_pseudonym pt ON pt.id = s.team
     WHERE s.quarter = $3
  ), ins AS (
    INSERT INTO research_export_records (export_id, seq, record)
    SELECT $1, r.start + row_number() OVER (PARTITION BY r.period ORDER BY ${FILE_ORDER}), ${RECORD}
      FROM r
     WHERE EXISTS (SELECT 1 FROM research_exports x
                    WHERE x.id = $1 AND x.claim = $2 AND x.status = 'running' FOR SHARE)
    RETURNING 1)
  SELECT count(*)::int AS n FROM ins`;

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

interface Span {
  quarter: string;
  periods: string[];
  starts: number[];
  records: number;
}

/**
 * The file cut into spans of whole periods of one quarter, about WRITE_CHUNK
 * records each, with each period's start in the file (periods in the order
 * of their names, as PostgreSQL's "C" collation and JavaScript compare them).
 */
function spans(counts: { quarter: string; period: string; n: number }[]): Span[] {
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
    if (!span || span.quarter !== c.quarter || span.records + c.n > WRITE_CHUNK) {
      span = { quarter: c.quarter, periods: [], starts: [], records: 0 };
      out.push(span);
    }
    span.periods.push(c.period);
    span.starts.push(start.get(c.period)!);
    span.records += c.n;
  }
  return out;
}

/** Writes the released records, a span of whole periods per statement. Returns how many were written. */
export async function writeRecords(
  db: Queryable,
  exportId: string,
  claim: number,
  between: () => Promise<void> = async () => {},
): Promise<number> {
  // Each span reads its quarter's records by this index.
  await db.query(`CREATE INDEX rx_stage_quarter ON rx_stage (quarter)`);
  const counts: { quarter: string; period: string; n: number }[] = await db.query(
    `SELECT quarter, period, count(*)::int AS n FROM rx_placed WHERE granularity IS NOT NULL GROUP BY quarter, period`,
  );
  let written = 0;
  for (const span of spans(counts)) {
    const [{ n }]: { n: number }[] = await db.query(WRITE_RECORDS, [
      exportId,
      claim,
      span.quarter,
      span.periods,
      span.starts,
      LADDER_CODES,
      PRESSURE_CODES,
    ]);
    if (n !== span.records) throw new LostClaim(exportId);
    written += n;
    await between();
  }
  return written;
}
