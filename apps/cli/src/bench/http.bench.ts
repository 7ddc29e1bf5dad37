import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AppConfig } from '@praxis/common';
import { AddMemberCommand, AuthService, CreateOrganisationCommand, SYSTEM, TokenService } from '@praxis/identity';
import { createApp } from '../../../api/src/bootstrap';
import { fmt, median } from './measure';
import { cpuSeconds, load, machineCpuSeconds, RateFigures, sleep } from './open-loop';

/**
 * `POST /api/reflections` over real HTTP under an open-loop load: requests are
 * sent on a fixed schedule whatever the answers do, and each latency runs from
 * the request's scheduled send time, so a server that falls behind shows its
 * queue instead of slowing the client down (no coordinated omission). At each
 * rate, in the same run, the real api and a bare `node:http` baseline that
 * verifies the same token and inserts the same event row (bare-server.ts);
 * each in a process of its own, the client in this one, all on the same cores.
 */
export interface HttpBenchOptions {
  rates: number[];
  seconds: number;
  workers: number;
  /** A folder for the api's `--cpu-prof` output, or undefined. */
  cpuProfDir?: string;
  /** Another build of the api to load beside this one (its `main.js`), to compare before and after a change. */
  compareApi?: string;
  /** PRAXIS_API_PROCESSES for the api under load: 1 by default, one process against the one-process baseline. */
  apiProcesses: number;
  /** Loads per rate and target, taken in turns; the table gives each figure's median over them. */
  rounds: number;
}

interface Target {
  name: string;
  url: string;
  child: ChildProcess;
}

/** A held rate: p99 within 100 ms, nothing refused or lost, and at least 95 % of the offered rate answered. */
const holds = (f: RateFigures) => f.p99 <= 100 && f.errors === 0 && f.achieved >= 0.95 * f.offered;

export async function benchHttp(base: AppConfig, options: HttpBenchOptions): Promise<string[]> {
  if (!base.databaseUrl) {
    console.log(
      '(skipped: the HTTP bench needs DATABASE_URL — PGlite serialises every write and is not what a deployment runs)',
    );
    return [];
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const tokenSecret = randomBytes(32).toString('base64url');
  const masterKey = randomBytes(32);
  const config = base.with({
    databaseSchema: schema,
    demo: false,
    adminEmail: undefined,
    adminPassword: undefined,
    tokenSecret,
    masterKey,
  });
  const tokens = await createWorkers(config, options.workers);
  const env = {
    ...process.env,
    DATABASE_URL: base.databaseUrl,
    DATABASE_SCHEMA: schema,
    PRAXIS_TOKEN_SECRET: tokenSecret,
    PRAXIS_MASTER_KEY: masterKey.toString('hex'),
    PRAXIS_DEMO: 'off',
    PRAXIS_LOG_LEVEL: 'silent',
    PRAXIS_API_PROCESSES: String(options.apiProcesses),
    PRAXIS_ADMIN_EMAIL: '',
    PRAXIS_ADMIN_PASSWORD: '',
    HOST: '127.0.0.1',
  };
  const targets: Target[] = [];
  // 201s per target; both apis (with --compare-api) write the same log, the baseline a table of its own.
  const created = [0, 0, 0];
  const lines: string[] = [];
  try {
    const apiArgs = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
    targets.push(await start('api', join(__dirname, '../../../api/src/main.js'), env, apiArgs));
    targets.push(await start('bare node:http + pg', join(__dirname, 'bare-server.js'), env, []));
    if (options.compareApi) targets.push(await start('api (other build)', options.compareApi, env, []));
    const header = [
      'offered req/s',
      ...targets.flatMap((t) => [
        `${t.name}: achieved`,
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'errors',
        'CPU ms/req',
        'machine CPU ms/req',
      ]),
    ];
    lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => ' --: ').join('|')}|`);
    console.log(lines.join('\n'));
    const sustained = targets.map(() => 0);
    // Warm both (JIT, pools, plans) before anything is measured.
    for (const [i, t] of targets.entries()) created[i] += (await load(t.url, tokens, 50, 3)).answered;
    for (const [r, rate] of options.rates.entries()) {
      const rounds: RateFigures[][] = targets.map(() => []);
      const held = targets.map(() => 0);
      for (let round = 0; round < options.rounds; round++) {
        // Alternate who goes first; pause between loads so one's backlog never lands on the other.
        const turn = (r * options.rounds + round) % 2 === 0;
        const order = turn ? targets.map((_, i) => i) : targets.map((_, i) => targets.length - 1 - i);
        for (const i of order) {
          const cpu = cpuSeconds(targets[i].child.pid);
          const machine = machineCpuSeconds();
          const f = await load(targets[i].url, tokens, rate, options.seconds);
          created[i] += f.answered;
          // CPU the server process spent per answered request: far steadier than throughput on a shared machine.
          f.cpuMsPerRequest = (1000 * (cpuSeconds(targets[i].child.pid) - cpu)) / Math.max(1, f.answered);
          // And the whole machine's (the server, PostgreSQL, the client): what bounds the rate it can hold.
          f.machineCpuMsPerRequest = (1000 * (machineCpuSeconds() - machine)) / Math.max(1, f.answered);
          rounds[i].push(f);
          if (holds(f)) held[i]++;
          await sleep(2000);
        }
      }
      // Each figure's median over the rounds; a rate counts as held when most rounds held it.
      const figures = rounds.map(medianFigures);
      for (const [i, n] of held.entries()) if (2 * n > options.rounds) sustained[i] = Math.max(sustained[i], rate);
      const cells = [
        fmt(rate),
        ...figures.flatMap((f) => [
          fmt(f.achieved),
          fmt(f.p50, 1),
          fmt(f.p95, 1),
          fmt(f.p99, 1),
          fmt(f.max, 0),
          fmt(f.errors),
          fmt(f.cpuMsPerRequest, 2),
          fmt(f.machineCpuMsPerRequest, 2),
        ]),
      ];
      const line = `| ${cells.join(' | ')} |`;
      lines.push(line);
      console.log(line);
    }
    const summary = [
      '',
      'Sustained capacity (highest offered rate held with p99 ≤ 100 ms, no errors): ' +
        `${targets.map((t, i) => `${t.name} ${fmt(sustained[i])} req/s`).join(', ')}; ` +
        `api ÷ baseline ${sustained[1] ? `${fmt((100 * sustained[0]) / sustained[1])} %` : '—'}` +
        (options.rounds > 1 ? ` (figures: medians of ${options.rounds} rounds; held: in most rounds).` : '.'),
    ];
    lines.push(...summary);
    summary.forEach((l) => console.log(l));
  } finally {
    for (const t of targets) await stop(t.child);
    const audit = await auditAndDrop(config, created[0] + created[2]);
    lines.push(audit);
    console.log(audit);
  }
  if (options.cpuProfDir)
    console.log(
      `\nCPU profile of the api: ${options.cpuProfDir} (open in Chrome DevTools → Performance, or summarise with \`npx cpupro\`)`,
    );
  return lines;
}

