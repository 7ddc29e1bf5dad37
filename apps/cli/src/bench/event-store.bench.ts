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

const IDLE_MS = 100;
const DATA = {
  ladderRung: 'co_design',
  resourcePressure: 'stretched',
  challenges: ['time', 'staffing'],
  note: 'x'.repeat(200),
};
const META = { actorId: 'bench', correlationId: 'bench' };

export async function benchEventStore(base: AppConfig, options: BenchOptions): Promise<string[]> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const config = base.with({ databaseSchema: base.databaseUrl ? schema : undefined });
  const lines: string[] = [];
  const db = await Database.open(config);
  const poolMax = db.embedded ? 1 : 32;
  // A second pool of the same size for the events store's appends; PGlite takes one connection in all.
  const storeDb = db.embedded ? db : await Database.open(config, [], false);
  // Idle connections close at once: four sides of 32 connections each would pass a shared server's max_connections.
  const plain = db.embedded
    ? undefined
    : new Pool({
        connectionString: db.url,
        max: poolMax,
        idleTimeoutMillis: IDLE_MS,
        options: `-c search_path=${schema}`,
      });
  const plainQuery = (sql: string, params: unknown[]) =>
    plain ? plain.query(sql, params) : db.dataSource.query(sql, params);
  try {
    if (!db.embedded) {
      await storeDb.dataSource.destroy();
      Object.assign(storeDb.dataSource.options, {
        extra: { ...storeDb.dataSource.options.extra, max: poolMax, idleTimeoutMillis: IDLE_MS },
      });
      await storeDb.dataSource.initialize();
    }
    await db.dataSource.query(PLAIN_TABLE);
    const store = new EventStore(
      storeDb.dataSource,
      new SystemClock(),
      new UpcasterRegistry(),
      new InlineProjectionRegistry(),
    );
    const emmett = db.embedded ? undefined : await openEmmett(db.url, schema, poolMax);
    const sides: Side[] = [
      { name: 'event store', op: (stream, n) => store.append(stream, 'no_stream', newEvents(n)) },
      { name: 'plain INSERT', op: (stream, n) => plainInsert(plainQuery, stream, n) },
      ...(plain
        ? [{ name: 'prepared INSERT', op: (stream: string, n: number) => preparedInsert(plain, stream, n) }]
        : []),
      ...(emmett ? [{ name: 'Emmett', op: (stream: string, n: number) => emmett.append(stream, n) }] : []),
    ];
    const header = [
      'workload',
      ...sides.flatMap((s) => [`${s.name} events/s`, 'p99 ms']),
      ...sides.slice(1).map((s) => `store ÷ ${s.name}`),
    ];
    lines.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i ? ' --: ' : ' --- ')).join('|')}|`);
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
      const ops = Math.ceil(w.ops / options.rounds);
      // Several short rounds; each round rotates which side goes first, so a burst of noise
      // or a warmer cache favours no one. Each side's median round is reported.
      const figures: Figures[][] = sides.map(() => []);
      for (let round = 0; round < options.rounds; round++) {
        for (let k = 0; k < sides.length; k++) {
          const i = (k + round) % sides.length;
          figures[i].push(
            await run(ops, concurrency, w.perOp, (n) => sides[i].op(`${i}-${tag}-${round}-${n}`, w.perOp)),
          );
          await new Promise((resolve) => setTimeout(resolve, 3 * IDLE_MS)); // the side's connections close before the next opens its own
        }
      }
      const medians = figures.map(median);
      const cells = [
        db.embedded ? `${w.name} (PGlite: 1)` : w.name,
        ...medians.flatMap((m) => [fmt(m.eventsPerSecond), fmt(m.p99Ms, 2)]),
        ...medians.slice(1).map((m) => `${fmt((100 * medians[0].eventsPerSecond) / m.eventsPerSecond)} %`),
      ];
      const line = `| ${cells.join(' | ')} |`;
      lines.push(line);
      console.log(line);
    }
    await emmett?.close();

    // Reading the whole log: fill it with SQL, then page through it as a projection would.
    await fillLog(db, options.readEvents);
    const readRows = await readThroughput(store, db, options.readEvents);
    lines.push('', ...readRows);
    readRows.forEach((l) => console.log(l));
  } finally {
    await plain?.end();
    if (config.databaseSchema)
      await db.dataSource.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`).catch(() => undefined);
    if (storeDb !== db) await storeDb.close();
    await db.close();
  }
  return lines;
}

interface Side {
  name: string;
  op: (streamId: string, events: number) => Promise<unknown>;
}

const newEvents = (n: number) => Array.from({ length: n }, () => ({ type: 'BenchEvent', data: DATA, metadata: META }));

/**
 * Emmett's PostgreSQL store (a peer the house style learns from), in the same
 * schema, appending the same events to new streams. Its own tables, its own pool
 * of the same size.
 */
async function openEmmett(url: string, schema: string, max: number) {
  const { getPostgreSQLEventStore } = await import('@event-driven-io/emmett-postgresql');
  const pool = new Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: IDLE_MS,
    options: `-c search_path=${schema}`,
  });
  const es = getPostgreSQLEventStore(url, { connectionOptions: { pooled: true, pool, connectionString: url } });
  await es.schema.migrate();
  return {
    append: (streamId: string, n: number) =>
      es.appendToStream(streamId, newEvents(n) as never, { expectedStreamVersion: 'STREAM_DOES_NOT_EXIST' as never }),
    close: async () => {
      await es.close();
      await pool.end().catch(() => undefined);
    },
  };
}

/**
 * The bare baseline: one named prepared statement per batch size through `pg`,
 * no checks, no version read — the fastest honest way to put these rows in.
 */
/** The baselines stamp their rows as the store does: from a Clock. */
const clock = new SystemClock();

async function preparedInsert(pool: Pool, streamId: string, n: number): Promise<void> {
  const values: string[] = [];
  const params: unknown[] = [streamId, clock.now()];
  for (let v = 1; v <= n; v++) {
    const p = params.push(randomUUID(), JSON.stringify(DATA), JSON.stringify(META)) - 2;
    values.push(`($1, ${v}, $${p}, 'BenchEvent', $${p + 1}, $${p + 2}, $2)`);
  }
  const text = `INSERT INTO plain_events (stream_id, stream_version, event_id, type, data, metadata, recorded_at)
                VALUES ${values.join(', ')}`;
  await pool.query({ name: `plain-insert-${n}`, text, values: params });
}

async function plainInsert(
  query: (sql: string, params: unknown[]) => Promise<unknown>,
  streamId: string,
  n: number,
): Promise<void> {
  // The same bytes as the store sends: every row carries its own data and metadata.
  const values: string[] = [];
  const params: unknown[] = [streamId, clock.now()];
  for (let v = 1; v <= n; v++) {
    const p = params.push(randomUUID(), JSON.stringify(DATA), JSON.stringify(META)) - 2;
    values.push(`($1, ${v}, $${p}, 'BenchEvent', $${p + 1}, $${p + 2}, $2)`);
  }
  await query(
    `INSERT INTO plain_events (stream_id, stream_version, event_id, type, data, metadata, recorded_at) VALUES ${values.join(', ')}`,
    params,
  );
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
    `| readAll, pages of 1000 | ${fmt(read)} | ${fmt(read / seconds)} | ${fmt(plainRead / plainSeconds)} ` +
      `| ${fmt((100 * (read / seconds)) / (plainRead / plainSeconds))} % ` +
      `| ${mb(rssStart)} → ${mb(rssPeak)} | ${mb(heapPeak)} |`,
  ];
}
