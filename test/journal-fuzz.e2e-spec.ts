import { DataSource } from 'typeorm';
import { startApp, RunningApp } from './support/running-app';
import { buildWorld, call, World } from './support/identity';

/** Odd input of every shape to every journal route: a clear 4xx, never a 500, and nothing stored. */
describe('the journal refuses odd input without a 500', () => {
  let running: RunningApp;
  let world: World;
  let id: string;
  beforeAll(async () => {
    running = await startApp('journal_fuzz');
    world = await buildWorld(running.app, running.baseUrl, 'fuzz');
    const res = await call(running.baseUrl, 'POST', '/api/reflections', {
      token: world.workerA.token,
      body: { occurredOn: '2026-01-05', whatHappened: 'x', ladderRung: 'informing', resourcePressure: 'severe' },
    });
    id = res.body.id;
  });
  afterAll(() => running?.close());

  const bodies: [string, string][] = [
    ['an array', '[1,2]'],
    ['a string', '"hello"'],
    ['null', 'null'],
    ['a number', '42'],
    ['malformed JSON', '{"occurredOn": '],
    ['nested garbage', '{"advocacy": "loud", "tags": [1, {}], "challenges": "time"}'],
    ['prototype pollution', '{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}'],
    ['huge numbers', '{"occurredOn": 1e309, "ladderRung": 7, "resourcePressure": -1}'],
    ['wrong nesting', '{"advocacy": {"argument": ["ethical"], "reception": {"x": 1}}}'],
    ['an empty object', '{}'],
  ];

  it.each(bodies)('POST /api/reflections with %s → 400', async (_, raw) => {
    const res = await call(running.baseUrl, 'POST', '/api/reflections', { token: world.workerA.token, raw });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: expect.anything() });
  });

  it.each(bodies)('PATCH /api/reflections/:id with %s → 400', async (_, raw) => {
    const res = await call(running.baseUrl, 'PATCH', `/api/reflections/${id}`, {
      token: world.workerA.token,
      raw,
      headers: { 'if-match': '1' },
    });
    expect(res.status).toBe(400);
  });

  it.each([
    ['PUT', '/api/me/research-consent', '{"granted": "maybe"}', 400],
    ['PUT', '/api/me/research-consent', '[]', 400],
    ['GET', '/api/reflections?limit=abc', undefined, 400],
    ['GET', '/api/reflections?limit=1&limit=2', undefined, 400],
    ['GET', '/api/reflections?cursor=' + 'A'.repeat(500), undefined, 400],
    ['GET', '/api/me/trends?granularity[]=month', undefined, 400],
    [
      'GET',
      `/api/reflections?cursor=${Buffer.from('2024-13-45|00000000-0000-4000-8000-000000000000').toString('base64url')}`,
      undefined,
      400,
    ],
    ['GET', '/api/reflections/%00', undefined, 404],
    ['GET', `/api/reflections/${'9'.repeat(300)}/history`, undefined, 404],
  ] as const)('%s %s → %i', async (method, path, raw, status) => {
    const res = await call(running.baseUrl, method, path, { token: world.workerA.token, raw });
    expect(res.status).toBe(status);
  });

  it.each([
    ['no If-Match', {}, 428],
    ['a word', { 'if-match': 'latest' }, 400],
    ['a stale version', { 'if-match': '7' }, 409],
    ['a quoted version', { 'if-match': '"1"' }, 200],
  ] as const)('PATCH with %s → %i', async (_, headers, status) => {
    const res = await call(running.baseUrl, 'PATCH', `/api/reflections/${id}`, {
      token: world.workerA.token,
      body: { soWhat: `changed ${status}` },
      headers,
    });
    expect(res.status).toBe(status);
  });

  it('refuses a malformed Idempotency-Key', async () => {
    const res = await call(running.baseUrl, 'POST', '/api/reflections', {
      token: world.workerA.token,
      headers: { 'idempotency-key': 'has spaces in it' },
      body: { occurredOn: '2026-01-05', whatHappened: 'x', ladderRung: 'informing', resourcePressure: 'severe' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/Idempotency-Key/);
  });

  it('takes a very long Idempotency-Key (it is hashed before it is stored)', async () => {
    const body = { occurredOn: '2026-01-06', whatHappened: 'y', ladderRung: 'informing', resourcePressure: 'severe' };
    const headers = { 'idempotency-key': 'k'.repeat(200) };
    const first = await call(running.baseUrl, 'POST', '/api/reflections', {
      token: world.workerB.token,
      headers,
      body,
    });
    const again = await call(running.baseUrl, 'POST', '/api/reflections', {
      token: world.workerB.token,
      headers,
      body,
    });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
  });

  it('erases once when the request is sent twice at the same moment', async () => {
    const [a, b] = await Promise.all(
      [1, 2].map(() => call(running.baseUrl, 'POST', '/api/me/erase', { token: world.workerB.token })),
    );
    // Both 202 when they overlap; 202 then 401 when the first has already closed the account. Never 409 or 500.
    expect([202, 401]).toContain(a.status);
    expect([202, 401]).toContain(b.status);
    expect([a.status, b.status]).toContain(202);
    const ds = running.app.get(DataSource);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'PersonalDataErased' AND stream_id = $1`,
      [`person-${world.workerB.id}`],
    );
    expect(n).toBe(1);
  });

  it('stored only the one reflection made in setup', async () => {
    const res = await call(running.baseUrl, 'GET', '/api/reflections', { token: world.workerA.token });
    expect(res.body.items).toHaveLength(1);
  });
});
