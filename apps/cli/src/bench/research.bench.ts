import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppConfig, Database, SystemClock } from '@praxis/common';
import { EventStore, InlineProjectionRegistry, UpcasterRegistry } from '@praxis/event-store';
import { ExportBuilder, ExportFiles, ExportKeys, ExportWorker, ResearchExports } from '@praxis/research';
import { fmt } from './measure';

/**
 * Research export at scale: a log of `reflections` ReflectionRecorded events
 * (plus an amendment for one in twenty, consent for two people in three),
 * written by bulk SQL into the bench's own schema; then one export of all of
 * it is created and downloaded. Figures: creation time, NDJSON and CSV
 * streaming rates, and the process's peak RSS growth during each download.
 */
export interface ResearchBenchOptions {
  reflections: number;
}

const PEOPLE = 20_000;
const ORGS = 100;

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
    const worker = new ExportWorker(db.dataSource, new ExportBuilder(store), keys, config);
    const exports = new ResearchExports(db.dataSource, store, keys, worker, config, clock);
    const files = new ExportFiles(db.dataSource);

    // Request and build (the worker's whole job), timed together.
    const createStarted = process.hrtime.bigint();
    const { id } = await exports.create(randomUUID(), '2000-01-01', '2009-12-31');
    await worker.drain();
    const createSeconds = seconds(createStarted);
    const { report } = await exports.get(
      (await db.dataSource.query(`SELECT researcher_id FROM research_exports WHERE id = $1`, [id]))[0].researcher_id,
      id,
    );

    const nd = await measureDownload(() => files.ndjson(id));
    const csv = await measureDownload(() => files.csv(id), 1);
    const mb = (b: number) => fmt(b / 1024 / 1024, 1);
    lines.push(
      `| research export (${fmt(options.reflections)} reflections in the log) | records | seconds | records/s | MB | RSS growth at peak MB |`,
      '| --- | --: | --: | --: | --: | --: |',
      `| fill the log (bulk SQL, not the export) | ${fmt(options.reflections)} | ${fmt(fillSeconds, 1)} | — | — | — |`,
      `| create: fold the log, k-anonymity, materialise (k = ${report.k}) | ${fmt(report.records)} | ${fmt(createSeconds, 1)} | ${fmt(report.records / createSeconds)} | — | — |`,
      `| download events.ndjson | ${fmt(nd.records)} | ${fmt(nd.seconds, 1)} | ${fmt(nd.records / nd.seconds)} | ${mb(nd.bytes)} | ${mb(nd.rssGrowth)} |`,
      `| download events.csv | ${fmt(csv.records)} | ${fmt(csv.seconds, 1)} | ${fmt(csv.records / csv.seconds)} | ${mb(csv.bytes)} | ${mb(csv.rssGrowth)} |`,
      '',
      `Report: ${report.atWeek} by week, ${report.generalised.toMonth} to month, ${report.generalised.toQuarter} to quarter, ${report.suppressed} suppressed.`,
    );
    lines.forEach((l) => console.log(l));
  } finally {
    if (config.databaseSchema)
      await db.dataSource.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`).catch(() => undefined);
    await db.close();
  }
  return lines;
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** Streams a file into a sink that only counts, sampling RSS every 20 ms; RSS growth is peak minus the start after a GC. */
async function measureDownload(
  open: () => NodeJS.ReadableStream,
  headerLines = 0,
): Promise<{ records: number; bytes: number; seconds: number; rssGrowth: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
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
  clearInterval(timer);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  return { records: newlines - headerLines, bytes, seconds: elapsed, rssGrowth: rssPeak - rssStart };
}

/**
 * Bulk INSERT ... SELECT generate_series: the same event shapes the journal
 * appends (sealed text as placeholders), in chunks of 100 000 per transaction.
 */
async function fillReflections(db: Database, total: number): Promise<void> {
  const chunk = 100_000;
  for (let done = 0; done < total; done += chunk) {
    const size = Math.min(chunk, total - done);
    await db.dataSource.query(
      `WITH g AS (SELECT n, md5('reflection' || n)::uuid AS rid, ((n::bigint * 7919) % $3::int)::int AS person FROM generate_series($1::int + 1, $1::int + $2::int) n)
       INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, recorded_at)
       SELECT 'reflection-' || rid, 1, gen_random_uuid(), 'ReflectionRecorded',
              jsonb_build_object(
                'reflectionId', rid, 'authorId', md5('person' || person)::uuid,
                'organisationId', md5('org' || (person % $4::int))::uuid,
                'teamId', CASE WHEN person % 5 = 0 THEN NULL ELSE md5('team' || (person % ($4::int * 4)))::uuid END,
                'researchConsent', person % 3 <> 2,
                'fields', jsonb_build_object(
                  'occurredOn', to_char(date '2003-01-01' + (n % 1461), 'YYYY-MM-DD'),
                  'ladderRung', (ARRAY['coercion','educating','informing','consultation','engagement','co_design','co_production'])[1 + n % 7],
                  'aspiredRung', CASE WHEN n % 3 = 0 THEN NULL ELSE 'co_production' END,
                  'resourcePressure', (ARRAY['resourced','stretched','severe','survival'])[1 + (n / 7) % 4],
                  'pressureSources', CASE WHEN n % 2 = 0 THEN '["time","funding"]'::jsonb ELSE '["staffing"]'::jsonb END,
                  'challenges', CASE WHEN n % 4 = 0 THEN '["time","power_and_risk"]'::jsonb ELSE '[]'::jsonb END,
                  'principles', '["assets","mutuality"]'::jsonb,
                  'stage', 'co_delivery', 'embedding', NULL,
                  'advocacy', jsonb_build_object('argument', 'ethical', 'reception', 'neutral'),
                  'livedExperienceInvolved', n % 2 = 0),
                'content', jsonb_build_object('whatHappened', 'pxe1:' || md5(n::text), 'soWhat', NULL, 'nowWhat', NULL, 'tags', NULL)),
              jsonb_build_object('actorId', md5('person' || person)::uuid), now()
         FROM g`,
      [done, size, PEOPLE, ORGS],
    );
    // One in twenty is amended: a new pressure level, and new (sealed) text.
    await db.dataSource.query(
      `INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, recorded_at)
       SELECT 'reflection-' || md5('reflection' || n)::uuid, 2, gen_random_uuid(), 'ReflectionAmended',
              jsonb_build_object('reflectionId', md5('reflection' || n)::uuid, 'authorId', md5('person' || (((n::bigint * 7919) % $3::int)::int))::uuid,
                                 'fields', jsonb_build_object('resourcePressure', 'survival'), 'content', jsonb_build_object('soWhat', 'pxe1:' || md5(n::text))),
              '{}'::jsonb, now()
         FROM generate_series($1::int + 1, $1::int + $2::int) n WHERE n % 20 = 0`,
      [done, size, PEOPLE],
    );
  }
  await db.dataSource.query(`ANALYZE events`);
}
