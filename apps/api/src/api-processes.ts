import cluster, { Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type Signal = (typeof SIGNALS)[number];
interface SignalMessage {
  praxisSignal: Signal;
}
const isSignalMessage = (message: unknown): message is SignalMessage =>
  typeof message === 'object' && message !== null && SIGNALS.includes((message as SignalMessage).praxisSignal);

/**
 * main.ts in the primary when PRAXIS_API_PROCESSES asks for more than one: it
 * serves nothing itself, it forks the api processes, which share the port and
 * nothing else but PostgreSQL (sessions, sign-in counts, idempotency keys and
 * projection locks all live there).
 *
 * - They start one after another: the first migrates and creates the admin
 *   alone, and if one cannot start, the primary stops them all and exits 1.
 * - Only the first runs the async projections (PRAXIS_RUN_PROJECTIONS, if on):
 *   advisory locks would make the others wait their turn anyway.
 * - One that dies after starting is replaced, in the same role.
 * - Signals go to the primary, which passes each on as a message: a container
 *   signals only the primary, while a terminal or a service manager signals
 *   every process at once, and a stop must count once either way (a second one
 *   means "now"). The primary exits when they all have: 0 if each stopped cleanly.
 */
export function runApiProcesses(count: number, log: Logger): void {
  const roles = new Map<Worker, number>();
  let stopping = false;
  let started = false;
  let failed = false;

  const fork = (role: number): Promise<boolean> => {
    const worker = cluster.fork(role === 0 ? {} : { PRAXIS_RUN_PROJECTIONS: 'off' });
    roles.set(worker, role);
    return new Promise((up) => {
      worker.once('listening', () => up(true));
      worker.once('exit', () => up(false));
    });
  };
  const signalAll = (signal: Signal) => {
    for (const worker of roles.keys()) if (worker.isConnected()) worker.send({ praxisSignal: signal });
  };
  const exitWhenNoneLeft = () => {
    if (roles.size > 0) return;
    log.info(`all api processes stopped${failed ? ', not every one cleanly' : ''}`);
    process.exit(failed ? 1 : 0);
  };

  cluster.on('exit', (worker, code, signal) => {
    const role = roles.get(worker) ?? 0;
    roles.delete(worker);
    if (stopping) {
      if (code !== 0) failed = true;
      return exitWhenNoneLeft();
    }
    if (started) {
      log.error(`api process ${worker.process.pid} ended (${signal ?? `code ${code}`}): starting another`);
      void fork(role);
    }
  });

  for (const signal of SIGNALS) {
    process.on(signal, () => {
      stopping = true;
      log.info(`${signal}: passing it on to ${roles.size} api processes`);
      signalAll(signal);
      exitWhenNoneLeft();
    });
  }

  void (async () => {
    for (let role = 0; role < count && !stopping; role++) {
      if (!(await fork(role))) {
        if (stopping) return;
        log.error('an api process could not start: stopping the others');
        stopping = true;
        failed = true;
        signalAll('SIGTERM');
        return exitWhenNoneLeft();
      }
    }
    started = true;
    log.info(`${count} api processes serving`);
  })();
}

/**
 * In a forked api process: the stop signals as the primary passes them on
 * (for installGracefulShutdown). Signals sent to this process itself are
 * ignored, since the primary passes the same ones on. Before the app is ready
 * to stop gracefully, a stop simply exits: it has served nothing yet.
 */
export function signalsFromPrimary(): EventEmitter {
  const signals = new EventEmitter();
  for (const signal of SIGNALS) process.on(signal, () => undefined);
  process.on('message', (message: unknown) => {
    if (!isSignalMessage(message)) return;
    if (signals.listenerCount(message.praxisSignal) === 0) process.exit(0);
    signals.emit(message.praxisSignal);
  });
  return signals;
}
