import { startApp, RunningApp } from './support/running-app';
import { CookieJar, signInWithForm } from './support/browser-less';
import { buildWorld, call, PASSWORD, World } from './support/identity';
import { LOGIN_LIMITS } from '../apps/api/src/auth/login-throttle';

/** Sign-in attempts are limited per account and per address, across the API and the page together. */
describe('login rate limits', () => {
  let running: RunningApp;
  let world: World;
  let used = 0; // attempts from this address so far (buildWorld signs in six accounts)
  beforeAll(async () => {
    running = await startApp('login_rate');
    world = await buildWorld(running.app, running.baseUrl);
    used = 6;
  });
  afterAll(() => running?.close());

  const attempt = async (email: string, password: string) => {
    used++;
    return call(running.baseUrl, 'POST', '/api/auth/login', { body: { email, password } });
  };

  it(`per account: after ${LOGIN_LIMITS.perAccount.limit} failed attempts even the right password waits, other accounts do not`, async () => {
    // buildWorld signed the researcher in once already: a success, which the account's count forgets.
    for (let i = 0; i < LOGIN_LIMITS.perAccount.limit; i++)
      expect((await attempt(world.researcher.email, 'wrong password ' + i)).status).toBe(401);
    const blocked = await attempt(world.researcher.email.toUpperCase(), PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      // Blocked for the account's window (15 minutes), and told so.
      message: 'Too many attempts; try again in 15 minutes',
    });
    expect((await attempt(world.workerB.email, PASSWORD)).status).toBe(200);
  });

  it('per address: the page and the API share one count, and the page says so in words', async () => {
    while (used < LOGIN_LIMITS.perAddress.limit)
      expect((await attempt(`someone${used}@example.org`, 'wrong password')).status).toBe(401);
    expect((await attempt(`someone-else@example.org`, PASSWORD)).status).toBe(429);
    // No proxy is trusted by default: a forwarded address written by the caller changes nothing.
    const forged = await call(running.baseUrl, 'POST', '/api/auth/login', {
      body: { email: 'forger@example.org', password: 'wrong password' },
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    expect(forged.status).toBe(429);
    const jar = new CookieJar();
    const page = await signInWithForm(running.baseUrl, jar, world.workerA.email, PASSWORD);
    expect(page.status).toBe(429);
    expect(page.html).toContain('Too many attempts; try again in 1 minute');
    expect(jar.get('praxis_session')).toBeUndefined();
  });

  it('other routes are not limited', async () => {
    for (let i = 0; i < 5; i++)
      expect((await call(running.baseUrl, 'GET', '/api/me', { token: world.admin.token })).status).toBe(200);
  });
});

/** The per-account limit counts the attempts since the last success: signing in and out often never locks anyone out. */
describe('login rate limits and successful sign-ins', () => {
  let running: RunningApp;
  let world: World;
  beforeAll(async () => {
    running = await startApp('login_success');
    world = await buildWorld(running.app, running.baseUrl);
  });
  afterAll(() => running?.close());

  it('lets a person sign in correctly more often than the limit, and still stops a guesser', async () => {
    const signIn = (password: string) =>
      call(running.baseUrl, 'POST', '/api/auth/login', { body: { email: world.workerA.email, password } });
    for (let i = 0; i <= LOGIN_LIMITS.perAccount.limit; i++) expect((await signIn(PASSWORD)).status).toBe(200);
    // The page too: a browser signing in resets the same count.
    const page = await signInWithForm(running.baseUrl, new CookieJar(), world.workerA.email, PASSWORD);
    expect(page.status).toBe(303);
    for (let i = 0; i < LOGIN_LIMITS.perAccount.limit; i++) expect((await signIn('wrong password')).status).toBe(401);
    expect((await signIn(PASSWORD)).status).toBe(429);
  });
});

/** Behind a reverse proxy on the same host, each client is counted by the address the proxy forwards. */
describe('login rate limits behind a trusted proxy (PRAXIS_TRUST_PROXY=loopback)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp('login_proxy', { PRAXIS_TRUST_PROXY: 'loopback' });
  });
  afterAll(() => running?.close());

  let n = 0;
  const attempt = (client: string) =>
    call(running.baseUrl, 'POST', '/api/auth/login', {
      body: { email: `someone${n++}@example.org`, password: 'wrong password' },
      headers: { 'X-Forwarded-For': client },
    });

  it('limits one client without locking out the next one', async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAddress.limit; i++) expect((await attempt('198.51.100.1')).status).toBe(401);
    expect((await attempt('198.51.100.1')).status).toBe(429);
    expect((await attempt('198.51.100.2')).status).toBe(401);
  });
});
