import cluster, { Worker } from 'node:cluster';
import type { Logger } from 'pino';

/**
 * main.ts in the primary when PRAXIS_API_PROCESSES asks for more than one: it
 * serves nothing itself, it forks the api processes, which share the port and
 * nothing else but PostgreSQL (sessions, sign-in counts, idempotency keys and
 * projection locks all live there).
 *
 * - They start one after another: the first migrates and creates the admin
 *   alone, and if it cannot start, the primary stops with it.
 * - Only the first runs the async projections (PRAXIS_RUN_PROJECTIONS, if on):
 *   advisory locks would make the others wait their turn anyway.
 * - One that dies after starting is replaced, in the same role.
 * - SIGTERM is passed on to every one (a container stops only the primary);
 *   SIGINT is not, because a terminal's Ctrl-C reaches them all already. The
 *   primary exits when they have: 0 if every one stopped cleanly.
 */
export function runApiProcesses(count: number, log: Logger): void {
  const roles = new Map<Worker, number>();
  let stopping = false;
  let started = false;
  let failed = false;

  const fork = (role: number): Promise<boolean> => {
    const worker = cluster.fork(role === 0 ? {} : { PRAXIS_RUN_PROJECTIONS: 'off' });
    roles.set(worker, role);
    return new Promise((started) => {
      worker.once('listening', () => started(true));
      worker.once('exit', () => started(false));
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const role = roles.get(worker) ?? 0;
    roles.delete(worker);
    if (code !== 0) failed = true;
    if (stopping) {
      if (roles.size === 0) {
        log.info(`all api processes stopped${failed ? ', not every one cleanly' : ''}`);
        process.exit(failed ? 1 : 0);
      }
      return;
    }
    if (started) {
      log.error(`api process ${worker.process.pid} ended (${signal ?? `code ${code}`}): starting another`);
      void fork(role);
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true;
      log.info(`${signal}: stopping ${roles.size} api processes`);
      if (signal === 'SIGTERM') for (const worker of roles.keys()) worker.process.kill('SIGTERM');
      if (roles.size === 0) process.exit(failed ? 1 : 0);
    });
  }

  void (async () => {
    for (let role = 0; role < count && !stopping; role++) {
      if (!(await fork(role))) {
        if (stopping) return;
        log.error('an api process could not start: stopping');
        stopping = true;
        for (const worker of roles.keys()) worker.process.kill('SIGTERM');
        if (roles.size === 0) process.exit(1);
        return;
      }
    }
    started = true;
    log.info(`${count} api processes serving`);
  })();
}
