import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { AppConfig, Database, SystemClock } from '@praxis/common';
import { EventStore, InlineProjectionRegistry, START, UpcasterRegistry } from '@praxis/event-store';
import { Figures, fmt, run } from './measure';

/**
 * The event store against plain `pg` INSERTs of the same rows into a table of
 * the same shape and indexes, measured in one run so the ratio means something
 * on a noisy machine.
 */
export interface BenchOptions {
  readEvents: number;
  scale: number;
  rounds: number;
}

/** The round with the median throughput, reported whole (its own p50 and p99). */
function median(runs: Figures[]): Figures {
  const sorted = [...runs].sort((x, y) => x.eventsPerSecond - y.eventsPerSecond);
  return sorted[Math.floor(sorted.length / 2)];
}

const PLAIN_TABLE = `
  CREATE TABLE plain_events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL, stream_version bigint NOT NULL, event_id uuid NOT NULL UNIQUE,
    type text NOT NULL, schema_version integer NOT NULL DEFAULT 1, data jsonb NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb, recorded_at timestamptz NOT NULL,
    UNIQUE (stream_id, stream_version))`;

const DATA = { ladderRung: 'co_design', resourcePressure: 'stretched', challenges: ['time', 'staffing'], note: 'x'.repeat(200) };
const META = { actorId: 'bench', correlationId: 'bench' };

export async function benchEventStore(base: AppConfig, options: BenchOptions): Promise<string[]> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const config = base.with({ databaseSchema: base.databaseUrl ? schema : undefined });
  const lines: string[] = [];
  const db = await Database.open(config);
  const poolMax = db.embedded ? 1 : 32;
  // A second pool of the same size for the events store's appends; PGlite takes one connection in all.
  const storeDb = db.embedded ? db : await Database.open(config, [], false);
  const plain = db.embedded ? undefined : new Pool({ connectionString: db.url, max: poolMax, options: `-c search_path=${schema}` });
  const plainQuery = (sql: string, params: unknown[]) => (plain ? plain.query(sql, params) : db.dataSource.query(sql, params));
  try {
    if (!db.embedded) {
      await storeDb.dataSource.destroy();
      Object.assign(storeDb.dataSource.options, { extra: { ...storeDb.dataSource.options.extra, max: poolMax } });
      await storeDb.dataSource.initialize();
    }
    await db.dataSource.query(PLAIN_TABLE);
    const store = new EventStore(storeDb.dataSource, new SystemClock(), new UpcasterRegistry(), new InlineProjectionRegistry());
    const header = ['workload', 'event store events/s', 'p50 ms', 'p99 ms', 'plain INSERT events/s', 'p50 ms', 'p99 ms', 'ratio'];
    lines.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i ? ' --: ' : ' --- ')).join('|')}|`);
    const row = (name: string, a: Figures, b: Figures) => {
      const cells = [name, fmt(a.eventsPerSecond), fmt(a.p50Ms, 2), fmt(a.p99Ms, 2), fmt(b.eventsPerSecond), fmt(b.p50Ms, 2), fmt(b.p99Ms, 2), `${fmt((100 * a.eventsPerSecond) / b.eventsPerSecond)} %`];
      const line = `| ${cells.join(' | ')} |`;
      lines.push(line);
      console.log(line);
    };
    console.log(lines.join('\n'));

    const workloads: { name: string; concurrency: number; perOp: number; ops: number }[] = [
      { name: '1 event/append, 1 connection', concurrency: 1, perOp: 1, ops: 1500 * options.scale },
      { name: '1 event/append, 8 connections', concurrency: 8, perOp: 1, ops: 4000 * options.scale },
      { name: '1 event/append, 32 connections', concurrency: 32, perOp: 1, ops: 6000 * options.scale },
      { name: '10 events/append, 8 connections', concurrency: 8, perOp: 10, ops: 1500 * options.scale },
      { name: '100 events/append, 1 connection', concurrency: 1, perOp: 100, ops: 200 * options.scale },
    ];
    for (const w of workloads) {
      const concurrency = db.embedded ? 1 : w.concurrency;
      const tag = randomUUID().slice(0, 8);
      // Alternate which side goes first so neither always gets the warmer cache.
      const ops = Math.ceil(w.ops / options.rounds);
      const storeRun = (round: number) =>
        run(ops, concurrency, w.perOp, (i) =>
          store.append(`s-${tag}-${round}-${i}`, 'no_stream', Array.from({ length: w.perOp }, () => ({ type: 'BenchEvent', data: DATA, metadata: META }))),
        );
      const plainRun = (round: number) => run(ops, concurrency, w.perOp, (i) => plainInsert(plainQuery, `p-${tag}-${round}-${i}`, w.perOp));
      // Several short rounds, alternating sides, so a burst of noise hits both; medians reported.
      const a: Figures[] = [];
      const b: Figures[] = [];
      for (let round = 0; round < options.rounds; round++) {
        if (round % 2 === 0) {
          b.push(await plainRun(round));
          a.push(await storeRun(round));
        } else {
          a.push(await storeRun(round));
          b.push(await plainRun(round));
        }
      }
      row(db.embedded ? `${w.name} (PGlite: 1)` : w.name, median(a), median(b));
    }

    // Reading the whole log: fill it with SQL, then page through it as a projection would.
    await fillLog(db, options.readEvents);
    const readRows = await readThroughput(store, db, options.readEvents);
    lines.push('', ...readRows);
    readRows.forEach((l) => console.log(l));
  } finally {
    await plain?.end();
    if (config.databaseSchema) await db.dataSource.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`).catch(() => undefined);
    if (storeDb !== db) await storeDb.close();
    await db.close();
  }
  return lines;
}

