import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { CSV_COLUMNS, csvRow, ExportRecord, ndjsonLine } from '../domain/export-record';

/** Records per query: big enough to amortise a round trip, small enough that memory does not notice. */
const PAGE = 5000;

/** The export is not (or no longer) the build whose records were being read. */
export class ExportNotReady extends Error {
  constructor(exportId: string) {
    super(`export ${exportId} is not ready, or was sent back to be built again while it was read`);
  }
}

/**
 * An export's files, streamed from `research_export_records` by keyset
 * (export_id, seq): each page is one short query, fetched only when the
 * consumer has drained the last one (Readable.from pulls the generator on
 * demand, and `pipeline` stops pulling while the socket is full), so memory
 * is one page whatever the export's size, and no connection is held between
 * pages (PGlite has only one).
 */
@Injectable()
export class ExportFiles {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The records of the export's build as it stands when the first page is
   * read: every page is read only while that build is still the export's (an
   * erasure may send it back to be built again, deleting its records). If it
   * is no longer, the stream fails — the download is cut off — rather than
   * end early looking complete, or go on into another build's records.
   */
  async *records(exportId: string): AsyncGenerator<ExportRecord[]> {
    const [build]: { claim: number }[] = await this.dataSource.query(
      `SELECT claim FROM research_exports WHERE id = $1 AND status = 'ready'`,
      [exportId],
    );
    if (!build) throw new ExportNotReady(exportId);
    let after = 0;
    for (;;) {
      const rows: { seq: number; record: ExportRecord }[] = await this.dataSource.query(
        `SELECT seq, record FROM research_export_records
          WHERE export_id = $1 AND seq > $2
            AND EXISTS (SELECT 1 FROM research_exports WHERE id = $1 AND claim = $4 AND status = 'ready')
          ORDER BY seq LIMIT $3`,
        [exportId, after, PAGE, build.claim],
      );
      if (rows.length < PAGE) {
        const [still] = await this.dataSource.query(
          `SELECT 1 FROM research_exports WHERE id = $1 AND claim = $2 AND status = 'ready'`,
          [exportId, build.claim],
        );
        if (!still) throw new ExportNotReady(exportId);
      }
      if (rows.length === 0) return;
      after = rows[rows.length - 1].seq;
      yield rows.map((r) => r.record);
      if (rows.length < PAGE) return;
    }
  }

  /** NDJSON: one JSON object per line, UTF-8, each page as one chunk. */
  ndjson(exportId: string): Readable {
    const pages = this.records(exportId);
    return Readable.from(
      (async function* () {
        for await (const page of pages) yield Buffer.from(page.map(ndjsonLine).join(''), 'utf8');
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