/** Each figure's median over the rounds of one rate. */
function medianFigures(rounds: RateFigures[]): RateFigures {
  const of = (pick: (f: RateFigures) => number) => median(rounds.map(pick));
  return {
    offered: rounds[0].offered,
    achieved: of((f) => f.achieved),
    p50: of((f) => f.p50),
    p95: of((f) => f.p95),
    p99: of((f) => f.p99),
    max: of((f) => f.max),
    errors: of((f) => f.errors),
    sent: of((f) => f.sent),
    answered: of((f) => f.answered),
    cpuMsPerRequest: of((f) => f.cpuMsPerRequest),
    machineCpuMsPerRequest: of((f) => f.machineCpuMsPerRequest),
  };
}

/** An organisation with `n` workers, created through the identity commands; a bearer token for each. */
async function createWorkers(config: AppConfig, n: number): Promise<string[]> {
  const app = await createApp(config.with({ logLevel: 'warn' }));
  Logger.overrideLogger(['warn', 'error']);
  await app.init();
  try {
    const commands = app.get(CommandBus);
    const { id } = await commands.execute(new CreateOrganisationCommand('HTTP bench organisation', SYSTEM));
    const tokens: string[] = [];
    for (let w = 0; w < n; w++) {
      const added = await commands.execute(
        new AddMemberCommand(
          {
            organisationId: id,
            email: `worker${w}@bench.example`,
            password: `bench worker password ${w}`,
            role: 'worker',
            teamId: null,
          },
          SYSTEM,
        ),
      );
      // The membership becomes a signed-in account through the identity projection: wait for it.
      let user = await app.get(AuthService).userById(added.id);
      for (let waited = 0; !user && waited < 30_000; waited += 50) {
        await sleep(50);
        user = await app.get(AuthService).userById(added.id);
      }
      if (!user) throw new Error(`worker ${w} never became active`);
      tokens.push((await app.get(TokenService).issue(user)).accessToken);
    }
    // The baseline's table: the log's shape and indexes, none of its readers.
    await app.get(DataSource).query(`CREATE TABLE bare_events (LIKE events INCLUDING ALL)`);
    return tokens;
  } finally {
    await app.close();
  }
}

/** Nothing lost: every 201 the api gave is a reflection in its log and its read model; projection failures are named. */
async function auditAndDrop(config: AppConfig, answered: number): Promise<string> {
  const { Client } = await import('pg');
  const client = new Client({
    connectionString: config.databaseUrl,
    options: `-c search_path=${config.databaseSchema}`,
  });
  await client.connect();
  try {
    const [counts] = (
      await client.query(`SELECT (SELECT count(*) FROM events WHERE type = 'ReflectionRecorded')::int AS logged,
        (SELECT count(*) FROM journal_reflections)::int AS modelled, (SELECT count(*) FROM projection_dead_letters)::int AS parked`)
    ).rows;
    const errors = (
      await client.query(`SELECT projection, error, count(*)::int AS n FROM projection_dead_letters GROUP BY 1, 2`)
    ).rows;
    const parked = errors.map((e) => `${e.projection} ${e.n}× ${e.error}`).join('; ');
    return (
      `\nThe api answered 201 ${fmt(answered)} times; its log holds ${fmt(counts.logged)} reflections, ` +
      `its read model ${fmt(counts.modelled)}; ` +
      `${fmt(counts.parked)} events parked by projections${errors.length ? `: ${parked}` : ''}.`
    );
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`).catch(() => undefined);
    await client.end();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(name: string, script: string, env: NodeJS.ProcessEnv, execArgv: string[]): Promise<Target> {
  const port = await freePort();
  const child = fork(script, [], {
    env: { ...env, PORT: String(port) },
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 200) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it answered`);
    const ok = await fetch(`${url}/api/reflections`, { method: 'POST' }).then(
      (r) => r.status > 0,
      () => false,
    );
    if (ok) return { name, url, child };
    if (waited > 60_000) throw new Error(`${name} did not answer within a minute`);
    await sleep(200);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
