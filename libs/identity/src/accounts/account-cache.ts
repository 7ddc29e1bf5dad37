import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Subscription } from 'rxjs';
import { Database } from '@praxis/common';
import { EventStore, NotificationListener } from '@praxis/event-store';
import { AuthenticatedUser } from './authenticated-user';

/** Announced by the database with the account's id on every change to it or its membership (see its migration). */
export const ACCOUNTS_CHANNEL = 'praxis_accounts';
/** Accounts a process keeps. */
const KEPT = 10_000;
/** Behind the notifications, in case one is lost where no one can tell: nothing is kept longer. */
const AT_MOST_MS = 30_000;
/** Streams whose appends never change an account; every other append forgets what this process kept. */
const NOT_ABOUT_ACCOUNTS = /^reflection-/;

/**
 * The accounts this process has checked, so that a request with a bearer token
 * does not read its account again. Trusted only while the process listens for
 * account changes:
 *
 * - every change to an account or its membership, by any code in any process,
 *   is announced by the database at commit (a trigger), and its account is
 *   forgotten when the announcement arrives — within milliseconds;
 * - a change made by this process is forgotten before its command answers (any
 *   append that is not a reflection forgets everything; a sign-out forgets its
 *   account), so the caller's next request never meets what it just changed;
 * - a read that began before a change is not kept (a generation count);
 * - while the listener is down (an error, a close, or no answer to its heartbeat
 *   within 5 s), nothing is kept or served, and everything kept before is dropped; on PGlite (one connection, no second one to listen on)
 *   it never starts, so every request reads its account.
 */
@Injectable()
export class AccountCache implements OnApplicationShutdown {
  private readonly kept = new LRUCache<string, AuthenticatedUser>({ max: KEPT, ttl: AT_MOST_MS });
  private generation = 0;
  private up = false;
  private started = false;
  private listener?: NotificationListener;
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly database: Database,
    private readonly store: EventStore,
  ) {}

  /** Listens from the first check on: a process that never checks a token (the worker, the CLI) never listens. */
  private start(): void {
    if (this.started || this.database.embedded) return;
    this.started = true;
    this.subscriptions.push(
      this.store.appended$.subscribe(({ streamId }) => {
        if (!NOT_ABOUT_ACCOUNTS.test(streamId)) this.clear();
      }),
    );
    this.listener = new NotificationListener(this.database.url, ACCOUNTS_CHANNEL);
    this.subscriptions.push(
      this.listener.notified$.subscribe((accountId) => this.forget(accountId)),
      this.listener.listening$.subscribe((listening) => {
        this.clear();
        this.up = listening;
      }),
    );
    void this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.up = false;
    this.started = true; // a check made while closing starts nothing
    this.subscriptions.forEach((s) => s.unsubscribe());
    await this.listener?.stop();
  }

  /** Whether it hears of changes, and so keeps anything. */
  get listening(): boolean {
    return this.up;
  }

  /** The account as kept, else as `load` reads it now (kept if nothing changed meanwhile). */
  async get(
    accountId: string,
    load: () => Promise<AuthenticatedUser | undefined>,
  ): Promise<AuthenticatedUser | undefined> {
    if (!this.up) {
      this.start();
      return load();
    }
    const kept = this.kept.get(accountId);
    if (kept) return kept;
    const generation = this.generation;
    const user = await load();
    // Frozen: one request's req.user is every later request's, until forgotten.
    if (user && this.up && generation === this.generation) this.kept.set(accountId, Object.freeze({ ...user }));
    return user;
  }

  forget(accountId: string): void {
    this.generation++;
    this.kept.delete(accountId);
  }

  clear(): void {
    this.generation++;
    this.kept.clear();
  }
}
