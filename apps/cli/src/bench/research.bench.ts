import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppConfig, Database, SystemClock } from '@praxis/common';
import { EventStore, InlineProjectionRegistry, UpcasterRegistry } from '@praxis/event-store';
import { ExportBuilder, ExportFiles, ExportKeys, ExportWorker, ResearchExports } from '@praxis/research';
import { fmt, median, RssSampler } from './measure';
import { fillReflections } from './research-log';
import { follower, LagProbe } from './lag-probe';

/**
 * Research export at scale: a log of `reflections` ReflectionRecorded events
 * (plus an amendment for one in twenty, consent for two people in three),
 * written by bulk SQL into the bench's own schema; then `rounds` exports of
 * all of it, each requested and built by the worker while reflections are
 * appended at a steady rate and an async projection follows the log; then the
 * last one is downloaded. Figures: records created per second, the process's
 * RSS growth while building, the async projection's lag (append to its
 * checkpoint passing the event) while a build runs, NDJSON and CSV streaming
 * rates and RSS growth during each download.
 */
export interface ResearchBenchOptions {
  reflections: number;
  /** Builds of the same log, for a median. */
  rounds: number;
  /** Appends per second while each build runs, for the lag figure. */
  appendsPerSecond: number;
}

interface Round {
  records: number;
  seconds: number;
  rssGrowth: number;
  lagP50: number;
  lagP99: number;
  appended: number;
}

export async function benchResearch(base: AppConfig, options: ResearchBenchOptions): Promise<string[]> {
  const schema = `bench_rx_${randomBytes(4).toString('hex')}`;
  const config = base.with({ databaseSchema: base.databaseUrl ? schema : undefined });
  const db = await Database.open(config);
  const lines: string[] = [];
  try {
    const fillStarted = process.hrtime.bigint();
    await fillReflections(db, options.reflections);
    const fillSeconds = seconds(fillStarted);

    const clock = new SystemClock();
    const store = new EventStore(db.dataSource, clock, new UpcasterRegistry(), new InlineProjectionRegistry());
    const keys = new ExportKeys(config);
    const worker = new ExportWorker(db.dataSource, new ExportBuilder(), keys, config);
    const exports = new ResearchExports(db.dataSource, store, keys, worker, config, clock);
    const files = new ExportFiles(db.dataSource);
    const researcher = randomUUID();

    const rounds: Round[] = [];
    let last = '';
    for (let round = 0; round < options.rounds; round++) {
      const lag = await LagProbe.start(db.dataSource, store, follower(`bench-lag-${round}`), {
        rate: options.appendsPerSecond,
        idGroup: 8000 + round,
      });
      const rss = RssSampler.start();
      // Request and build (the worker's whole job), timed together.
      const createStarted = process.hrtime.bigint();
      const { id } = await exports.create(researcher, '2000-01-01', '2009-12-31');
      await worker.drain();
      const createSeconds = seconds(createStarted);
      const rssGrowth = rss.stop();
      const lags = await lag.stop();
      const { report, status } = await exports.get(researcher, id);
      if (status !== 'ready') throw new Error(`the export is ${status}`);
      rounds.push({ records: report.records, seconds: createSeconds, rssGrowth, ...lags });
      console.log(
        `round ${round + 1}: ${fmt(report.records)} records in ${fmt(createSeconds, 1)} s ` +
          `= ${fmt(report.records / createSeconds)} records/s; ` +
          `RSS +${fmt(rssGrowth / MB, 1)} MB; lag p50 ${fmt(lags.lagP50)} / p99 ${fmt(lags.lagP99)} ms over ${fmt(lags.appended)} appends`,
      );
      last = id;
    }
    const { report } = await exports.get(researcher, last);
    const nd = await measureDownload(() => files.ndjson(last));
    const csv = await measureDownload(() => files.csv(last), 1);
    const mb = (b: number) => fmt(b / MB, 1);
    const rate = (r: Round) => r.records / r.seconds;
    const each = (f: (r: Round) => string) => rounds.map(f).join(' / ');
    const download = (name: string, d: typeof nd) =>
      `| ${name} | ${fmt(d.records)} | ${fmt(d.seconds, 1)} | ${fmt(d.records / d.seconds)} ` +
      `| ${mb(d.bytes)} | ${mb(d.rssGrowth)} |`;
    lines.push(
      `| research export (${fmt(options.reflections)} reflections in the log) | median | rounds |`,
      '| --- | --: | --: |',
      `| fill the log (bulk SQL, not the export), s | ${fmt(fillSeconds, 1)} | — |`,
      `| create: request and build (k = ${report.k}), records | ${fmt(report.records)} | — |`,
      `| create, seconds | ${fmt(median(rounds.map((r) => r.seconds)), 1)} | ${each((r) => fmt(r.seconds, 1))} |`,
      `| create, records/s | ${fmt(median(rounds.map(rate)))} | ${each((r) => fmt(rate(r)))} |`,
      `| RSS growth of the process while building, MB | ${mb(median(rounds.map((r) => r.rssGrowth)))} | ${each((r) => mb(r.rssGrowth))} |`,
      `| async projection lag while building (${options.appendsPerSecond} appends/s), p50 ms ` +
        `| ${fmt(median(rounds.map((r) => r.lagP50)))} | ${each((r) => fmt(r.lagP50))} |`,
      `| the same, p99 ms | ${fmt(median(rounds.map((r) => r.lagP99)))} | ${each((r) => fmt(r.lagP99))} |`,
      '',
      '| download | records | seconds | records/s | MB | RSS growth at peak MB |',
      '| --- | --: | --: | --: | --: | --: |',
      download('events.ndjson', nd),
      download('events.csv', csv),
      '',
      `Report: ${report.atWeek} by week, ${report.generalised.toMonth} to month, ` +
        `${report.generalised.toQuarter} to quarter, ${report.suppressed} suppressed.`,
    );
    lines.forEach((l) => console.log(l));
  } finally {
    if (config.databaseSchema)
      await db.dataSource.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`).catch(() => undefined);
    await db.close();
  }
  return lines;
}

const MB = 1024 * 1024;
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** Streams a file into a sink that only counts; RSS growth is the peak while streaming minus the start after a GC. */
async function measureDownload(
  open: () => NodeJS.ReadableStream,
  headerLines = 0,
): Promise<{ records: number; bytes: number; seconds: number; rssGrowth: number }> {
  const rss = RssSampler.start();
  let bytes = 0;
  let newlines = 0;
  const started = process.hrtime.bigint();
  await pipeline(
    open(),
    new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
        // A slow-ish consumer: yield to the event loop as a socket would.
        setImmediate(done);
      },
    }),
  );
  const elapsed = seconds(started);
  return { records: newlines - headerLines, bytes, seconds: elapsed, rssGrowth: rss.stop() };
}
