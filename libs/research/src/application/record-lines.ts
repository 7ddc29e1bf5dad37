import { CHALLENGE_CODES, LADDER_CODES, PRESSURE_CODES, PRESSURE_SOURCE_CODES, PRINCIPLE_CODES } from '@praxis/journal';
import { RECORD_KEYS } from '../domain/export-record';

/*
 * An export's records as the build writes them: NDJSON lines put together by
 * PostgreSQL (research-records.ts), in the one format the domain defines
 * (domain/export-record.ts: `ndjsonLine` of `codedRecord`); the SQL below is
 * generated from the same codebook and key order, and a test holds every line
 * to the domain's rendering of the same staged record, byte for byte.
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
const CODED = [
  'schema_version',
  'amended',
  'ladder_rung',
  'aspired_rung',
  'resource_pressure',
  'pressure_sources',
  'challenges',
  'principles',
  'stage',
  'embedding',
  'advocacy_argument',
  'advocacy_reception',
  'lived_experience',
];

/** The coded columns of a table alias, as a select or sort list: `codedColumns('s')` is `s.schema_version, …`. */
export const codedColumns = (alias: string): string => CODED.map((column) => `${alias}.${column}`).join(', ');

/** A JSON string or null. The staged codes are the journal's validated codes; to_json escapes anything else all the same. */
const text = (column: string) => `coalesce(to_json(${column})::text, 'null')`;
/** A code's place in its list, from 1, as `ladderOrdinal`/`pressureOrdinal` (0 for a code not in it). */
const ordinal = (column: string, codes: readonly string[]) =>
  `CASE ${column} ${codes.map((code, i) => `WHEN '${code}' THEN '${i + 1}'`).join(' ')} ELSE '0' END`;
/** A set as a JSON array in codebook order, whatever order it was chosen in; none (SQL or JSON null) is `[]`. */
const set = (column: string, codes: readonly string[]) =>
  `'[' || concat_ws(',', ${codes.map((code) => `CASE WHEN ${column} ? '${code}' THEN '"${code}"' END`).join(', ')}) || ']'`;

/** Each key of a line, as SQL over a row (r) of the staged record's columns, its group's and its person's pseudonyms. */
const VALUES: Record<(typeof RECORD_KEYS)[number], string> = {
  person: `'"' || r.person_pseudonym || '"'`,
  organisation: `'"' || r.organisation_pseudonym || '"'`,
  team: `coalesce('"' || r.team_pseudonym || '"', 'null')`,
  period: `'"' || r.period || '"'`,
  periodGranularity: `'"' || r.granularity || '"'`,
  eventType: `'"ReflectionRecorded"'`,
  schemaVersion: `r.schema_version::text`,
  amended: `r.amended::text`,
  ladderRung: text('r.ladder_rung'),
  ladderRungOrdinal: ordinal('r.ladder_rung', LADDER_CODES),
  aspiredRung: text('r.aspired_rung'),
  aspiredRungOrdinal: `CASE WHEN r.aspired_rung IS NULL THEN 'null' ELSE ${ordinal('r.aspired_rung', LADDER_CODES)} END`,
  resourcePressure: text('r.resource_pressure'),
  resourcePressureOrdinal: ordinal('r.resource_pressure', PRESSURE_CODES),
  pressureSources: set('r.pressure_sources', PRESSURE_SOURCE_CODES),
  challenges: set('r.challenges', CHALLENGE_CODES),
  principles: set('r.principles', PRINCIPLE_CODES),
  stage: text('r.stage'),
  embedding: text('r.embedding'),
  advocacyArgument: text('r.advocacy_argument'),
  advocacyReception: text('r.advocacy_reception'),
  livedExperienceInvolved: `coalesce(r.lived_experience::text, 'null')`,
};

/**
 * A record's NDJSON line, as `ndjsonLine` writes it (keys in RECORD_KEYS order,
 * no spaces, a newline), from a row (r) holding its pseudonyms
 * (`person_pseudonym`, `organisation_pseudonym`, `team_pseudonym`: hex, or null
 * for no team), `period`, `granularity` and the staged coded columns. Rendered
 * per record, where it was once rendered per distinct combination of codes:
 * with the journal's free choice of sets, nearly every record is a
 * combination of its own (48 000 in 50 000 records of the demo's mix), and
 * looking each up cost more than rendering it.
 */
export const LINE_SQL =
  `'{' || ` + RECORD_KEYS.map((key) => `'"${key}":' || ${VALUES[key]}`).join(` || ',' || `) + ` || E'}\\n'`;

/** Whole periods of one quarter, written by one statement, and where each period starts in the file (0-based). */
export interface Span {
  quarter: string;
  periods: string[];
  starts: number[];
  records: number;
}
