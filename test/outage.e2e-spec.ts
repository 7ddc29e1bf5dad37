import { Writable } from 'node:stream';
import { INestApplication } from '@nestjs/common';
import { AppConfig } from '@praxis/common';
import { dropTestSchema, onServer, testConfig } from '@praxis/testing';
import { createApp } from '../apps/api/src/bootstrap';
import { buildWorld, call, World } from './support/identity';
import { TcpProxy } from './support/tcp-proxy';

const reflection = (whatHappened: string) => ({
  occurredOn: '2026-03-02',
  whatHappened,
  ladderRung: 'co_design',
  resourcePressure: 'stretched',
});

/**
 * The database goes away under a running api (a proxy in front of the test
 * server cuts every connection and refuses new ones), then comes back on the
 * same address. Needs a PostgreSQL server: the embedded database lives inside
 * the process and cannot go away on its own.
 */
(onServer() ? describe : describe.skip)('while the database is unreachable', () => {
  let proxy: TcpProxy;
  let config: AppConfig;
  let app: INestApplication;
  let baseUrl: string;
  let world: World;
  let kept: string;
  const logLines: Record<string, unknown>[] = [];
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logLines.push(JSON.parse(line));
      done();
    },
  });

  beforeAll(async () => {
    const server = new URL(process.env.DATABASE_URL!);
    proxy = new TcpProxy(server.hostname, Number(server.port || 5432));
    await proxy.start();
    const proxied = new URL(server.href);
    proxied.port = String(proxy.port);
    config = testConfig('outage');
    app = await createApp(config.with({ databaseUrl: proxied.href, logLevel: 'info' }), undefined, {
      logDestination: logs,
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    world = await buildWorld(app, baseUrl, 'outage');
    const saved = await call(baseUrl, 'POST', '/api/reflections', {
      token: world.workerA.token,
      body: reflection('before the outage'),
    });
    expect(saved.status).toBe(201);
    kept = saved.body.id;
    await proxy.stop();
  });

  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await app?.close();
    await proxy.stop();
    await dropTestSchema(config);
  });

  it.each([
    ['POST', '/api/reflections', reflection('during the outage')],
    ['GET', '/api/reflections', undefined],
    ['GET', '/api/me/trends?granularity=month', undefined],
    ['PUT', '/api/me/research-consent', { granted: true }],
    ['POST', '/api/auth/login', { email: 'someone@example.org', password: 'a long enough password' }],
  ])('%s %s answers 503 with Retry-After and the JSON error shape, never 500', async (method, path, body) => {
    const res = await call(baseUrl, method, path, { token: world.workerA.token, body });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringMatching(/try again/i),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|terminated|127\.0\.0\.1/);
  });

  it.each(['/', '/journal', '/journal/new', '/trends', '/me', '/dashboard', '/research', '/admin'])(
    'shows %s to a signed-in browser as a short "try again in a moment" page with 503',
    async (path) => {
      const res = await fetch(`${baseUrl}${path}`, {
        headers: { cookie: 'praxis_session=some-session' },
        redirect: 'manual',
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const html = await res.text();
      expect(html).toContain('Try again in a moment');
      expect(html).not.toMatch(/ECONNREFUSED|stack|at .*\.js/);
    },
  );

  // A link token as mailed (43 base64url characters): anything else is refused without asking the database.
  it.each([`/invitations/${'A'.repeat(43)}`, `/password-reset/${'A'.repeat(43)}`])(
    'answers %s to a signed-out browser with the same page and 503',
    async (path) => {
      const res = await fetch(`${baseUrl}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('Try again in a moment');
    },
  );

  it("logs why, with the request's id, on the line beside its access line", async () => {
    const res = await call(baseUrl, 'GET', '/api/reflections', {
      token: world.workerA.token,
      headers: { 'x-request-id': 'outage-1' },
    });
    expect(res.status).toBe(503);
    const lines = logLines.filter((l) => l.reqId === 'outage-1');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/^answered 503: .*(ECONNREFUSED|connect)/) }),
      expect.objectContaining({ msg: 'request failed', status: 503, route: '/api/reflections' }),
    ]);
  });

  it('is not ready, and still alive', async () => {
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(503);
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
  });

  it('answers again once the database is back, with nothing acknowledged lost', async () => {
    await proxy.start();
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${baseUrl}/health/ready`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    const retried = await call(baseUrl, 'POST', '/api/reflections', {
      token: world.workerA.token,
      body: reflection('after the outage'),
    });
    expect(retried.status).toBe(201);
    const list = await call(baseUrl, 'GET', '/api/reflections', { token: world.workerA.token });
    expect(list.body.items.map((r: { whatHappened: string }) => r.whatHappened).sort()).toEqual([
      'after the outage',
      'before the outage',
    ]);
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(kept);
  });
});
