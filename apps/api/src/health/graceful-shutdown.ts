import type { Server } from 'node:http';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { Lifecycle } from './lifecycle';

export interface ShutdownOptions {
  /** How long readiness answers 503 before the server stops taking connections (load balancers notice). */
  delayMs: number;
  logger: LoggerService;
  /** Where signals come from (the process; a test passes its own emitter). */
  signals?: Pick<NodeJS.EventEmitter, 'on'>;
  exit?: (code: number) => void;
}

/**
 * On SIGTERM or SIGINT: readiness turns 503 at once, then after `delayMs` the
 * app closes — Nest stops the HTTP server (requests in flight finish, idle
 * connections close), stops the projections, closes the pool — and the process
 * exits 0. A second signal while stopping exits at once.
 */
export function installGracefulShutdown(app: INestApplication, options: ShutdownOptions): Promise<void> {
  const signals = options.signals ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const lifecycle = app.get(Lifecycle);
  return new Promise((done) => {
    const stop = (signal: string) => {
      if (lifecycle.stopping) {
        options.logger.warn(`${signal} again while stopping: exiting now`);
        exit(1);
        return;
      }
      lifecycle.beginStopping();
      const server = app.getHttpServer() as Server;
      answerWithConnectionClose(server);
      options.logger.log(`${signal}: not ready any more; stopping in ${options.delayMs} ms`);
      setTimeout(() => {
        closeIdleWhileClosing(server);
        app.close().then(
          () => {
            options.logger.log('stopped: requests finished, projections stopped, database closed');
            done();
            exit(0);
          },
          (error: unknown) => {
            options.logger.error(`could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
            done();
            exit(1);
          },
        );
      }, options.delayMs);
    };
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      signals.on(signal, () => stop(signal));
    }
  });
}

/** From the stop signal on, every answer says `Connection: close`, so clients open new connections (elsewhere). */
function answerWithConnectionClose(server: Server): void {
  server.prependListener('request', (_req, res) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  });
}

/**
 * Keep-alive connections would hold the closing server open until their idle
 * timeout: once it closes, a connection whose request (one in flight included)
 * has been answered is closed at once.
 */
function closeIdleWhileClosing(server: Server): void {
  server.on('request', (_req, res) => res.once('finish', () => setImmediate(() => server.closeIdleConnections())));
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  sweep.unref();
  server.once('close', () => clearInterval(sweep));
}
