import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';

/**
 * The embedded database: PGlite behind a socket server on a private loopback
 * port, so TypeORM and `pg` reach it exactly as they reach a PostgreSQL server
 * and the same migrations and SQL serve both.
 *
 * PGlite is one session: the server accepts one connection at a time, so the
 * pool in front of it must hold exactly one (see FACTS.md). PGlite does not
 * fsync — fine for trying Praxis and for tests, not for real deployments.
 */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  // Loaded lazily: PGlite is an ES module and a server deployment never needs it.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const memory = dataDir.startsWith('memory://');
  const location = memory ? dataDir : resolve(dataDir, 'pglite');
  if (!memory) mkdirSync(location, { recursive: true });
  const started = performance.now();
  const db = await PGlite.create(location);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  new Logger('EmbeddedPostgres').log(
    `PGlite ${memory ? 'in memory' : `at ${location}`} ready in ${Math.round(performance.now() - started)} ms`,
  );
  let stopped = false;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
