import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { eventually, onServer, openTestContext, testConfig, TestContext } from '@praxis/testing';
import { EventStoreModule } from '@praxis/event-store';
import { AuthService } from '../auth/auth.service';
import { IdentityModule } from '../identity.module';
import { AccountCache } from './account-cache';

// A second connection listens for changes: the embedded database has one session, so there it never keeps anything.
const onServerOnly = onServer() ? describe : describe.skip;

/**
 * What a process keeps of the accounts it checked must never outlive a change
 * made anywhere: by another process, by SQL no command knows of, or while
 * nobody listened.
 */
onServerOnly('the accounts a process keeps', () => {
  const config = testConfig('account_cache');
  let context: TestContext;
  let ctx: INestApplicationContext;
  let ds: DataSource;
  let cache: AccountCache;

  beforeAll(async () => {
    context = await openTestContext(config, [EventStoreModule, IdentityModule]);
    ctx = context.ctx;
    ds = ctx.get(DataSource);
    cache = ctx.get(AccountCache);
    // It listens from its first check on.
    expect(cache.listening).toBe(false);
    await cache.get(randomUUID(), async () => undefined);
    await eventually(() => cache.listening);
  });
  afterAll(() => context?.close());

  async function anAccount(): Promise<string> {
    const id = randomUUID();
    await ds.query(
      `INSERT INTO accounts (id, email, password_hash, role, created_at, activated_at)
       VALUES ($1, $2, 'a hash', 'worker', now(), now())`,
      [id, `${id}@cache.example`],
    );
    return id;
  }
  /** A look-up that counts its reads of the database. */
  function reader(id: string) {
    const counted = { reads: 0, get: () => cache.get(id, load) };
    const load = () => {
      counted.reads++;
      return ctx.get(AuthService).userById(id);
    };
    return counted;
  }

  it('reads an account once, then answers from what it kept', async () => {
    const account = reader(await anAccount());
    expect((await account.get())?.role).toBe('worker');
    expect((await account.get())?.role).toBe('worker');
    expect(account.reads).toBe(1);
  });

  it('forgets an account when any change to it is committed, even one made by plain SQL elsewhere', async () => {
    const id = await anAccount();
    const account = reader(id);
    expect((await account.get())?.tokenVersion).toBe(0);
    await ds.query(`UPDATE accounts SET token_version = token_version + 1 WHERE id = $1`, [id]);
    await eventually(async () => (await account.get())?.tokenVersion === 1);
    await ds.query(`UPDATE accounts SET erased_at = now() WHERE id = $1`, [id]);
    await eventually(async () => (await account.get()) === undefined);
    expect(account.reads).toBeGreaterThanOrEqual(3);
  });

  it('keeps nothing while it cannot hear of changes, and hears again once back', async () => {
    const id = await anAccount();
    const account = reader(id);
    await account.get();
    // Every listener on the channel loses its connection (other suites' too: they fall back to reading).
    await ds.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN praxis_accounts' AND pid <> pg_backend_pid()`,
    );
    await eventually(() => !cache.listening);
    const reads = account.reads;
    await account.get();
    await account.get();
    expect(account.reads).toBe(reads + 2);

    await eventually(() => cache.listening);
    await account.get();
    await ds.query(`UPDATE accounts SET role = 'leader' WHERE id = $1`, [id]);
    await eventually(async () => (await account.get())?.role === 'leader');
  });
});
