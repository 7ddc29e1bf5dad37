import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { startApp, RunningApp } from './support/running-app';
import { CookieJar, csrfOf, getPage, signInWithForm } from './support/browser-less';
import { buildWorld, call, PASSWORD, World } from './support/identity';

const FORBIDDEN = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
const RUNS_PER_ROUTE = 400;

const reflection = {
  occurredOn: '2026-01-05',
  whatHappened: 'Met the residents’ panel',
  ladderRung: 'co_design',
  resourcePressure: 'stretched',
  advocacy: { argument: 'ethical', reception: 'receptive' },
  tags: ['panel'],
};

/** `{"a":{"a":…}}` nested `depth` levels deep, as raw JSON. */
const nested = (depth: number, open = '{"a":', close = '}') => `${open.repeat(depth)}1${close.repeat(depth)}`;

/** A key that reaches Object.prototype, spliced into an otherwise plausible body at the top or one level down. */
const withForbiddenKey = (base: Record<string, unknown>) =>
  fc
    .record({ key: fc.constantFrom(...FORBIDDEN), value: fc.jsonValue({ maxDepth: 2 }), nested: fc.boolean() })
    .map(({ key, value, nested: inner }) => {
      const entry = `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`;
      const body = JSON.stringify(inner ? { ...base, advocacy: {} } : base);
      return inner
        ? body.replace('"advocacy":{', () => `"advocacy":{${entry}`)
        : body.replace(/^\{/, () => `{${entry},`);
    });

/** A plausible body with one field swapped for any JSON at all (a list where an object belongs, a number for a date…). */
const withWrongField = (base: Record<string, unknown>) =>
  fc
    .record({ field: fc.constantFrom(...Object.keys(base)), value: fc.jsonValue({ maxDepth: 3 }) })
    .map(({ field, value }) => JSON.stringify({ ...base, [field]: value }));

/** Bodies of every hostile shape: any JSON, type confusion, prototype keys, nesting past the limit, broken JSON. */
const hostile = (base: Record<string, unknown>) =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
    withWrongField(base),
    withForbiddenKey(base),
    fc.integer({ min: 17, max: 3000 }).map((d) => nested(d, '[', ']')),
    fc.integer({ min: 17, max: 3000 }).map((d) => nested(d)),
    fc.string({ maxLength: 60 }),
  );

