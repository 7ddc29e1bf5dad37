import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventStore, Projection, Queryable, Recorded, START, eventsFor, pagesUntilEmpty } from '@praxis/event-store';
import { assertNever, IDENTITY_EVENT_TYPES, IdentityEvent } from '../domain/identity-events';

/**
 * Keeps `organisations`, `teams` and `memberships` in the append's own
 * transaction, and activates the account an event introduces. Times come
 * from the events, so a rebuild produces the same rows.
 */
@Injectable()
export class IdentityProjection implements Projection<IdentityEvent> {
  readonly name = 'identity';
  readonly eventTypes = IDENTITY_EVENT_TYPES;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  async apply(events: Recorded<IdentityEvent>[], tx: EntityManager): Promise<void> {
    for (const event of events) await this.applyOne(event, tx, true);
  }

  /**
   * Rebuilds the three tables from the log in one transaction. Accounts are not
   * rebuilt (their email and hash are not in the log); an account erased since
   * its event is simply not there to activate.
   *
   * The tables are locked first (readers still read): every append that wrote them has
   * committed by then, and every later one waits, so the whole log is read without the
   * commit-order horizon. With the horizon it could never finish while others append:
   * once this transaction writes, its own id holds the horizon back until it ends.
   */
  async rebuild(): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`LOCK TABLE organisations, teams, memberships IN EXCLUSIVE MODE`);
      await tx.query(`DELETE FROM memberships`);
      await tx.query(`DELETE FROM teams`);
      await tx.query(`DELETE FROM organisations`);
      let applied = 0;
      for await (const page of pagesUntilEmpty(START, (after) => this.store.readAllUnbounded(after, 1000, tx))) {
        for (const event of eventsFor(this, page)) {
          await this.applyOne(event, tx, false);
          applied++;
        }
      }
      return applied;
    });
  }

  private async applyOne(event: Recorded<IdentityEvent>, db: Queryable, live: boolean): Promise<void> {
    const at = event.recordedAt;
    switch (event.type) {
      case 'OrganisationCreated':
        await db.query(`INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)`, [
          event.data.organisationId,
          event.data.name,
          at,
        ]);
        return;
      case 'TeamCreated':
        await db.query(`INSERT INTO teams (id, organisation_id, name, created_at) VALUES ($1, $2, $3, $4)`, [
          event.data.teamId,
          event.data.organisationId,
          event.data.name,
          at,
        ]);
        return;
      case 'MemberJoined':
      case 'MemberInvited':
        await db.query(
          `INSERT INTO memberships (account_id, organisation_id, team_id, role, joined_at, team_since) VALUES ($1, $2, $3, $4, $5, $5)`,
          [event.data.accountId, event.data.organisationId, event.data.teamId, event.data.role, at],
        );
        // Joined (the demo's, and accounts from before invitations) is active at once; invited waits for its owner.
        if (event.type === 'MemberJoined') await this.activate(db, event.data.accountId, event.data.role, at, live);
        else await this.markInvited(db, event.data.accountId, event.data.role, at, live);
        return;
      case 'AccountInvited':
        await this.markInvited(db, event.data.accountId, event.data.role, at, live);
        return;
      case 'InvitationAccepted':
        await db.query(`UPDATE accounts SET activated_at = COALESCE(activated_at, $2) WHERE id = $1`, [
          event.data.accountId,
          at,
        ]);
        return;
      // Credentials' history: the secrets they name are written beside the log, in the same transaction.
      case 'InvitationIssued':
      case 'PasswordChanged':
      case 'PasswordResetRequested':
      case 'PasswordReset':
        return;
      case 'MemberTeamChanged':
        await db.query(`UPDATE memberships SET team_id = $2, team_since = $3 WHERE account_id = $1`, [
          event.data.accountId,
          event.data.toTeamId,
          at,
        ]);
        return;
      case 'AccountRegistered':
        await this.activate(db, event.data.accountId, event.data.role, at, live);
        return;
      default:
        assertNever(event);
    }
  }

  /** Invited: the claim is kept (it holds the email) but cannot sign in until its owner accepts. */
  private async markInvited(db: Queryable, accountId: string, role: string, at: Date, live: boolean): Promise<void> {
    const [{ n }]: { n: number }[] = await db.query(
      `WITH u AS (UPDATE accounts SET role = $2, invited_at = COALESCE(invited_at, $3) WHERE id = $1 RETURNING id)
       SELECT count(*)::int AS n FROM u`,
      [accountId, role, at],
    );
    if (live && n === 0) throw new Error(`account ${accountId} has no claimed email; the append is undone`);
  }

  private async activate(db: Queryable, accountId: string, role: string, at: Date, live: boolean): Promise<void> {
    // A SELECT around the UPDATE: TypeORM answers a bare UPDATE with [rows, count], not rows.
    const [{ n }]: { n: number }[] = await db.query(
      `WITH u AS (UPDATE accounts SET role = $2, activated_at = COALESCE(activated_at, $3) WHERE id = $1 RETURNING id)
       SELECT count(*)::int AS n FROM u`,
      [accountId, role, at],
    );
    // Live, the claim must be there: without it the event would name an account no one can use.
    if (live && n === 0) throw new Error(`account ${accountId} has no claimed credentials; the append is undone`);
  }
}
