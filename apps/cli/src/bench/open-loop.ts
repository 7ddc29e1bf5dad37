import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { percentile } from './measure';

/** What one rate gave: answers, latency from each request's scheduled send, errors, the server's CPU per answer. */
export interface RateFigures {
  offered: number;
  achieved: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  sent: number;
  answered: number;
  cpuMsPerRequest: number;
  /** The machine's CPU (every process, every core) per answered request. */
  machineCpuMsPerRequest: number;
}

/** The body every request sends: a full, valid reflection. */
const REFLECTION = {
  occurredOn: '2026-03-02',
  whatHappened: 'Co-designed the drop-in timetable with two people who use the service; the room booking fell through.',
  soWhat: 'We kept going because the people who use the service led the session.',
  nowWhat: 'Book the room a month ahead.',
  ladderRung: 'co_design',
  aspiredRung: 'co_production',
  resourcePressure: 'stretched',
  pressureSources: ['time', 'space'],
  challenges: ['time', 'reduced_resources'],
  principles: ['assets', 'mutuality'],
  stage: 'co_design',
  tags: ['drop-in'],
};

/** User + system CPU of a process and its children so far, in seconds (Linux /proc; 0 elsewhere). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime + stime of the process, and of its children (an api run as several processes forks them).
    const own = (Number(fields[11]) + Number(fields[12])) / 100;
    const children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
    return own + children.reduce((sum, child) => sum + cpuSeconds(child), 0);
  } catch {
    return 0;
  }
}

/**
 * CPU seconds the whole machine has been busy, every core (from /proc/stat): the server, PostgreSQL, the load
 * client and anything else. Taken around one server's load, it is what that load cost the machine.
 */
export function machineCpuSeconds(): number {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .map(Number);
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return Number.NaN;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Open loop: request i is due at start + i / rate, sent when due (a 1 ms tick
 * fires every request whose time has come), its latency measured from when it
 * was due. Anything unanswered 10 s after the last send is counted as an error.
 */
export async function load(base: string, tokens: string[], rate: number, seconds: number): Promise<RateFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const total = Math.round(rate * seconds);
  const body = JSON.stringify(REFLECTION);
  const latencies: number[] = [];
  let errors = 0;
  const failures = new Map<string, number>();
  let done = 0;
  let lastAnswer = 0;
  const url = new URL('/api/reflections', base);
  const started = performance.now();
  const send = (i: number, due: number) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${tokens[i % tokens.length]}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          lastAnswer = performance.now();
          if (res.statusCode === 201) latencies.push(lastAnswer - due);
          else {
            errors++;
            failures.set(String(res.statusCode), (failures.get(String(res.statusCode)) ?? 0) + 1);
          }
          done++;
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      failures.set(error.code ?? 'error', (failures.get(error.code ?? 'error') ?? 0) + 1);
      errors++;
      done++;
    });
    req.end(body);
  };
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      while (next < total && started + (next * 1000) / rate <= now) {
        send(next, started + (next * 1000) / rate);
        next++;
      }
      if (next >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  const deadline = performance.now() + 10_000;
  while (done < total && performance.now() < deadline) await sleep(20);
  errors += total - done;
  if (total > done) failures.set('unanswered', total - done);
  if (failures.size)
    console.log(`  (${rate} req/s to ${base}: ${[...failures].map(([what, n]) => `${n}× ${what}`).join(', ')})`);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const span = (Math.max(lastAnswer, started + seconds * 1000) - started) / 1000;
  return {
    offered: rate,
    achieved: latencies.length / span,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
    errors,
    sent: total,
    answered: latencies.length,
    cpuMsPerRequest: 0,
    machineCpuMsPerRequest: 0,
  };
}
