import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { CSV_COLUMNS, csvRow, ExportRecord } from '../domain/export-record';

/** Pages per query (a page holds up to PAGE_RECORDS lines): big enough to amortise a round trip, small enough that memory does not notice. */
const PAGES = 50;

/** The export is not (or no longer) the build whose records were being read. */
export class ExportNotReady extends Error {
  constructor(exportId: string) {
    super(`export ${exportId} is not ready, or was sent back to be built again while it was read`);
  }
}

/**
 * An export's files, streamed from `research_export_pages` (NDJSON lines as
 * the build rendered them) by keyset (export_id, seq): each few pages are one
 * short query, fetched only when the consumer has drained the last ones
 * (Readable.from pulls the generator on demand, and `pipeline` stops pulling
 * while the socket is full), so memory is a few pages whatever the export's
 * size, and no connection is held between queries (PGlite has only one).
 */
@Injectable()
export class ExportFiles {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The NDJSON text of the export's build as it stands when the first page is
   * read, page by page: every query reads only while that build is
   * still the export's (an erasure may send it back to be built again,
   * deleting its pages). If it is no longer, the stream fails — the download
   * is cut off — rather than end early looking complete, or go on into
   * another build's records.
   */
  async *lines(exportId: string): AsyncGenerator<string> {
    const [build]: { claim: number }[] = await this.dataSource.query(
      `SELECT claim FROM research_exports WHERE id = $1 AND status = 'ready'`,
      [exportId],
    );
    if (!build) throw new ExportNotReady(exportId);
    let after = 0;
    for (;;) {
      const rows: { seq: number; lines: string }[] = await this.dataSource.query(
        `SELECT seq, lines FROM research_export_pages
          WHERE export_id = $1 AND seq > $2
            AND EXISTS (SELECT 1 FROM research_exports WHERE id = $1 AND claim = $4 AND status = 'ready')
          ORDER BY seq LIMIT $3`,
        [exportId, after, PAGES, build.claim],
      );
      if (rows.length < PAGES) {
        const [still] = await this.dataSource.query(
          `SELECT 1 FROM research_exports WHERE id = $1 AND claim = $2 AND status = 'ready'`,
          [exportId, build.claim],
        );
        if (!still) throw new ExportNotReady(exportId);
      }
      if (rows.length === 0) return;
      after = rows[rows.length - 1].seq;
      // Page by page: joined, the text of a query would be one large string, which V8 collects late.
      for (const row of rows) yield row.lines;
      if (rows.length < PAGES) return;
    }
  }

  /** The records, parsed back from their lines a page at a time (CSV, and readers that want objects). */
  async *records(exportId: string): AsyncGenerator<ExportRecord[]> {
    for await (const text of this.lines(exportId))
      yield text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as ExportRecord);
  }

  /** NDJSON: one JSON object per line, UTF-8, sent as stored. */
  ndjson(exportId: string): Readable {
    const text = this.lines(exportId);
    return Readable.from(
      (async function* () {
        for await (const chunk of text) yield Buffer.from(chunk, 'utf8');
      })(),
      { objectMode: false },
    );
  }

  /** RFC 4180 CSV (CRLF line ends, quoted only where needed) with a header row, each page stringified by csv-stringify. */
  csv(exportId: string): Readable {
    const pages = this.records(exportId);
    const options = { columns: CSV_COLUMNS as string[], record_delimiter: 'windows' as const };
    return Readable.from(
      (async function* () {
        yield Buffer.from(stringify([], { ...options, header: true }), 'utf8');
        for await (const page of pages) yield Buffer.from(stringify(page.map(csvRow), options), 'utf8');
      })(),
      { objectMode: false },
    );
  }
}
