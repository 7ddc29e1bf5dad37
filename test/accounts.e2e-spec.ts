import { DataSource } from 'typeorm';
import { Clock, Database } from '@praxis/common';
import { MAIL_ATTEMPTS, MailSender, RequestPasswordResetHandler } from '@praxis/identity';
import { buildWorld, call, identityCounts, login, PASSWORD, World } from './support/identity';
import { linkIn, MailCatcher, startMailCatcher } from './support/mail-catcher';
import { RunningApp, startApp } from './support/running-app';
import { LOGIN_LIMITS } from '../apps/api/src/auth/login-throttle';

/** Real time, moved forward on demand: links expire and retries come due without waiting. */
class ShiftClock extends Clock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

const PUBLIC_URL = 'https://praxis.example.org';
const NEW_PASSWORD = 'a password only I know 42';

/**
 * Nobody but the person ever knows their password: admins invite, the person
 * sets it from a mailed one-time link, and changing, resetting or signing out
 * revokes every token issued before. Mail goes through a real SMTP server.
 */
describe('accounts belong to their owners', () => {
  let mail: MailCatcher;
  let running: RunningApp;
  let world: World;
  let db: DataSource;
  const clock = new ShiftClock();
  beforeAll(async () => {
    mail = await startMailCatcher();
    running = await startApp(
      'accounts',
      { PRAXIS_SMTP_URL: mail.url, PRAXIS_PUBLIC_URL: PUBLIC_URL, PRAXIS_MAIL_FROM: 'Praxis <praxis@example.org>' },
      clock,
    );
    world = await buildWorld(running.app, running.baseUrl, 'acc');
    db = running.app.get(Database).dataSource;
  });
  afterAll(async () => {
    await running?.close();
    await mail?.close();
  });

  const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    call(running.baseUrl, method, path, options);
  const invite = (email: string, token = world.admin.token, extra: Record<string, unknown> = {}) =>
    api('POST', `/api/organisations/${world.orgA}/members`, {
      token,
      body: { email, role: 'worker', team: world.teamA1, ...extra },
    });
  const tokenOf = (link: string) => link.split('/').pop()!;
  const messages = (body: { message: string | string[] }) => [body.message].flat().join(' | ');

  /** Invites, reads the mail, accepts with the person's own password; returns their bearer token. */
  async function invited(email: string): Promise<{ id: string; token: string }> {
    const res = await invite(email);
    expect(res.status).toBe(201);
    const link = linkIn(await mail.next(email, /invited/), `${PUBLIC_URL}/invitations/`);
    const accepted = await api('POST', '/api/auth/invitations/accept', {
      body: { token: tokenOf(link), password: NEW_PASSWORD },
    });
    expect(accepted.status).toBe(200);
    return { id: res.body.id, token: accepted.body.accessToken };
  }

  it('refuses a password chosen by an admin, and stores nothing', async () => {
    const before = await identityCounts(db);
    const res = await invite('chosen@example.org', world.admin.token, { password: PASSWORD });
    expect(res.status).toBe(400);
    expect(messages(res.body)).toMatch(/password must not be sent: the person you invite chooses their own/);
    expect(await identityCounts(db)).toEqual(before);
    expect(mail.mails.some((m) => m.to === 'chosen@example.org')).toBe(false);
  });

  it('leaders cannot add members: the router’s own 404, not a 403 that says the route exists', async () => {
    const res = await invite('by-leader@example.org', world.leaderA.token);
    const missing = await api('POST', `/api/organisations/${world.orgA}/no-such-route`, {
      token: world.leaderA.token,
      body: {},
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ ...missing.body, message: `Cannot POST /api/organisations/${world.orgA}/members` });
    expect(
      await api('POST', '/api/researchers', { token: world.leaderA.token, body: { email: 'r@example.org' } }),
    ).toMatchObject({ status: 404 });
  });

  it('an invited person cannot sign in; the mail holds a one-time link that works once', async () => {
    const res = await invite('new.worker@example.org');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      email: 'new.worker@example.org',
      role: 'worker',
      organisationId: world.orgA,
      team: world.teamA1,
      status: 'invited',
    });
    expect(
      (await api('POST', '/api/auth/login', { body: { email: 'new.worker@example.org', password: PASSWORD } })).status,
    ).toBe(401);

    const letter = await mail.next('new.worker@example.org');
    expect(letter.from).toContain('praxis@example.org');
    // The mail says who invites and to what, so an invitee can tell it from a phishing mail.
    expect(letter.subject).toBe('You are invited to join Org A on Praxis');
    expect(letter.text).toContain('Org A (team A1) has invited you to Praxis');
    expect(letter.html).toContain('Org A (team A1) has invited you to Praxis');
    const link = linkIn(letter, `${PUBLIC_URL}/invitations/`);
    // At least 128 random bits: 32 bytes in base64url, and only its hash in the database.
    expect(tokenOf(link)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await db.query(`SELECT encode(token_hash, 'hex') AS h FROM account_tokens WHERE account_id = $1`, [
      res.body.id,
    ]);
    expect(JSON.stringify(stored)).not.toContain(tokenOf(link));
    expect(
      JSON.stringify(await db.query(`SELECT * FROM mail_outbox WHERE account_id = $1`, [res.body.id])),
    ).not.toContain(tokenOf(link));

    // The letter reaches the SMTP server before the sender hears its answer and records it: wait for that.
    await running.app.get(MailSender).drain();
    const listed = await api('GET', `/api/organisations/${world.orgA}/members`, { token: world.admin.token });
    expect(listed.body.find((m: { id: string }) => m.id === res.body.id)).toMatchObject({
      status: 'invited',
      invitationMail: 'sent',
    });

    const weak = await api('POST', '/api/auth/invitations/accept', {
      body: { token: tokenOf(link), password: 'too short' },
    });
    expect(weak.status).toBe(400);
    expect(messages(weak.body)).toMatch(/password must be at least 12 characters/);

    const accepted = await api('POST', '/api/auth/invitations/accept', {
      body: { token: tokenOf(link), password: NEW_PASSWORD },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({
      id: res.body.id,
      email: 'new.worker@example.org',
      role: 'worker',
      organisationId: world.orgA,
    });
    expect((await api('GET', '/api/me', { token: accepted.body.accessToken })).status).toBe(200);

    const again = await api('POST', '/api/auth/invitations/accept', {
      body: { token: tokenOf(link), password: 'another password here' },
    });
    expect(again.status).toBe(410);
    expect(again.body.message).toMatch(/expired, was already used, or was replaced/);
    await login(running.baseUrl, 'new.worker@example.org', NEW_PASSWORD);
    expect(
      (
        await api('POST', '/api/auth/login', {
          body: { email: 'new.worker@example.org', password: 'another password here' },
        })
      ).status,
    ).toBe(401);
    const after = await api('GET', `/api/organisations/${world.orgA}/members`, { token: world.admin.token });
    expect(after.body.find((m: { id: string }) => m.id === res.body.id)).toEqual(
      expect.objectContaining({ status: 'active' }),
    );
    expect(after.body.find((m: { id: string }) => m.id === res.body.id).invitationMail).toBeUndefined();
  });

  it('unknown tokens are 410 and change nothing; inviting again kills the old link', async () => {
    const before = await identityCounts(db);
    for (const token of ['x'.repeat(43), 'short', '']) {
      expect(
        (await api('POST', '/api/auth/invitations/accept', { body: { token, password: NEW_PASSWORD } })).status,
      ).toBe(410);
    }
    expect(await identityCounts(db)).toEqual(before);

    const res = await invite('twice@example.org');
    const first = tokenOf(linkIn(await mail.next('twice@example.org'), PUBLIC_URL));
    const resent = await api('POST', `/api/organisations/${world.orgA}/members/${res.body.id}/invitation`, {
      token: world.admin.token,
    });
    expect(resent.status).toBe(202);
    const second = tokenOf(linkIn(await mail.next('twice@example.org'), PUBLIC_URL));
    expect(second).not.toBe(first);
    expect(
      (await api('POST', '/api/auth/invitations/accept', { body: { token: first, password: NEW_PASSWORD } })).status,
    ).toBe(410);
    // Two tabs submit the same link at once: one sets the password, the other finds the link used.
    const both = await Promise.all(
      [1, 2].map((n) =>
        api('POST', '/api/auth/invitations/accept', { body: { token: second, password: `${NEW_PASSWORD} ${n}` } }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 410]);
    // Once accepted there is nothing to send.
    expect(
      (
        await api('POST', `/api/organisations/${world.orgA}/members/${res.body.id}/invitation`, {
          token: world.admin.token,
        })
      ).status,
    ).toBe(409);
  });

  it('a researcher is invited the same way', async () => {
    const res = await api('POST', '/api/researchers', {
      token: world.admin.token,
      body: { email: 'new.researcher@example.org' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      email: 'new.researcher@example.org',
      role: 'researcher',
      status: 'invited',
    });
    const letter = await mail.next('new.researcher@example.org');
    expect(letter.subject).toBe('You are invited to Praxis as a researcher');
    expect(letter.text).toContain("anonymised exports, never anyone's own reflections");
    const link = linkIn(letter, `${PUBLIC_URL}/invitations/`);
    expect(
      (await api('POST', '/api/auth/invitations/accept', { body: { token: tokenOf(link), password: NEW_PASSWORD } }))
        .body.user,
    ).toMatchObject({ role: 'researcher' });
    expect(
      (
        await api('POST', '/api/researchers', {
          token: world.admin.token,
          body: { email: 'x@example.org', password: PASSWORD },
        })
      ).status,
    ).toBe(400);
    // The researchers' route sends again to researchers only: a member's id there is unknown.
    const member = await invite('not.a.researcher@example.org');
    await mail.next('not.a.researcher@example.org');
    expect(
      (await api('POST', `/api/researchers/${member.body.id}/invitation`, { token: world.admin.token })).status,
    ).toBe(404);
    expect((await api('POST', `/api/researchers/${res.body.id}/invitation`, { token: world.admin.token })).status).toBe(
      409,
    );
  });

  it('changing the password revokes every token issued before', async () => {
    const person = await invited('changer@example.org');
    const second = await login(running.baseUrl, 'changer@example.org', NEW_PASSWORD);
    const wrong = await api('PUT', '/api/me/password', {
      token: person.token,
      body: { currentPassword: 'not my password at all', newPassword: 'my next password 2026' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe('currentPassword is not your current password');
    const weak = await api('PUT', '/api/me/password', {
      token: person.token,
      body: { currentPassword: NEW_PASSWORD, newPassword: 'short' },
    });
    expect(weak.status).toBe(400);
    expect(messages(weak.body)).toMatch(/newPassword must be at least 12 characters/);
    expect((await api('GET', '/api/me', { token: second })).status).toBe(200);

    const changed = await api('PUT', '/api/me/password', {
      token: person.token,
      body: { currentPassword: NEW_PASSWORD, newPassword: 'my next password 2026' },
    });
    expect(changed.status).toBe(204);
    expect((await api('GET', '/api/me', { token: person.token })).status).toBe(401);
    expect((await api('GET', '/api/me', { token: second })).status).toBe(401);
    expect(
      (await api('POST', '/api/auth/login', { body: { email: 'changer@example.org', password: NEW_PASSWORD } })).status,
    ).toBe(401);
    await login(running.baseUrl, 'changer@example.org', 'my next password 2026');
  });

  it('signing out revokes the bearer token', async () => {
    const person = await invited('leaver@example.org');
    expect((await api('POST', '/api/auth/logout', { token: person.token })).status).toBe(204);
    expect((await api('GET', '/api/me', { token: person.token })).status).toBe(401);
    expect((await api('GET', '/api/reflections', { token: person.token })).status).toBe(401);
  });

  it('one organisation per name: the same name again, in any case or spacing, is 409 and creates nothing', async () => {
    const create = (name: string) => api('POST', '/api/organisations', { token: world.admin.token, body: { name } });
    const organisations = async () =>
      ((await db.query(`SELECT count(*)::int AS n FROM organisations`)) as { n: number }[])[0].n;
    expect((await create('Harbour Housing')).status).toBe(201);
    const before = await organisations();
    const again = await create(' harbour HOUSING ');
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('There is already an organisation called "harbour HOUSING"');
    expect(await organisations()).toBe(before);
    // Two at the same moment: one is created, the other told.
    const both = await Promise.all([create('Quay Trust'), create('Quay Trust')]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await organisations()).toBe(before + 1);
  });

  it('a reset lifts a lockout: someone who guessed at the account ten times does not keep its owner out', async () => {
    await invited('locked-out@example.org');
    const signIn = (password: string) =>
      api('POST', '/api/auth/login', { body: { email: 'locked-out@example.org', password } });
    for (let i = 0; i < LOGIN_LIMITS.perAccount.limit; i++) expect((await signIn(`a guess ${i}`)).status).toBe(401);
    expect((await signIn(NEW_PASSWORD)).status).toBe(429);
    expect((await api('POST', '/api/auth/password-reset', { body: { email: 'locked-out@example.org' } })).status).toBe(
      202,
    );
    await running.app.get(RequestPasswordResetHandler).settled();
    const token = tokenOf(linkIn(await mail.next('locked-out@example.org', /Reset/), `${PUBLIC_URL}/password-reset/`));
    const body = { token, password: 'my own fresh password' };
    expect((await api('POST', '/api/auth/password-reset/confirm', { body })).status).toBe(204);
    expect((await signIn('my own fresh password')).status).toBe(200);
  });

  it('a reset answers the same for a known and an unknown address, mails only the known one, and revokes old tokens', async () => {
    const person = await invited('forgetful@example.org');
    const known = await api('POST', '/api/auth/password-reset', { body: { email: 'forgetful@example.org' } });
    const unknown = await api('POST', '/api/auth/password-reset', { body: { email: 'nobody-here@example.org' } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect([...unknown.headers.keys()].sort()).toEqual([...known.headers.keys()].sort());
    await running.app.get(RequestPasswordResetHandler).settled();

    const letter = await mail.next('forgetful@example.org', /Reset/);
    const token = tokenOf(linkIn(letter, `${PUBLIC_URL}/password-reset/`));
    expect(mail.mails.some((m) => m.to === 'nobody-here@example.org')).toBe(false);
    expect((await api('POST', '/api/auth/password-reset/confirm', { body: { token, password: 'short' } })).status).toBe(
      400,
    );
    expect(
      (await api('POST', '/api/auth/password-reset/confirm', { body: { token, password: 'a fresh start password' } }))
        .status,
    ).toBe(204);
    expect((await api('GET', '/api/me', { token: person.token })).status).toBe(401);
    expect(
      (await api('POST', '/api/auth/password-reset/confirm', { body: { token, password: 'yet another password' } }))
        .status,
    ).toBe(410);
    await login(running.baseUrl, 'forgetful@example.org', 'a fresh start password');
  });

  it('repeated reset requests for one address are throttled without a word', async () => {
    await invited('eager@example.org');
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push(await api('POST', '/api/auth/password-reset', { body: { email: 'eager@example.org' } }));
    await running.app.get(RequestPasswordResetHandler).settled();
    await running.app.get(MailSender).drain();
    expect(new Set(answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`)).size).toBe(1);
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM account_tokens t JOIN accounts a ON a.id = t.account_id
        WHERE a.email = 'eager@example.org' AND purpose = 'reset'`,
    );
    expect(n).toBe(3);
  });

  it('an erased member is in no list, and leaves no placeholder', async () => {
    const person = await invited('erased.worker@example.org');
    expect((await api('POST', '/api/me/erase', { token: person.token })).status).toBe(202);
    for (const token of [world.admin.token, world.leaderA.token]) {
      const list = await api('GET', `/api/organisations/${world.orgA}/members`, { token });
      expect(list.status).toBe(200);
      expect(list.body.map((m: { id: string }) => m.id)).not.toContain(person.id);
      expect(JSON.stringify(list.body)).not.toMatch(/erased/);
    }
  });

  it('a mail server that is down never fails the invitation; the list shows pending, then failed, and sending again works', async () => {
    mail.refusing = true;
    try {
      const res = await invite('patient@example.org');
      expect(res.status).toBe(201);
      const sender = running.app.get(MailSender);
      await sender.drain();
      const status = async () =>
        (await api('GET', `/api/organisations/${world.orgA}/members`, { token: world.admin.token })).body.find(
          (m: { id: string }) => m.id === res.body.id,
        )?.invitationMail;
      expect(await status()).toBe('pending');
      for (let i = 1; i < MAIL_ATTEMPTS; i++) {
        clock.advance(60 * 60_000);
        await sender.drain();
      }
      world.admin.token = await login(running.baseUrl, world.admin.email, PASSWORD);
      expect(await status()).toBe('failed');
      mail.refusing = false;
      expect(
        (
          await api('POST', `/api/organisations/${world.orgA}/members/${res.body.id}/invitation`, {
            token: world.admin.token,
          })
        ).status,
      ).toBe(202);
      const link = linkIn(await mail.next('patient@example.org'), PUBLIC_URL);
      await sender.drain();
      expect(await status()).toBe('sent');
      expect(
        (await api('POST', '/api/auth/invitations/accept', { body: { token: tokenOf(link), password: NEW_PASSWORD } }))
          .status,
      ).toBe(200);
    } finally {
      mail.refusing = false;
    }
  });

  it('an invitation link expires after seven days', async () => {
    world.admin.token = await login(running.baseUrl, world.admin.email, PASSWORD);
    await invite('late@example.org');
    const token = tokenOf(linkIn(await mail.next('late@example.org'), PUBLIC_URL));
    clock.advance(7 * 86_400_000 + 60_000);
    expect(
      (await api('POST', '/api/auth/invitations/accept', { body: { token, password: NEW_PASSWORD } })).status,
    ).toBe(410);
    expect(
      (await api('POST', '/api/auth/login', { body: { email: 'late@example.org', password: NEW_PASSWORD } })).status,
    ).toBe(401);
  });
});
