import { INestApplication } from '@nestjs/common';
import { AppConfig } from '@praxis/common';
import { AccountCache } from '@praxis/identity';
import { dropTestSchema, eventually, onServer, testConfig } from '@praxis/testing';
import { createApp } from '../apps/api/src/bootstrap';
import { LOGIN_LIMITS } from '../apps/api/src/auth/login-throttle';
import { CookieJar, csrfOf, getPage, postForm, signInWithForm } from './support/browser-less';
import { buildWorld, call, PASSWORD, World } from './support/identity';

interface Api {
  app: INestApplication;
  baseUrl: string;
}

async function start(config: AppConfig): Promise<Api> {
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

/**
 * PRAXIS_API_PROCESSES: two api instances (each its own Nest application,
 * throttler storage and pool) on one database, sharing nothing else — what a
 * balancer sends from one request to the next may land on either. PGlite is
 * one process's database, so this needs a server.
 */
(onServer() ? describe : describe.skip)('two api processes on one database', () => {
  let config: AppConfig;
  let one: Api;
  let two: Api;
  let world: World;
  beforeAll(async () => {
    config = testConfig('api_processes');
    one = await start(config);
    two = await start(config);
    world = await buildWorld(one.app, one.baseUrl, 'procs');
  });
  afterAll(async () => {
    await one?.app.close();
    await two?.app.close();
    if (config) await dropTestSchema(config);
  });

  it('a session started on one is signed in on the other, and signing out on the other ends it on the first', async () => {
    const jar = new CookieJar();
    const signedIn = await signInWithForm(one.baseUrl, jar, world.workerA.email, PASSWORD);
    expect(signedIn.status).toBe(303);
    const session = jar.get('praxis_session')!;
    const home = await getPage(two.baseUrl, '/', jar);
    expect(home.status).toBe(200);
    expect(home.html).toContain(world.workerA.email);
    const out = await postForm(two.baseUrl, '/logout', jar, { _csrf: csrfOf(home.html) });
    expect(out.location).toBe('/login?signedOut=1');
    const replay = new CookieJar();
    replay.set('praxis_session', session);
    expect((await getPage(one.baseUrl, '/', replay)).location).toBe('/login');
  });

  it('a bearer token one of them has checked is refused by it once the other signs it out', async () => {
    const token = world.leaderB.token;
    // Checked on the first, which listens from its first check on, then keeps the account (and answers from it).
    expect((await call(one.baseUrl, 'GET', '/api/me', { token })).status).toBe(200);
    await eventually(() => one.app.get(AccountCache).listening);
    for (let i = 0; i < 2; i++) expect((await call(one.baseUrl, 'GET', '/api/me', { token })).status).toBe(200);
    expect((await call(two.baseUrl, 'POST', '/api/auth/logout', { token })).status).toBe(204);
    // The second refuses it as it answers; the first once the database has announced the change (milliseconds).
    expect((await call(two.baseUrl, 'GET', '/api/me', { token })).status).toBe(401);
    await eventually(async () => (await call(one.baseUrl, 'GET', '/api/me', { token })).status === 401);
    for (const api of [one, two]) {
      const denied = await call(api.baseUrl, 'POST', '/api/reflections', {
        token,
        body: { occurredOn: '2026-01-07', whatHappened: 'x', ladderRung: 'informing', resourcePressure: 'severe' },
      });
      expect(denied.status).toBe(401);
    }
  });

  it('counts sign-in attempts for one account across both: the limit is the limit, not twice it', async () => {
    // buildWorld signed workerB in once, on the first: a success, which the account's count forgets.
    for (let i = 0; i < LOGIN_LIMITS.perAccount.limit; i++) {
      const api = i % 2 ? two : one;
      const res = await call(api.baseUrl, 'POST', '/api/auth/login', {
        body: { email: world.workerB.email, password: `wrong password ${i}` },
      });
      expect(res.status).toBe(401);
    }
    for (const api of [one, two]) {
      const res = await call(api.baseUrl, 'POST', '/api/auth/login', {
        body: { email: world.workerB.email, password: PASSWORD },
      });
      expect(res.status).toBe(429);
    }
  });

  it('replays an idempotency key sent to one when the retry reaches the other: one reflection, one answer', async () => {
    const body = {
      occurredOn: '2026-01-07',
      whatHappened: 'retried',
      ladderRung: 'informing',
      resourcePressure: 'severe',
    };
    const send = (api: Api) =>
      call(api.baseUrl, 'POST', '/api/reflections', {
        token: world.workerB.token,
        headers: { 'idempotency-key': 'procs-retry-1' },
        body,
      });
    const first = await send(one);
    const retry = await send(two);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    const listed = await call(two.baseUrl, 'GET', '/api/reflections', { token: world.workerB.token });
    expect(listed.status).toBe(200);
    const items = Array.isArray(listed.body) ? listed.body : listed.body.items;
    expect(items.filter((r: { id: string }) => r.id === first.body.id)).toHaveLength(1);
    expect(items).toHaveLength(1);
  });
});
