import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AppConfig, Clock, newId } from '@praxis/common';
import { EventStore, handle } from '@praxis/event-store';
import { AccountStore } from '../../accounts/account-store';
import { AccountTokens, newLinkToken } from '../../accounts/account-tokens';
import { accountDecider, decide, RESET_MINUTES } from '../../domain/account';
import { EMAIL_MAX_LENGTH, normaliseEmail } from '../../domain/credentials-policy';
import { accountStream } from '../../domain/identity-events';
import { MailOutbox } from '../../mail/mail-outbox';
import { MailSender } from '../../mail/mail-sender';
import { onAccount } from '../streams';
import { RequestPasswordResetCommand } from './request-password-reset.command';

/** At most this many reset links an hour for one account; further requests are dropped without a word. */
export const RESETS_PER_HOUR = 3;

/**
 * "Forgot password". The request is answered before anything depends on the
 * address — the work happens after the answer — so the answer and its timing
 * are the same whether or not an account has that email.
 */
@CommandHandler(RequestPasswordResetCommand)
export class RequestPasswordResetHandler implements ICommandHandler<RequestPasswordResetCommand> {
  private readonly logger = new Logger('PasswordReset');
  /** Requests are worked one after another: the hourly limit counts what the one before stored. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly accounts: AccountStore,
    private readonly tokens: AccountTokens,
    private readonly store: EventStore,
    private readonly outbox: MailOutbox,
    private readonly sender: MailSender,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Resolves at once; the mail, if any, follows. */
  execute({ email }: RequestPasswordResetCommand): Promise<void> {
    this.queue = this.queue
      .then(() => this.mailLink(email))
      .catch((error: unknown) => this.logger.warn(`a reset request was not processed: ${(error as Error).message}`));
    return Promise.resolve();
  }

  /** Resolves when every request taken so far has been processed (shutdown, tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  private async mailLink(rawEmail: string): Promise<void> {
    const email = normaliseEmail(rawEmail);
    if (email.length > EMAIL_MAX_LENGTH) return;
    const account = await this.accounts.findActiveByEmail(email);
    if (!account) return;
    const now = this.clock.now();
    if ((await this.tokens.issuedSince(account.id, 'reset', new Date(now.getTime() - 3_600_000))) >= RESETS_PER_HOUR)
      return;
    const resetId = newId();
    const token = newLinkToken();
    const expiresAt = new Date(now.getTime() + RESET_MINUTES * 60_000);
    const { events } = await handle(
      this.store,
      accountStream(account.id),
      accountDecider,
      (state) => decide({ type: 'RequestPasswordReset', accountId: account.id, resetId, expiresAt }, state),
      onAccount({ actorId: account.id }, async (tx) => {
        await AccountTokens.issue(tx, {
          token,
          accountId: account.id,
          purpose: 'reset',
          grantId: resetId,
          createdAt: now,
          expiresAt,
        });
        const link = `${this.config.publicUrl}/password-reset/${token}`;
        await this.outbox.enqueue(tx, { accountId: account.id, kind: 'reset', grantId: resetId, link, now });
      }),
    );
    if (events.length) this.sender.wake();
  }
}
