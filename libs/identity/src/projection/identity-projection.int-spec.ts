import { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Database } from '@praxis/common';
import { openTestContext, testConfig, TestContext } from '@praxis/testing';
import { EventStore, EventStoreModule, handle } from '@praxis/event-store';
import { AccountStore } from '../accounts/account-store';
import { metadataOf, SYSTEM } from '../commands/actor';
import { AddMemberCommand } from '../commands/add-member/add-member.command';
import { CreateOrganisationCommand } from '../commands/create-organisation/create-organisation.command';
import { CreateTeamCommand } from '../commands/create-team/create-team.command';
import { RegisterAccountCommand } from '../commands/register-account/register-account.command';
import { organisationStream } from '../domain/identity-events';
import { decide, organisationDecider } from '../domain/organisation';
import { IdentityModule } from '../identity.module';
import { IdentityProjection } from './identity-projection';

const PASSWORD = 'twelve chars or more';

describe('identity tables as an inline projection of the identity events', () => {
  const config = testConfig('identity_projection');
  let context: TestContext;
  let ctx: INestApplicationContext;
  let db: Database;
  beforeAll(async () => {
    context = await openTestContext(config, [EventStoreModule, IdentityModule]);
    ctx = context.ctx;
    db = ctx.get(Database);
  });
  afterAll(() => context?.close());

  const snapshot = async () => ({
    organisations: await db.dataSource.query(`SELECT * FROM organisations ORDER BY id`),
    teams: await db.dataSource.query(`SELECT * FROM teams ORDER BY id`),
    memberships: await db.dataSource.query(`SELECT * FROM memberships ORDER BY account_id`),
    accounts: await db.dataSource.query(`SELECT id, role, activated_at FROM accounts ORDER BY id`),
  });

  it('writes every change as an event with its actor, and the tables follow in the same transaction', async () => {
    const org = await ctx.get(CommandBus).execute(new CreateOrganisationCommand('Riverside', { actorId: 'admin-1' }));
    const team = await ctx.get(CommandBus).execute(new CreateTeamCommand(org.id, 'Housing', { actorId: 'admin-1' }));
    const member = await ctx
      .get(CommandBus)
      .execute(
        new AddMemberCommand(
          { organisationId: org.id, email: 'w@example.org', password: PASSWORD, role: 'worker', teamId: team.id },
          { actorId: 'leader-1' },
        ),
      );
    const events = await ctx.get(EventStore).readStream(organisationStream(org.id));
    expect(events.map((e) => [e.type, e.metadata.actorId, e.schemaVersion])).toEqual([
      ['OrganisationCreated', 'admin-1', 1],
      ['TeamCreated', 'admin-1', 1],
      ['MemberJoined', 'leader-1', 1],
    ]);
    expect(JSON.stringify(events)).not.toContain('w@example.org'); // no email in the immutable log
    const [row] = await db.dataSource.query(`SELECT team_id, role FROM memberships WHERE account_id = $1`, [member.id]);
    expect(row).toEqual({ team_id: team.id, role: 'worker' });
  });

  it('moves a member between teams with MemberTeamChanged, recording since when', async () => {
    const org = await ctx.get(CommandBus).execute(new CreateOrganisationCommand('Moves', SYSTEM));
    const a = await ctx.get(CommandBus).execute(new CreateTeamCommand(org.id, 'A', SYSTEM));
    const b = await ctx.get(CommandBus).execute(new CreateTeamCommand(org.id, 'B', SYSTEM));
    const m = await ctx
      .get(CommandBus)
      .execute(
        new AddMemberCommand(
          { organisationId: org.id, email: 'mover@example.org', password: PASSWORD, role: 'worker', teamId: a.id },
          SYSTEM,
        ),
      );
    await handle(
      ctx.get(EventStore),
      organisationStream(org.id),
      organisationDecider,
      (state) => decide({ type: 'ChangeTeam', accountId: m.id, teamId: b.id }, state),
      { retries: 0, metadata: metadataOf(SYSTEM) },
    );
    const [row] = await db.dataSource.query(
      `SELECT team_id, team_since > joined_at AS moved_later FROM memberships WHERE account_id = $1`,
      [m.id],
    );
    expect(row).toEqual({ team_id: b.id, moved_later: true });
  });

  it('adds members concurrently to one organisation: each append retries on the version it lost', async () => {
    const org = await ctx.get(CommandBus).execute(new CreateOrganisationCommand('Busy', SYSTEM));
    const commands = ctx.get(CommandBus);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        commands.execute(
          new AddMemberCommand(
            { organisationId: org.id, email: `c${i}@example.org`, password: PASSWORD, role: 'worker', teamId: null },
            SYSTEM,
          ),
        ),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(10);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM memberships WHERE organisation_id = $1`, [
      org.id,
    ]);
    expect(n).toBe(10);
  });

  it('leaves no account behind when the append fails, and the email can be used again', async () => {
    const org = await ctx.get(CommandBus).execute(new CreateOrganisationCommand('Failing', SYSTEM));
    const store = ctx.get(EventStore);
    const append = jest.spyOn(store, 'append').mockRejectedValueOnce(new Error('the database went away'));
    await expect(
      ctx
        .get(CommandBus)
        .execute(
          new AddMemberCommand(
            { organisationId: org.id, email: 'again@example.org', password: PASSWORD, role: 'worker', teamId: null },
            SYSTEM,
          ),
        ),
    ).rejects.toThrow('went away');
    append.mockRestore();
    expect(await ctx.get(AccountStore).emailExists('again@example.org')).toBe(false);
    await ctx
      .get(CommandBus)
      .execute(
        new AddMemberCommand(
          { organisationId: org.id, email: 'again@example.org', password: PASSWORD, role: 'worker', teamId: null },
          SYSTEM,
        ),
      );
  });

  it('never activates an event whose credentials are missing: the inline projection undoes the append', async () => {
    const store = ctx.get(EventStore);
    const id = '5f0c8a4e-0000-4000-8000-00000000f00d';
    await expect(
      store.append(`account-${id}`, 'no_stream', [
        { type: 'AccountRegistered', data: { accountId: id, role: 'admin' } },
      ]),
    ).rejects.toThrow(/no claimed credentials/);
    expect(await store.readStream(`account-${id}`)).toEqual([]);
  });

  it('rebuilds organisations, teams and memberships from the log, identical to what the appends kept', async () => {
    await ctx.get(CommandBus).execute(new RegisterAccountCommand('r@example.org', PASSWORD, 'researcher', SYSTEM));
    const before = await snapshot();
    expect(before.memberships.length).toBeGreaterThan(5);
    // Damage the read model every way: lost rows and a changed one.
    await db.dataSource.query(`DELETE FROM memberships`);
    await db.dataSource.query(`DELETE FROM teams WHERE name = 'A'`);
    await db.dataSource.query(`UPDATE organisations SET name = 'Renamed behind the log''s back'`);
    await ctx.get(IdentityProjection).rebuild();
    expect(await snapshot()).toEqual(before);
  });
});
