import type {
  AdvocacyArgument,
  AdvocacyReception,
  Challenge,
  Embedding,
  LadderRung,
  Principle,
  PressureSource,
  ResourcePressure,
  Stage,
} from '@praxis/journal';
import type { Queryable } from '@praxis/event-store';
import { CodedRecord, codedRecord, codedTail } from '../domain/export-record';

/*
 * An export's records as the build renders them: the coded part of a line
 * once per distinct combination of codes, here, with the domain's own
 * function (`codedTail`); who and when, per record, in PostgreSQL
 * (research-records.ts), which stores the lines as pages.
 */

/**
 * Records per stored page: a row of `research_export_pages`, a run of one
 * period's records in file order. About 63 kB of text, under the size at which
 * V8 puts a string in its large-object space: pages of 1 000 records (630 kB)
 * were each such an object, collected late (a download's RSS grew by 218 MB;
 * with these pages, by 8–147 MB over four runs: garbage, collected in batches).
 */
export const PAGE_RECORDS = 100;

/** The staged columns that make a record's coded part, in file order (the sort after who and when). */
export const CODED_COLUMNS = `schema_version, amended, ladder_rung, aspired_rung, resource_pressure, pressure_sources, challenges,
  principles, stage, embedding, advocacy_argument, advocacy_reception, lived_experience`;

/**
 * What `rx_tail.coded` holds, in order: the journal's own codes, as its events
 * hold them (staging.ts takes them from the events as they are stored).
 */
type CodedColumns = [
  schemaVersion: number,
  amended: boolean,
  ladderRung: LadderRung,
  aspiredRung: LadderRung | null,
  resourcePressure: ResourcePressure,
  pressureSources: PressureSource[] | null,
  challenges: Challenge[] | null,
  principles: Principle[] | null,
  stage: Stage | null,
  embedding: Embedding | null,
  advocacyArgument: AdvocacyArgument | null,
  advocacyReception: AdvocacyReception | null,
  livedExperience: boolean | null,
];

/**
 * Every distinct combination of codes among the staged records — a few
 * hundred where records are millions — into `rx_tail`: numbered in the file's
 * order of the coded columns (`ord`, so the write sorts by one integer where it
 * sorted by thirteen columns), each with its line's coded part (`tail`),
 * rendered here by the domain.
 */
export async function stageTails(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO rx_tail (ord, ${CODED_COLUMNS})
     SELECT row_number() OVER (ORDER BY ${CODED_COLUMNS}), * FROM (SELECT DISTINCT ${CODED_COLUMNS} FROM rx_stage) d`,
  );
  const combinations: { ord: number; coded: string }[] = await db.query(
    `SELECT ord, json_build_array(${CODED_COLUMNS})::text AS coded FROM rx_tail`,
  );
  await db.query(
    `UPDATE rx_tail t SET tail = v.tail FROM unnest($1::int[], $2::text[]) AS v(ord, tail) WHERE v.ord = t.ord`,
    [combinations.map((c) => c.ord), combinations.map((c) => codedTail(coded(JSON.parse(c.coded) as CodedColumns)))],
  );
  await db.query(`ANALYZE rx_tail`);
}

function coded(columns: CodedColumns): CodedRecord {
  const [schemaVersion, amended, ladderRung, aspiredRung, resourcePressure, pressureSources, challenges] = columns;
  const [, , , , , , , principles, stage, embedding, argument, reception, livedExperience] = columns;
  return codedRecord(
    {
      ladderRung,
      aspiredRung,
      resourcePressure,
      pressureSources: pressureSources ?? [],
      challenges: challenges ?? [],
      principles: principles ?? [],
      stage,
      embedding,
      advocacy: argument === null && reception === null ? null : { argument, reception },
      livedExperienceInvolved: livedExperience,
    },
    schemaVersion,
    amended,
  );
}

/**
 * The staged record's combination of codes in `rx_tail` (t): the four columns
 * every record has are hashed, the rest compared as nullable.
 */
export const TAIL_JOIN = `t.schema_version = s.schema_version AND t.amended = s.amended AND t.ladder_rung = s.ladder_rung
  AND t.resource_pressure = s.resource_pressure AND t.aspired_rung IS NOT DISTINCT FROM s.aspired_rung
  AND t.pressure_sources IS NOT DISTINCT FROM s.pressure_sources AND t.challenges IS NOT DISTINCT FROM s.challenges
  AND t.principles IS NOT DISTINCT FROM s.principles AND t.stage IS NOT DISTINCT FROM s.stage
  AND t.embedding IS NOT DISTINCT FROM s.embedding AND t.advocacy_argument IS NOT DISTINCT FROM s.advocacy_argument
  AND t.advocacy_reception IS NOT DISTINCT FROM s.advocacy_reception AND t.lived_experience IS NOT DISTINCT FROM s.lived_experience`;

/**
 * A record's who and when, the start of its line, as `placedLine`
 * (domain/export-record.ts) writes it, rendered by PostgreSQL from a row (r)
 * of its pseudonyms, period and granularity: pseudonyms are hex, periods and
 * granularities fixed labels, so none needs escaping in JSON. A test holds
 * each stored line to the domain's `ndjsonLine` byte for byte.
 */
export const PLACED_PREFIX = `'{"person":"' || r.person_pseudonym || '","organisation":"' || r.organisation_pseudonym
  || '","team":' || coalesce('"' || r.team_pseudonym || '"', 'null') || ',"period":"' || r.period
  || '","periodGranularity":"' || r.granularity || '",'`;

/** Whole periods of one quarter, written by one statement, and where each period starts in the file (0-based). */
export interface Span {
  quarter: string;
  periods: string[];
  starts: number[];
  records: number;
}
