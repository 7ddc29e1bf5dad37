import type { Granularity } from '@praxis/common';
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
import { CodedRecord, codedRecord, codedTail, placedLine } from '../domain/export-record';

/*
 * An export's records as the build renders them: rows read in file order
 * (research-records.ts), NDJSON lines, and pages of lines as they are stored.
 */

/**
 * Records per stored page: a row of `research_export_pages`, a run of one
 * period's records in file order. About 63 kB of text, under the size at which
 * V8 puts a string in its large-object space: pages of 1 000 records (630 kB)
 * were each such an object, collected late (a download's RSS grew by 218 MB;
 * with these pages, by 8–147 MB over four runs: garbage, collected in batches).
 */
export const PAGE_RECORDS = 100;

/** A record as the write reads it (SPAN_RECORDS in research-records.ts): pseudonyms, period, codes. */
export interface SpanRecord {
  period: string;
  granularity: Granularity;
  person: string;
  organisation: string;
  team: string | null;
  /** The coded values as one JSON array (CodedColumns): the same text for every record that says the same. */
  coded: string;
}

/**
 * What `coded` holds, in order: the journal's own codes, as its events hold
 * them (staging.ts takes them from the events as they are stored).
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

/** Whole periods of one quarter, read through one cursor, and where each period starts in the file (0-based). */
export interface Span {
  quarter: string;
  periods: string[];
  starts: number[];
  records: number;
}

/**
 * Renders records as NDJSON lines (domain/export-record.ts, the one format):
 * the coded part once per distinct combination of codes — a few hundred where
 * records are millions — and who-and-when per record.
 */
export class LineRenderer {
  private readonly tails = new Map<string, string>();

  line(r: SpanRecord): string {
    let tail = this.tails.get(r.coded);
    if (tail === undefined) {
      tail = codedTail(this.coded(JSON.parse(r.coded) as CodedColumns));
      if (this.tails.size >= 10_000) this.tails.clear();
      this.tails.set(r.coded, tail);
    }
    return placedLine(
      {
        person: r.person,
        organisation: r.organisation,
        team: r.team,
        period: r.period,
        periodGranularity: r.granularity,
      },
      tail,
    );
  }

  private coded(columns: CodedColumns): CodedRecord {
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
}

/**
 * A span's records, in file order, cut into pages: each a run of up to
 * PAGE_RECORDS lines of one period, as (first record's number, records, text)
 * triples, numbered on from each period's start in the file.
 */
export class Pager {
  private lines: string[] = [];
  private period = '';
  private next = 0;

  constructor(
    private readonly span: Span,
    private readonly renderer: LineRenderer,
    private readonly pageRecords: number,
  ) {}

  /** Takes the next rows; returns the pages they completed. */
  add(rows: SpanRecord[]): (number | string)[] {
    const pages: (number | string)[] = [];
    for (const row of rows) {
      if (row.period !== this.period || this.lines.length === this.pageRecords) {
        this.cut(pages);
        if (row.period !== this.period) this.next = this.span.starts[this.span.periods.indexOf(row.period)];
        this.period = row.period;
      }
      this.lines.push(this.renderer.line(row));
      this.next++;
    }
    return pages;
  }

  /** The last page, once every row is in. */
  end(): (number | string)[] {
    const pages: (number | string)[] = [];
    this.cut(pages);
    return pages;
  }

  private cut(pages: (number | string)[]): void {
    if (this.lines.length === 0) return;
    pages.push(this.next - this.lines.length + 1, this.lines.length, this.lines.join(''));
    this.lines = [];
  }
}