async function plainInsert(query: (sql: string, params: unknown[]) => Promise<unknown>, streamId: string, n: number): Promise<void> {
  // The same bytes as the store sends: every row carries its own data and metadata.
  const values: string[] = [];
  const params: unknown[] = [streamId, new Date()];
  for (let v = 1; v <= n; v++) {
    const p = params.push(randomUUID(), JSON.stringify(DATA), JSON.stringify(META)) - 2;
    values.push(`($1, ${v}, $${p}, 'BenchEvent', $${p + 1}, $${p + 2}, $2)`);
  }
  await query(`INSERT INTO plain_events (stream_id, stream_version, event_id, type, data, metadata, recorded_at) VALUES ${values.join(', ')}`, params);
}

async function fillLog(db: Database, total: number): Promise<void> {
  const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM events`);
  const missing = total - n;
  const chunk = 100_000;
  for (let done = 0; done < missing; done += chunk) {
    const size = Math.min(chunk, missing - done);
    await db.dataSource.query(
      `INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, recorded_at)
       SELECT 'fill-' || $1::int || '-' || g, 1, gen_random_uuid(), 'BenchEvent', $2::jsonb, $3::jsonb, now()
         FROM generate_series(1, $4::int) g`,
      [done, JSON.stringify(DATA), JSON.stringify(META), size],
    );
  }
  await db.dataSource.query(`ANALYZE events`);
}

async function readThroughput(store: EventStore, db: Database, _total: number): Promise<string[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssStart = process.memoryUsage().rss;
  let heapPeak = 0;
  let rssPeak = rssStart;
  let read = 0;
  let after = START;
  const started = process.hrtime.bigint();
  for (;;) {
    const page = await store.readAll(after, 1000);
    if (page.length === 0) break;
    read += page.length;
    const last = page[page.length - 1];
    after = { transactionId: last.transactionId, globalPosition: last.globalPosition };
    if (read % 50_000 < 1000) {
      const m = process.memoryUsage();
      heapPeak = Math.max(heapPeak, m.heapUsed);
      rssPeak = Math.max(rssPeak, m.rss);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // The same pages by position through plain SQL, for the ratio.
  let plainRead = 0;
  let position = 0;
  const plainStarted = process.hrtime.bigint();
  for (;;) {
    const rows: { global_position: string }[] = await db.dataSource.query(
      `SELECT * FROM events WHERE global_position > $1 ORDER BY global_position LIMIT 1000`,
      [position],
    );
    if (rows.length === 0) break;
    plainRead += rows.length;
    position = Number(rows[rows.length - 1].global_position);
  }
  const plainSeconds = Number(process.hrtime.bigint() - plainStarted) / 1e9;
  const mb = (b: number) => fmt(b / 1024 / 1024);
  return [
    `| read the whole log | events | events/s | plain SELECT by position events/s | ratio | RSS start → peak MB | heap peak MB |`,
    `| --- | --: | --: | --: | --: | --: | --: |`,
    `| readAll, pages of 1000 | ${fmt(read)} | ${fmt(read / seconds)} | ${fmt(plainRead / plainSeconds)} | ${fmt((100 * (read / seconds)) / (plainRead / plainSeconds))} % | ${mb(rssStart)} → ${mb(rssPeak)} | ${mb(heapPeak)} |`,
  ];
}
