import { Injectable } from '@nestjs/common';
import { AppConfig, Clock, newId } from '@praxis/common';
import { EventStore, handle, TransactionQueryable } from '@praxis/event-store';
import { AccountTokens, newLinkToken } from '../../accounts/account-tokens';
import { accountDecider, decide, INVITATION_DAYS } from '../../domain/account';
import { accountStream } from '../../domain/identity-events';
import { PlatformRole } from '../../domain/roles';
import { MailOutbox } from '../../mail/mail-outbox';
import { MailSender } from '../../mail/mail-sender';
import { Actor } from '../actor';
import { onAccount } from '../streams';

/**
 * Issues an invitation: a new one-time link (only its hash is kept), the
 * `InvitationIssued` event, and the mail in the outbox — one transaction. An
 * earlier link of the same account stops working.
 */
@Injectable()
export class InvitationSender {
  constructor(
    private readonly store: EventStore,
    private readonly outbox: MailOutbox,
    private readonly sender: MailSender,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** `first`: the account's first invitation (`role` for one outside every organisation); otherwise a replacement. */
  async issue(accountId: string, first: { role?: PlatformRole } | false, actor: Actor): Promise<{ expiresAt: Date }> {
    const now = this.clock.now();
    const invitationId = newId();
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
    const token = newLinkToken();
    const command = first
      ? { type: 'Invite' as const, accountId, invitationId, expiresAt, role: first.role }
      : { type: 'Reinvite' as const, accountId, invitationId, expiresAt };
    const issueLink = async (tx: TransactionQueryable) => {
      await AccountTokens.issue(tx, {
        token,
        accountId,
        purpose: 'invitation',
        grantId: invitationId,
        createdAt: now,
        expiresAt,
      });
      const link = `${this.config.publicUrl}/invitations/${token}`;
      await this.outbox.enqueue(tx, { accountId, kind: 'invitation', grantId: invitationId, link, now });
    };
    await handle(
      this.store,
      accountStream(accountId),
      accountDecider,
      (state) => decide(command, state),
      onAccount(actor, issueLink),
    );
    this.sender.wake();
    return { expiresAt };
  }
}
