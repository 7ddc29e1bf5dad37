import { JwtService } from '@nestjs/jwt';
import { Database } from '@praxis/common';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@praxis/identity';
import { DataSource } from 'typeorm';
import { startApp, RunningApp } from './support/running-app';
import { buildWorld, call, identityCounts, PASSWORD, World } from './support/identity';

/** Bad input is 400 naming the field, bad tokens are 401, and a rejected request writes nothing. */
describe('identity routes refuse bad input and bad tokens', () => {
  let running: RunningApp;
  let world: World;
  let db: DataSource;
  let before: Record<string, number>;
  beforeAll(async () => {
    running = await startApp('identity_input');
    world = await buildWorld(running.app, running.baseUrl);
    db = running.app.get(Database).dataSource;
    before = await identityCounts(db);
  });
  afterAll(() => running?.close());

  const post = (path: string, body: unknown, token = world.admin.token) =>
    call(running.baseUrl, 'POST', path, { token, body });
  const members = () => `/api/organisations/${world.orgA}/members`;
  const messages = (body: { message: string | string[] }) => [body.message].flat().join(' | ');

  describe('400 with the offending field named', () => {
    it('malformed JSON', async () => {
      const res = await call(running.baseUrl, 'POST', '/api/organisations', {
        token: world.admin.token,
        raw: '{"name": "x",',
      });
      expect(res.status).toBe(400);
      // Nest turns body-parser's SyntaxError into a BadRequestException carrying the parser's message.
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/JSON/) });
    });

    it.each([
      ['wrong type', '/api/organisations', { name: 42 }, /name must be a string/],
      ['empty name', '/api/organisations', { name: '   ' }, /name must be longer than or equal to 1/],
      ['unknown field', '/api/organisations', { name: 'Org', owner: 'me' }, /property owner should not exist/],
      ['missing body fields', '/api/researchers', {}, /^email must be an email address$/],
      ['a body that is not an object', '/api/researchers', ['a'], /email/],
    ])('%s', async (_, path, body, pattern) => {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect(messages(res.body)).toMatch(pattern);
    });

    it.each([
      ['an email that is not one', { email: 'not-an-email', role: 'worker' }, /^email must be an email address$/],
      [
        'a password (nobody chooses another person’s)',
        { email: 'pw@example.org', password: PASSWORD, role: 'worker' },
        /^password must not be sent: the person you invite chooses their own/,
      ],
      ['an empty password', { email: 'pw2@example.org', password: '', role: 'worker' }, /^password must not be sent/],
      [
        'a role that does not exist',
        { email: 'role@example.org', role: 'boss' },
        /^role must be one of the following values: worker, leader$/,
      ],
      ['a role members cannot have', { email: 'role2@example.org', role: 'admin' }, /^role must be one of/],
      [
        'a team that is not an id',
        { email: 'team@example.org', role: 'worker', team: 'Housing' },
        /^team must be the id of a team/,
      ],
      [
        'an unknown field',
        { email: 'x@example.org', role: 'worker', isAdmin: true },
        /^property isAdmin should not exist$/,
      ],
    ])('member with %s', async (_, body, pattern) => {
      const res = await post(members(), body);
      expect(res.status).toBe(400);
      expect(messages(res.body)).toMatch(pattern);
    });

    it('member in a team of another organisation (or no team at all): 400 naming team, and the same answer for both', async () => {
      const other = await post(members(), { email: 'cross@example.org', role: 'worker', team: world.teamB1 });
      expect(other.status).toBe(400);
      expect(other.body).toMatchObject({
        message: 'team must be a team of this organisation',
        code: 'MEMBER.TEAM_NOT_IN_ORGANISATION',
      });
      const unknown = await post(members(), {
        email: 'cross@example.org',
        role: 'worker',
        team: '5f0c8a4e-0000-4000-8000-00000000beef',
      });
      expect(unknown.body).toEqual(other.body);
    });

    it('researcher with a bad email, or with a password', async () => {
      expect((await post('/api/researchers', { email: 'r@' })).status).toBe(400);
      const chosen = await post('/api/researchers', { email: 'r@example.org', password: PASSWORD });
      expect(chosen.status).toBe(400);
      expect(messages(chosen.body)).toMatch(/password must not be sent/);
    });

    it('login with an email that is not one, or without a password', async () => {
      const a = await post('/api/auth/login', { email: 'nobody', password: PASSWORD }, undefined as unknown as string);
      expect(a.status).toBe(400);
      expect(messages(a.body)).toMatch(/email/);
      const b = await post('/api/auth/login', { email: world.workerA.email }, undefined as unknown as string);
      expect(b.status).toBe(400);
      expect(messages(b.body)).toMatch(/password/);
    });
  });

  describe('409 when the email exists, whatever its case', () => {
    it('for a member', async () => {
      const res = await post(members(), { email: world.workerA.email.toUpperCase(), role: 'worker' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'ACCOUNT.EMAIL_TAKEN' });
    });

    it('for a researcher', async () => {
      const res = await post('/api/researchers', {
        email: ` ${world.leaderB.email}`.trim().replace('leader', 'LEADER'),
      });
      expect(res.status).toBe(409);
    });
  });

  describe('401 for bad credentials and bad tokens', () => {
    const anonymous = (path: string, body: unknown) => call(running.baseUrl, 'POST', path, { body });

    it('an unknown email and a wrong password get the same answer', async () => {
      const unknown = await anonymous('/api/auth/login', { email: 'nobody@example.org', password: PASSWORD });
      const wrong = await anonymous('/api/auth/login', {
        email: world.workerB.email,
        password: 'not the password at all',
      });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(unknown.body).toMatchObject({
        code: 'AUTH.INVALID_CREDENTIALS',
        message: 'Email or password is incorrect',
      });
    });

    it('an unknown email takes about as long as a wrong password (both verify one Argon2 hash)', async () => {
      const time = async (email: string) => {
        const started = process.hrtime.bigint();
        await anonymous('/api/auth/login', { email, password: 'wrong password here' });
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const unknown: number[] = [];
      const wrong: number[] = [];
      for (let i = 0; i < 4; i++) {
        unknown.push(await time(`nobody${i}@example.org`));
        wrong.push(await time(world.researcher.email));
      }
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      // Without the dummy hash an unknown email answers in ~2 ms against ~30-80 ms; the machine is noisy, so the bound is loose.
      expect(median(unknown) / median(wrong)).toBeGreaterThan(0.33);
      expect(median(unknown) / median(wrong)).toBeLessThan(3);
    });

    it('the email is matched without regard to case', async () => {
      const res = await anonymous('/api/auth/login', { email: world.workerA.email.toUpperCase(), password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body.user).toEqual({
        id: world.workerA.id,
        email: world.workerA.email,
        role: 'worker',
        organisationId: world.orgA,
      });
    });

    const signer = () => new JwtService({ secret: running.config.tokenSecret });
    const claims = () => ({ sub: world.admin.id, role: 'admin', typ: 'access', ver: 0 });
    const opts = { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithm: 'HS256' as const };

    it.each([
      ['missing', () => undefined],
      [
        'tampered (a changed signature)',
        () => world.admin.token.slice(0, -4) + (world.admin.token.endsWith('AAAA') ? 'BBBB' : 'AAAA'),
      ],
      [
        'tampered (another role in the claims, same signature)',
        () => {
          const [h, , s] = world.workerA.token.split('.');
          const forged = Buffer.from(
            JSON.stringify({
              ...JSON.parse(Buffer.from(world.workerA.token.split('.')[1], 'base64url').toString()),
              sub: world.admin.id,
            }),
          ).toString('base64url');
          return `${h}.${forged}.${s}`;
        },
      ],
      [
        'expired',
        () => signer().sign({ ...claims(), iat: Math.floor(Date.now() / 1000) - 3600 }, { ...opts, expiresIn: 900 }),
      ],
      [
        'signed with another secret',
        () => new JwtService({ secret: 'x'.repeat(40) }).sign(claims(), { ...opts, expiresIn: 900 }),
      ],
      ['for another audience', () => signer().sign(claims(), { ...opts, audience: 'elsewhere', expiresIn: 900 })],
      ['not an access token', () => signer().sign({ ...claims(), typ: 'refresh' }, { ...opts, expiresIn: 900 })],
      [
        'unsigned (alg none)',
        () =>
          `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.` +
          `${Buffer.from(JSON.stringify({ ...claims(), exp: 9e9 })).toString('base64url')}.`,
      ],
      [
        'for an account that does not exist',
        () => signer().sign({ ...claims(), sub: '5f0c8a4e-0000-4000-8000-000000000000' }, { ...opts, expiresIn: 900 }),
      ],
      [
        'of a token version the account has moved past (signed out, new password)',
        () => signer().sign({ ...claims(), ver: 7 }, { ...opts, expiresIn: 900 }),
      ],
      [
        'without a token version',
        () => signer().sign({ sub: world.admin.id, role: 'admin', typ: 'access' }, { ...opts, expiresIn: 900 }),
      ],
      ['garbage', () => 'not-a-token'],
    ])('%s token → 401', async (_, token) => {
      const res = await call(running.baseUrl, 'POST', '/api/organisations', {
        token: token(),
        body: { name: 'Never created' },
      });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });

    it('a token made the same way but valid is accepted (the cases above fail for their reason alone)', async () => {
      const token = signer().sign(claims(), { ...opts, expiresIn: 900 });
      expect((await call(running.baseUrl, 'GET', '/api/me', { token })).status).toBe(200);
    });

    it('a session cookie does not authenticate the API', async () => {
      const res = await call(running.baseUrl, 'GET', '/api/me', { headers: { cookie: 'praxis_session=anything' } });
      expect(res.status).toBe(401);
    });
  });

  it('nothing was created by any rejected request', async () => {
    expect(await identityCounts(db)).toEqual(before);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM organisations WHERE name = 'Never created'`);
    expect(n).toBe(0);
  });
});
