import { EventEmitter } from 'node:events';
import { request } from 'node:http';
import { Logger } from '@nestjs/common';
import { Database } from '@praxis/common';
import { dropTestSchema } from '@praxis/testing';
import { installGracefulShutdown } from '../apps/api/src/health/graceful-shutdown';
import { startApp, RunningApp } from './support/running-app';

const get = async (url: string) => {
  const res = await fetch(url);
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Record<string, any>,
  };
};

describe('health over HTTP', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp('health', { PRAXIS_RUN_PROJECTIONS: 'on' });
  });
  afterAll(() => running.close());

  it('answers liveness with 200 whatever the database', async () => {
    expect(await get(`${running.baseUrl}/health/live`)).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it("answers readiness (and /health, the same) with the database up, every migration applied and the projections' lag", async () => {
    for (const path of ['/health/ready', '/health']) {
      const res = await get(`${running.baseUrl}${path}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        database: { status: 'up', embedded: !running.config.databaseUrl, pendingMigrations: 0 },
      });
      expect(Array.isArray(res.body.projections)).toBe(true);
    }
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await fetch(`${running.baseUrl}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('is not ready while a migration is missing', async () => {
    const ds = running.app.get(Database).dataSource;
    const [last] = await ds.query('SELECT id, "timestamp", name FROM schema_migrations ORDER BY id DESC LIMIT 1');
    await ds.query('DELETE FROM schema_migrations WHERE id = $1', [last.id]);
    try {
      const res = await get(`${running.baseUrl}/health/ready`);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'unavailable', database: { status: 'up', pendingMigrations: 1 } });
    } finally {
      await ds.query('INSERT INTO schema_migrations (id, "timestamp", name) VALUES ($1, $2, $3)', [
        last.id,
        last.timestamp,
        last.name,
      ]);
    }
  });

  it("answers 503 once the database is gone, without the database's own words, while liveness stays 200", async () => {
    await running.app.get(Database).dataSource.destroy();
    const res = await get(`${running.baseUrl}/health/ready`);
    expect(res.status).toBe(503);
    expect(res.retryAfter).toBe('5');
    expect(res.body).toEqual({
      status: 'unavailable',
      database: { status: 'down', embedded: !running.config.databaseUrl },
      projections: [],
    });
    expect((await get(`${running.baseUrl}/health/live`)).status).toBe(200);
  });
});

describe('stopping on SIGTERM', () => {
  it('turns readiness to 503 at once, finishes the request in flight, then closes and exits 0', async () => {
    const running = await startApp('health_stop');
    const signals = new EventEmitter();
    const exits: number[] = [];
    // A long enough drain that readiness can be asked while the server still takes connections.
    const stopped = installGracefulShutdown(running.app, {
      delayMs: 1500,
      logger: new Logger('test'),
      signals,
      exit: (code) => exits.push(code),
    });
    const port = new URL(running.baseUrl).port;
    // A request in flight: headers sent, the body still to come.
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/auth/login',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write('{"email": "nobody@example.org", ');
      // The rest arrives after the server has begun to close (1.5 s after the signal).
      signals.once('SIGTERM', () => setTimeout(() => req.end('"password": "not this one"}'), 1800));
    });
    await new Promise((r) => setTimeout(r, 100));
    expect((await get(`${running.baseUrl}/health/ready`)).status).toBe(200);

    signals.emit('SIGTERM');
    const ready = await get(`${running.baseUrl}/health/ready`);
    expect(ready).toMatchObject({ status: 503, retryAfter: '5', body: { status: 'stopping' } });
    expect((await get(`${running.baseUrl}/health/live`)).status).toBe(200);

    expect(await inFlight).toBe(401);
    await stopped;
    expect(exits).toEqual([0]);
    expect(running.app.get(Database).dataSource.isInitialized).toBe(false);
    await dropTestSchema(running.config);
  });
});