describe('hostile input, fuzzed over HTTP: never a 5xx, nothing stored for a refused request', () => {
  let running: RunningApp;
  let world: World;
  let ds: DataSource;
  let reflectionId: string;
  const lastPosition = async (): Promise<string> =>
    (await ds.query('SELECT coalesce(max(global_position), 0)::text AS p FROM events'))[0].p;

  beforeAll(async () => {
    running = await startApp('hostile_input');
    world = await buildWorld(running.app, running.baseUrl, 'hostile');
    ds = running.app.get(DataSource);
    const res = await call(running.baseUrl, 'POST', '/api/reflections', {
      token: world.workerA.token,
      body: reflection,
    });
    reflectionId = res.body.id;
  });
  afterAll(() => running?.close());

  const routes = (): [string, string, string, () => string, Record<string, unknown>][] => [
    ['POST', '/api/reflections', 'worker', () => world.workerA.token, reflection],
    [
      'PATCH',
      `/api/reflections/:id`,
      'worker',
      () => world.workerA.token,
      { soWhat: 'changed', advocacy: { argument: 'less_risk' } },
    ],
    ['PUT', '/api/me/research-consent', 'worker', () => world.workerA.token, { granted: true }],
    ['POST', '/api/organisations', 'admin', () => world.admin.token, { name: 'Fuzzed organisation' }],
    [
      'POST',
      '/api/organisations/:orgId/members',
      'admin',
      () => world.admin.token,
      { email: 'new.member@example.org', role: 'worker' },
    ],
    [
      'POST',
      '/api/research/exports',
      'researcher',
      () => world.researcher.token,
      { from: '2025-01-01', to: '2025-03-31' },
    ],
  ];

  it.each(routes())(
    `%s %s as the %s: ${RUNS_PER_ROUTE} hostile bodies`,
    async (method, template, _role, token, base) => {
      const path = template.replace(':id', () => reflectionId).replace(':orgId', () => world.orgA);
      await fc.assert(
        fc.asyncProperty(hostile(base), async (raw) => {
          const before = await lastPosition();
          const res = await call(running.baseUrl, method, path, { token: token(), raw, headers: { 'if-match': '1' } });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body).toMatchObject({ statusCode: res.status, message: expect.anything() });
            expect(await lastPosition()).toBe(before);
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    },
  );

  it(`POST /journal/new (the web form, signed in, with its CSRF token): ${RUNS_PER_ROUTE} hostile forms`, async () => {
    const jar = new CookieJar();
    const signedIn = await signInWithForm(running.baseUrl, jar, world.workerA.email, PASSWORD);
    expect(signedIn.status).toBe(303);
    const csrf = csrfOf((await getPage(running.baseUrl, '/journal/new', jar)).html);
    const names = [
      'occurredOn',
      'whatHappened',
      'soWhat',
      'nowWhat',
      'ladderRung',
      'aspiredRung',
      'resourcePressure',
      'pressureSources',
      'challenges',
      'principles',
      'stage',
      'embedding',
      'advocacy',
      'advocacyArgument',
      'advocacyReception',
      'livedExperienceInvolved',
      'tags',
      'submissionId',
    ];
    const field = fc.tuple(
      fc.oneof(fc.constantFrom(...names), fc.constantFrom(...FORBIDDEN), fc.string({ maxLength: 20 })),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(field, { maxLength: 25 }), async (fields) => {
        const before = await lastPosition();
        const form = new URLSearchParams([['_csrf', csrf], ...fields]);
        const res = await fetch(`${running.baseUrl}/journal/new`, {
          method: 'POST',
          headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          redirect: 'manual',
        });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(await lastPosition()).toBe(before);
        if (fields.some(([name]) => FORBIDDEN.includes(name))) expect(res.status).toBe(400);
      }),
      { numRuns: RUNS_PER_ROUTE },
    );
  });

  it('refuses every prototype key with 400, on any route, in the body or the query', async () => {
    await fc.assert(
      fc.asyncProperty(withForbiddenKey(reflection), async (raw) => {
        const before = await lastPosition();
        const res = await call(running.baseUrl, 'POST', '/api/reflections', { token: world.workerA.token, raw });
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/is not allowed/);
        expect(await lastPosition()).toBe(before);
      }),
      { numRuns: 200 },
    );
    for (const key of FORBIDDEN) {
      const res = await call(running.baseUrl, 'GET', `/api/reflections?${key}=1`, { token: world.workerA.token });
      expect(res.status).toBe(400);
    }
  });

  it.each([
    ['POST', '/api/reflections'],
    ['POST', '/api/auth/login'],
    ['POST', '/journal/new'],
    ['POST', '/api/nothing-here'],
  ])('%s %s with JSON nested 20 000 deep → 400 naming the limit', async (method, path) => {
    // Lists 20 000 deep, objects 12 000 deep: both under the 100 kB body limit, so the depth is what refuses them.
    for (const raw of [nested(20_000, '[', ']'), nested(12_000)]) {
      const res = await call(running.baseUrl, method, path, { token: world.workerA.token, raw });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/nests deeper than 16 levels/);
    }
  });

  it('refuses an advocacy that is not an object with 400 naming the field', async () => {
    for (const advocacy of ['ethical', ['ethical'], 42, true]) {
      const res = await call(running.baseUrl, 'POST', '/api/reflections', {
        token: world.workerA.token,
        body: { ...reflection, advocacy },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('advocacy must be an object with argument and reception');
    }
  });

  it('lets a body at the depth limit through to validation, and still takes an ordinary reflection', async () => {
    const atLimit = await call(running.baseUrl, 'POST', '/api/reflections', {
      token: world.workerA.token,
      raw: nested(16),
    });
    expect(atLimit.status).toBe(400);
    expect(JSON.stringify(atLimit.body.message)).not.toMatch(/nests deeper/);
    const res = await call(running.baseUrl, 'POST', '/api/reflections', {
      token: world.workerA.token,
      body: { ...reflection, occurredOn: '2026-01-06', tags: ['limit'] },
    });
    expect(res.status).toBe(201);
  });
});
