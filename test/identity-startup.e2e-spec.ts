import { CommandBus } from '@nestjs/cqrs';
import { Clock, ConfigError } from '@praxis/common';
import { DEMO_PASSWORD, DemoSeeder, IdentityQueries } from '@praxis/identity';
import { JournalDemo } from '@praxis/journal';
import { ExportWorker } from '@praxis/research';
import { IdentityStartup } from '../apps/api/src/identity/identity-startup';
import { startApp, RunningApp } from './support/running-app';
import { call, login } from './support/identity';

const ADMIN = { PRAXIS_ADMIN_EMAIL: 'root@example.org', PRAXIS_ADMIN_PASSWORD: 'a long admin password' };

/** The system's time, moved on at will: an export waits for its quarters to close. */
class ShiftClock extends Clock {
  offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
}

describe('start-up: the first admin from configuration, and the demo organisation', () => {
  let running: RunningApp;
  const clock = new ShiftClock();
  beforeAll(async () => {
    // Four weeks of demo reflections, not two years: this suite is about the accounts.
    running = await startApp('identity_startup', { PRAXIS_DEMO: 'on', PRAXIS_DEMO_WEEKS: '4', ...ADMIN }, clock);
  });
  afterAll(() => running?.close());

  const startup = (overrides = {}) =>
    new IdentityStartup(
      running.config.with(overrides),
      running.app.get(CommandBus),
      running.app.get(IdentityQueries),
      running.app.get(DemoSeeder),
      running.app.get(JournalDemo),
    );

  it('creates the configured admin', async () => {
    const token = await login(running.baseUrl, ADMIN.PRAXIS_ADMIN_EMAIL, ADMIN.PRAXIS_ADMIN_PASSWORD);
    expect((await call(running.baseUrl, 'GET', '/api/me', { token })).body).toMatchObject({
      role: 'admin',
      organisationId: null,
    });
  });

  it('seeds a demo organisation with two teams, a leader, twelve workers and a researcher, who can all sign in', async () => {
    const leader = await login(running.baseUrl, 'leader@riverside.example', DEMO_PASSWORD);
    const me = (await call(running.baseUrl, 'GET', '/api/me', { token: leader })).body;
    const teams = (
      await call(running.baseUrl, 'GET', `/api/organisations/${me.organisationId}/teams`, { token: leader })
    ).body;
    const members = (
      await call(running.baseUrl, 'GET', `/api/organisations/${me.organisationId}/members`, { token: leader })
    ).body;
    expect(teams.map((t: { name: string }) => t.name)).toEqual(['Housing support', 'Peer recovery']);
    const workers = members.filter((m: { role: string }) => m.role === 'worker');
    expect(workers).toHaveLength(12);
    for (const team of teams)
      expect(workers.filter((w: { team: string }) => w.team === team.id).length).toBeGreaterThanOrEqual(5);
    await login(running.baseUrl, 'worker01@riverside.example', DEMO_PASSWORD);
    await login(running.baseUrl, 'researcher@praxis.example', DEMO_PASSWORD);
  });

  it('gives the researcher an export that holds records: enough consenting workers a team to clear k', async () => {
    let researcher = await login(running.baseUrl, 'researcher@praxis.example', DEMO_PASSWORD);
    // The whole quarters holding the demo's four weeks (up to today).
    const quarterStart = (d: Date) =>
      new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % 3), 1));
    const today = running.app.get(Clock).now();
    const from = quarterStart(new Date(today.getTime() - 35 * 86_400_000));
    const start = quarterStart(today);
    const to = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 3, 0));
    const range = { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
    // Refused while the last quarter is open; asked again once its days of grace (14) have passed after the end of its
    // last week, which can run up to three days past the quarter's last day (2026-Q4's ends on 3 January 2027).
    const early = await call(running.baseUrl, 'POST', '/api/research/exports', { token: researcher, body: range });
    expect(early.status).toBe(400);
    clock.offset = to.getTime() + (3 + 15) * 86_400_000 - Date.now();
    try {
      // Signed in again: the first token has run out by then.
      researcher = await login(running.baseUrl, 'researcher@praxis.example', DEMO_PASSWORD);
      const created = await call(running.baseUrl, 'POST', '/api/research/exports', { token: researcher, body: range });
      expect(created.status).toBe(202);
      await running.app.get(ExportWorker).drain();
      const built = await call(running.baseUrl, 'GET', `/api/research/exports/${created.body.id}`, {
        token: researcher,
      });
      expect(built.body).toMatchObject({ status: 'ready' });
      expect(built.body.report.records).toBeGreaterThan(0);
    } finally {
      clock.offset = 0;
    }
  });

  it('does it once: starting again on the same database changes nothing', async () => {
    const queries = running.app.get(IdentityQueries);
    const before = await queries.organisations();
    await startup().onApplicationBootstrap();
    expect(await queries.organisations()).toEqual(before);
    // The admin's password is not reset by a restart with another one.
    await startup({ adminPassword: 'another long password' }).onApplicationBootstrap();
    await login(running.baseUrl, ADMIN.PRAXIS_ADMIN_EMAIL, ADMIN.PRAXIS_ADMIN_PASSWORD);
  });

  it('a second process that found the database empty a moment before the first seeded it starts quietly, adding nothing', async () => {
    const queries = running.app.get(IdentityQueries);
    const before = await queries.organisations();
    // What it read before the other process's seed committed: no organisations yet.
    const late = Object.create(queries) as IdentityQueries;
    late.organisationCount = async () => 0;
    const racing = new IdentityStartup(
      running.config,
      running.app.get(CommandBus),
      late,
      running.app.get(DemoSeeder),
      running.app.get(JournalDemo),
    );
    await expect(racing.onApplicationBootstrap()).resolves.toBeUndefined();
    expect(await queries.organisations()).toEqual(before);
  });

  it('refuses to start with an admin password that is too short, or half the admin settings', async () => {
    await expect(
      startup({ adminEmail: 'new@example.org', adminPassword: 'short' }).onApplicationBootstrap(),
    ).rejects.toThrow(ConfigError);
    await expect(
      startup({ adminEmail: 'new@example.org', adminPassword: 'short' }).onApplicationBootstrap(),
    ).rejects.toThrow(/PRAXIS_ADMIN_EMAIL\/PASSWORD: password must be at least 12/);
    await expect(
      startup({ adminEmail: 'new@example.org', adminPassword: undefined }).onApplicationBootstrap(),
    ).rejects.toThrow(/must be set together/);
  });

  it('never seeds in production, even on an empty database', async () => {
    const seeded = jest.spyOn(running.app.get(DemoSeeder), 'seed');
    const queries = running.app.get(IdentityQueries);
    jest.spyOn(queries, 'organisationCount').mockResolvedValueOnce(0);
    await startup({ production: true, adminEmail: undefined, adminPassword: undefined }).onApplicationBootstrap();
    expect(seeded).not.toHaveBeenCalled();
  });
});
