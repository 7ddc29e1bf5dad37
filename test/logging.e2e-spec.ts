import { Writable } from 'node:stream';
import { startApp, RunningApp } from './support/running-app';
import { buildWorld, call, PASSWORD, World } from './support/identity';

/** What an operator reads: one JSON object a line, an access line per request with its id, and no secret anywhere. */
describe('logs', () => {
  let running: RunningApp;
  let world: World;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const accessLines = (reqId: string) => records().filter((r) => r.reqId === reqId && r.msg === 'request completed');

  beforeAll(async () => {
    running = await startApp('logging', { PRAXIS_LOG_LEVEL: 'info', PRAXIS_LOG_FORMAT: 'json' }, undefined, {
      logDestination: sink,
    });
    world = await buildWorld(running.app, running.baseUrl, 'logs');
  });
  afterAll(() => running?.close());

  it('writes every line as one JSON object with a level and a time', () => {
    expect(lines.length).toBeGreaterThan(10);
    for (const record of records()) {
      expect(record).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
    }
  });

  it("keeps a caller's X-Request-Id, echoes it and logs one access line with the route template, status and duration", async () => {
    const res = await call(running.baseUrl, 'GET', '/api/reflections/00000000-0000-4000-8000-000000000000', {
      token: world.workerA.token,
      headers: { 'x-request-id': 'trace-me-42' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('trace-me-42');
    const access = accessLines('trace-me-42');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      method: 'GET',
      route: '/api/reflections/:id',
      status: 404,
      durationMs: expect.any(Number),
    });
    expect(JSON.stringify(access[0])).not.toContain('00000000-0000-4000-8000-000000000000');
  });

  it('makes up an id when there is none (or it is not an id), and answers with it', async () => {
    const plain = await call(running.baseUrl, 'GET', '/health/live');
    const odd = await call(running.baseUrl, 'GET', '/health/live', {
      headers: { 'x-request-id': 'has spaces\tand "quotes"' },
    });
    for (const res of [plain, odd]) {
      const id = res.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(accessLines(id)).toHaveLength(1);
    }
  });

  it('answers and logs a request the body parser refused with its id too', async () => {
    const res = await call(running.baseUrl, 'POST', '/api/reflections', {
      token: world.workerA.token,
      raw: '{"a":'.repeat(50),
      headers: { 'x-request-id': 'deep-1' },
    });
    expect(res.status).toBe(400);
    expect(accessLines('deep-1')).toMatchObject([{ method: 'POST', status: 400 }]);
  });

  it('never writes a password, a token, a cookie or an email', async () => {
    const secretPassword = 'a-very-secret-passphrase-123';
    await call(running.baseUrl, 'POST', '/api/auth/login', {
      body: { email: world.workerA.email, password: secretPassword },
    });
    await call(running.baseUrl, 'POST', '/api/auth/login', {
      body: { email: world.workerB.email, password: PASSWORD },
    });
    await call(running.baseUrl, 'GET', '/journal', { headers: { cookie: 'praxis_session=cookie-secret-value' } });
    await call(running.baseUrl, 'GET', '/api/me/trends?granularity=nonsense', { token: world.workerA.token });
    const everything = lines.join('\n');
    for (const secret of [
      secretPassword,
      PASSWORD,
      world.workerA.token,
      world.workerB.token,
      'cookie-secret-value',
      world.workerA.email,
      world.workerB.email,
      world.admin.email,
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/[\w.+-]+@example\.org/);
  });
});
