import { AppConfig, SystemClock } from '@praxis/common';
import { benchEventStore } from './event-store.bench';
import { benchHttp } from './http.bench';
import { benchResearch } from './research.bench';
import { benchTrends } from './trends.bench';

/**
 * `npm run bench` — figures, never pass/fail. Uses DATABASE_URL when set (in a
 * schema of its own, dropped afterwards), else an in-memory PGlite.
 * Flags: --read-events N (default 1 000 000), --scale N (multiplies append counts),
 * --rounds N (alternating rounds per workload, median reported; default 5),
 * --research-reflections N (reflections in the research export's log; default 1 000 000),
 * --research-rounds N (exports built of that log, for medians; default 3),
 * --research-appends N (appends/s while each export is built, for the projection lag; default 100),
 * --trends-reflections N (reflections in the organisation model's log; default 1 000 000 on a server, 100 000 on PGlite),
 * --http-rates 100,200,… (offered req/s), --http-seconds N (per rate; default 10), --http-workers N (default 20),
 * --cpu-prof DIR (profile the api under the HTTP load into DIR), --compare-api PATH (another build's api main.js, loaded beside),
 * --http-api-processes N (PRAXIS_API_PROCESSES of the api under load; default 1, like the baseline),
 * --http-rounds N (loads per rate and server, in turns; the table gives medians; default 3),
 * --only event-store|http|research|trends (run one part).
 */
export async function bench(args: string[]): Promise<void> {
  const flag = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const base = AppConfig.fromEnv({
    ...process.env,
    PRAXIS_DATA_DIR: process.env.DATABASE_URL ? process.env.PRAXIS_DATA_DIR : 'memory://',
  });
  const started = new SystemClock().now();
  console.log(
    `# Praxis benchmark — ${started.toISOString()} — ${base.databaseUrl ? 'PostgreSQL server' : 'embedded PGlite (in memory)'}\n`,
  );
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  if (!only || only === 'event-store') {
    console.log('## Event store\n');
    await benchEventStore(base, {
      readEvents: flag('--read-events', 1_000_000),
      scale: flag('--scale', 1),
      rounds: flag('--rounds', 5),
    });
  }
  if (!only || only === 'http') {
    console.log('\n## POST /api/reflections over HTTP, open loop\n');
    const list = (name: string, fallback: number[]) =>
      args.includes(name) ? args[args.indexOf(name) + 1].split(',').map(Number) : fallback;
    const i = args.indexOf('--cpu-prof');
    await benchHttp(base, {
      rates: list('--http-rates', [100, 200, 300, 400, 600, 800]),
      seconds: flag('--http-seconds', 10),
      workers: flag('--http-workers', 20),
      cpuProfDir: i >= 0 ? args[i + 1] : undefined,
      compareApi: args.includes('--compare-api') ? args[args.indexOf('--compare-api') + 1] : undefined,
      apiProcesses: flag('--http-api-processes', 1),
      rounds: flag('--http-rounds', 3),
    });
  }
  if (!only || only === 'research') {
    console.log('\n## Research export\n');
    await benchResearch(base, {
      reflections: flag('--research-reflections', 1_000_000),
      rounds: flag('--research-rounds', 3),
      appendsPerSecond: flag('--research-appends', 100),
    });
  }
  if (!only || only === 'trends') {
    console.log('\n## Organisation trends\n');
    await benchTrends(base, {
      reflections: flag('--trends-reflections', base.databaseUrl ? 1_000_000 : 100_000),
      lagSeconds: flag('--lag-seconds', 20),
    });
  }
}
