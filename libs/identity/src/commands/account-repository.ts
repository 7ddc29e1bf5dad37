import { Injectable } from '@nestjs/common';
import { EventStore, TransactionQueryable } from '@praxis/event-store';
import { AccountCommand, AccountState, decide, foldAccount } from '../domain/account';
import { accountStream, AccountEvent } from '../domain/identity-events';
import { Actor, metadataOf } from './actor';

/**
 * An account's own stream: load, decide, append at the version read. A
 * concurrent change (two tabs accepting one invitation) is a version conflict,
 * and the loser changes nothing. `inTransaction` writes the secrets the
 * events name (a password hash, a link's hash, an outbox row) with them.
 */
@Injectable()
export class AccountRepository {
  constructor(private readonly store: EventStore) {}

  async load(accountId: string): Promise<{ state: AccountState; version: number }> {
    const events = await this.store.readStream(accountStream(accountId));
    const version = events.length ? events[events.length - 1].streamVersion : 0;
    return { state: foldAccount(events as unknown as AccountEvent[]), version };
  }

  /** Decides against the stream as it is and appends; returns the events (none when the command changes nothing). */
  async handle(
    command: AccountCommand,
    actor: Actor,
    inTransaction?: (tx: TransactionQueryable) => Promise<void>,
  ): Promise<AccountEvent[]> {
    const { state, version } = await this.load(command.accountId);
    const events = decide(command, state);
    if (events.length === 0) return events;
    await this.store.append(
      accountStream(command.accountId),
      version === 0 ? 'no_stream' : version,
      events.map((e) => ({ ...e, schemaVersion: 1, metadata: metadataOf(actor) })),
      { inTransaction },
    );
    return events;
  }
}
