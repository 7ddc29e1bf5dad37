import { Database } from '@praxis/common';
import { DataSource } from 'typeorm';
import { startApp, RunningApp } from './support/running-app';
import { CookieJar, csrfOf, getPage, postForm, signInWithForm } from './support/browser-less';
import { buildWorld, call, identityCounts, PASSWORD, World } from './support/identity';

/** Sign-in, CSRF, cookies and headers of the web pages, over HTTP without a browser. */
describe('web pages: sign-in, CSRF and cookies', () => {
  let running: RunningApp;
  let world: World;
  let db: DataSource;
  beforeAll(async () => {
    running = await startApp('pages');
    world = await buildWorld(running.app, running.baseUrl);
    db = running.app.get(Database).dataSource;
  });
  afterAll(() => running?.close());

  const signIn = (jar: CookieJar, email = world.workerA.email, password = PASSWORD) =>
    signInWithForm(running.baseUrl, jar, email, password);

  it('serves the sign-in page with a labelled form, security headers and an HttpOnly SameSite=Lax CSRF cookie', async () => {
    const jar = new CookieJar();
    const page = await getPage(running.baseUrl, '/login', jar);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label for="email">');
    expect(page.html).toContain('<label for="password">');
    expect(page.html).toContain('href="/assets/praxis.css"');
    expect(jar.lastSetCookie.find((c) => c.startsWith('praxis_csrf='))).toMatch(/HttpOnly/);
    expect(jar.lastSetCookie.find((c) => c.startsWith('praxis_csrf='))).toMatch(/SameSite=Lax/);
    expect(jar.lastSetCookie.find((c) => c.startsWith('praxis_csrf='))).not.toMatch(/Secure/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-powered-by')).toBeNull();
  });

  it('marks cookies Secure when the request came over HTTPS', async () => {
    const jar = new CookieJar();
    await getPage(running.baseUrl, '/login', jar, { 'x-forwarded-proto': 'https' });
    expect(jar.lastSetCookie.find((c) => c.startsWith('praxis_csrf='))).toMatch(/Secure/);
  });

  it('serves its stylesheet from the app', async () => {
    const res = await fetch(`${running.baseUrl}/assets/praxis.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/css/);
  });

  it('answers a browser at an address with no page, or one hidden from its role, with the same page saying so', async () => {
    const jar = new CookieJar();
    await signIn(jar);
    const html = { accept: 'text/html,application/xhtml+xml' };
    const nowhere = await getPage(running.baseUrl, '/organisation', jar, html);
    const hidden = await getPage(running.baseUrl, '/research', jar, html);
    for (const page of [nowhere, hidden]) {
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.html).toContain('<h1>Page not found</h1>');
      expect(page.html).toContain('There is no page at this address. Check the link, or go to the start page.');
      expect(page.html).not.toMatch(/Cannot GET|statusCode/);
    }
    // Byte for byte: nothing on the page (not the signed-in header either) tells the hidden page from no page.
    expect(hidden.html).toBe(nowhere.html);
    // The API, and a client that does not ask for HTML, still get JSON — the same for a hidden page as for none.
    const json: Record<string, unknown>[] = [];
    for (const [path, headers] of [
      ['/api/nowhere', html],
      ['/organisation', {}],
      ['/research', {}],
    ] as const) {
      const res = await getPage(running.baseUrl, path, jar, headers);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = JSON.parse(res.html);
      expect(body).toMatchObject({ statusCode: 404, message: `Cannot GET ${path}` });
      json.push({ ...body, message: undefined });
    }
    expect(json[2]).toEqual(json[1]);
  });

  it('names a refusal in words a person uses, not HTTP’s ("Bad Request", "Forbidden")', async () => {
    const jar = new CookieJar();
    await signIn(jar);
    const bad = await getPage(running.baseUrl, '/journal?older=garbage', jar);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('<h1>That could not be used</h1>');
    expect(bad.html).not.toContain('Bad Request');
    const expired = await postForm(running.baseUrl, '/me/consent', jar, { _csrf: 'not-the-token', granted: 'yes' });
    expect(expired.status).toBe(403);
    expect(expired.html).toContain('<h1>This form has expired</h1>');
    expect(expired.html).toContain('reload the page and try again');
    expect(expired.html).not.toContain('Forbidden');
  });

  it('says when a saved change changed nothing, and asks again for a date that was cleared, saving nothing', async () => {
    const created = await call(running.baseUrl, 'POST', '/api/reflections', {
      token: world.workerA.token,
      body: {
        occurredOn: '2026-03-03',
        whatHappened: 'Kept as it is.',
        ladderRung: 'engagement',
        resourcePressure: 'stretched',
      },
    });
    const id: string = created.body.id;
    const jar = new CookieJar();
    await signIn(jar);
    const page = await getPage(running.baseUrl, `/journal/${id}`, jar);
    const form = {
      _csrf: csrfOf(page.html),
      version: '1',
      occurredOn: '2026-03-03',
      whatHappened: 'Kept as it is.',
      ladderRung: 'engagement',
      resourcePressure: 'stretched',
    };
    const same = await postForm(running.baseUrl, `/journal/${id}`, jar, form);
    expect(same.status).toBe(303);
    const after = await getPage(running.baseUrl, same.location!, jar);
    expect(after.html).toContain('Nothing was different from the saved reflection, so nothing new was saved.');
    expect(after.html).not.toContain('Your changes are saved');
    const cleared = await postForm(running.baseUrl, `/journal/${id}`, jar, { ...form, occurredOn: '' });
    expect(cleared.status).toBe(400);
    expect(cleared.html).toContain('Enter the date it happened');
    const now = await call(running.baseUrl, 'GET', `/api/reflections/${id}`, { token: world.workerA.token });
    expect(now.body).toMatchObject({ version: 1, occurredOn: '2026-03-03' });
  });

  it('answers a change made from a stale page with 409 and the page again, what was typed kept; a bad one with 400', async () => {
    const created = await call(running.baseUrl, 'POST', '/api/reflections', {
      token: world.workerA.token,
      body: {
        occurredOn: '2026-03-02',
        whatHappened: 'First words.',
        ladderRung: 'engagement',
        resourcePressure: 'stretched',
      },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const jar = new CookieJar();
    await signIn(jar);
    const page = await getPage(running.baseUrl, `/journal/${id}`, jar);
    const form = {
      _csrf: csrfOf(page.html),
      occurredOn: '2026-03-02',
      ladderRung: 'engagement',
      resourcePressure: 'severe',
      whatHappened: 'Typed on a page opened before the other change.',
    };
    // Changed elsewhere meanwhile (version 2): this page's version 1 is stale.
    const other = await call(running.baseUrl, 'PATCH', `/api/reflections/${id}`, {
      token: world.workerA.token,
      body: { whatHappened: 'Changed in another tab.' },
      headers: { 'if-match': '1' },
    });
    expect(other.status).toBe(200);
    const stale = await postForm(running.baseUrl, `/journal/${id}`, jar, { ...form, version: '1' });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('This reflection changed since you opened it');
    expect(stale.html).toContain('Typed on a page opened before the other change.');
    // The refusal shows what the other change saved, so the person can compare before saving theirs over it.
    const box = stale.html.slice(
      stale.html.indexOf('id="conflict"'),
      stale.html.indexOf('</div>', stale.html.indexOf('id="conflict"')),
    );
    expect(box).toMatch(/Changed on \d{1,2} \w+ \d{4}, \d{2}:\d{2} \(version 2\):/);
    expect(box).toContain('<dt>What happened?</dt><dd>Changed in another tab.</dd>');
    expect(box).not.toContain('version 1)');
    expect(box).toContain('What you typed is still in <a href="#change">the form below</a>, not saved.');
    expect(box).toContain('undoing that change wherever the two differ');
    // A bad field on the same stale page: 400, and the page it answers still carries the version it was opened at,
    // so correcting the field and saving again is still refused as stale rather than overwriting the other change.
    const bad = await postForm(running.baseUrl, `/journal/${id}`, jar, { ...form, version: '1', whatHappened: '' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('aria-invalid="true"');
    expect(bad.html).toContain('<input type="hidden" name="version" value="1">');
    const again = await postForm(running.baseUrl, `/journal/${id}`, jar, { ...form, version: '1' });
    expect(again.status).toBe(409);
    // None was saved.
    const now = await call(running.baseUrl, 'GET', `/api/reflections/${id}`, { token: world.workerA.token });
    expect(now.body).toMatchObject({ version: 2, whatHappened: 'Changed in another tab.' });
    // The withdrawal's address opened after a refusal (a reload) leads back to the reflection's page, at the form.
    const reload = await getPage(running.baseUrl, `/journal/${id}/withdraw`, jar);
    expect(reload.status).toBe(303);
    expect(reload.location).toBe(`/journal/${id}#withdraw`);
  });

  it('signs in with a session cookie (HttpOnly, SameSite=Lax) and shows who is signed in', async () => {
    const jar = new CookieJar();
    const res = await signIn(jar);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/');
    const session = jar.lastSetCookie.find((c) => c.startsWith('praxis_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    const home = await getPage(running.baseUrl, '/', jar);
    expect(home.status).toBe(200);
    expect(home.html).toContain(world.workerA.email);
    // The session table holds a hash, never the cookie.
    const rows: { id_hash: Buffer }[] = await db.query(`SELECT id_hash FROM web_sessions`);
    expect(rows.some((r) => r.id_hash.toString('base64url') === jar.get('praxis_session'))).toBe(false);
  });

  it('refuses a form post without a CSRF token, or with a token for another browser, and signs no one in', async () => {
    const before = await identityCounts(db);
    const jar = new CookieJar();
    await getPage(running.baseUrl, '/login', jar);
    const none = await postForm(running.baseUrl, '/login', jar, { email: world.workerA.email, password: PASSWORD });
    expect(none.status).toBe(403);
    expect(none.html).toContain('This form has expired');
    const other = new CookieJar();
    const otherForm = await getPage(running.baseUrl, '/login', other);
    const foreign = await postForm(running.baseUrl, '/login', jar, {
      _csrf: csrfOf(otherForm.html),
      email: world.workerA.email,
      password: PASSWORD,
    });
    expect(foreign.status).toBe(403);
    const noCookie = await postForm(running.baseUrl, '/login', new CookieJar(), {
      _csrf: csrfOf(otherForm.html),
      email: world.workerA.email,
      password: PASSWORD,
    });
    expect(noCookie.status).toBe(403);
    expect(jar.get('praxis_session')).toBeUndefined();
    expect(await identityCounts(db)).toEqual(before);
  });

  it('a token from before sign-in does not work after it (tokens are bound to the session)', async () => {
    const jar = new CookieJar();
    const form = await getPage(running.baseUrl, '/login', jar);
    const oldToken = csrfOf(form.html);
    await postForm(running.baseUrl, '/login', jar, { _csrf: oldToken, email: world.workerA.email, password: PASSWORD });
    const res = await postForm(running.baseUrl, '/logout', jar, { _csrf: oldToken });
    expect(res.status).toBe(403);
    expect((await getPage(running.baseUrl, '/', jar)).status).toBe(200);
  });

  it('shows the same error for a wrong password and an unknown email, beside the form, escaped', async () => {
    const wrong = await signIn(new CookieJar(), world.workerA.email, 'wrong password, long enough');
    const unknown = await signIn(
      new CookieJar(),
      '<script>alert(1)</script>@example.org',
      'wrong password, long enough',
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.html).toContain('Email or password is incorrect');
    expect(unknown.html).toContain('Email or password is incorrect');
    expect(unknown.html).not.toContain('<script>alert(1)</script>');
    expect(unknown.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@example.org');
  });

  it('asks for missing fields beside each field', async () => {
    const res = await signIn(new CookieJar(), '', '');
    expect(res.status).toBe(400);
    expect(res.html).toContain('id="email-error"');
    expect(res.html).toContain('id="password-error"');
    expect(res.html).toContain('aria-invalid="true"');
  });

  it('signs out with the form: the session ends on the server, not only in the browser', async () => {
    const jar = new CookieJar();
    await signIn(jar);
    const stolen = jar.get('praxis_session')!;
    const home = await getPage(running.baseUrl, '/', jar);
    const out = await postForm(running.baseUrl, '/logout', jar, { _csrf: csrfOf(home.html) });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/login?signedOut=1');
    expect(jar.get('praxis_session')).toBeUndefined();
    expect((await getPage(running.baseUrl, '/', jar)).location).toBe('/login');
    const replay = new CookieJar();
    replay.set('praxis_session', stolen);
    expect((await getPage(running.baseUrl, '/', replay)).status).toBe(303);
  });

  it('sends a signed-out visitor from any page to /login, and a signed-in one from /login to the start page', async () => {
    expect((await getPage(running.baseUrl, '/', new CookieJar())).location).toBe('/login');
    expect((await getPage(running.baseUrl, '/logout', new CookieJar())).location).toBe('/login');
    const jar = new CookieJar();
    await signIn(jar);
    expect((await getPage(running.baseUrl, '/login', jar)).location).toBe('/');
    expect((await getPage(running.baseUrl, '/logout', jar)).status).toBe(200);
  });
});
