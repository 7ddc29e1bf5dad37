import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, Clock, newId } from '@praxis/common';
import { EventStore, handle, StreamVersionConflictError } from '@praxis/event-store';
import { AccountStore } from '../../accounts/account-store';
import { AccountTokens, newLinkToken } from '../../accounts/account-tokens';
import { accountDecider, decide, RESET_MINUTES } from '../../domain/account';
import { assertAcceptablePassword, EMAIL_MAX_LENGTH, normaliseEmail } from '../../domain/credentials-policy';
import { IdentityErrors } from '../../domain/identity-errors';
import { accountStream } from '../../domain/identity-events';
import { MailOutbox } from '../../mail/mail-outbox';
import { MailSender } from '../../mail/mail-sender';
import { PasswordHasher } from '../../passwords/password-hasher';
import { onAccount } from '../streams';

/** At most this many reset links an hour for one account; further requests are dropped without a word. */
export const RESETS_PER_HOUR = 3;

/**
 * "Forgot password". The request is answered before anything depends on the
 * address — the work happens after the answer — so the answer and its timing
 * are the same whether or not an account has that email. The confirmation
 * uses the link once, sets the new password and revokes every session.
 */
@Injectable()
export class ResetPasswordHandler {
  private readonly logger = new Logger('PasswordReset');
  /** Requests are worked one after another: the hourly limit counts what the one before stored. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly accounts: AccountStore,
    private readonly tokens: AccountTokens,
    private readonly store: EventStore,
    private readonly outbox: MailOutbox,
    private readonly sender: MailSender,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Returns at once; the mail, if any, follows. */
  request(email: string): void {
    this.queue = this.queue
      .then(() => this.mailLink(email))
      .catch((error: unknown) => this.logger.warn(`a reset request was not processed: ${(error as Error).message}`));
  }

  /** Resolves when every request taken so far has been processed (shutdown, tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** The reset a link opens, for the page that shows the form; 410 if it opens nothing. */
  async check(token: unknown) {
    const grant = await this.tokens.find(token, 'reset');
    if (!grant || grant.usedAt || grant.expiresAt <= this.clock.now()) throw IdentityErrors.resetGone();
    return grant;
  }

  async confirm(command: { token: string; password: string }): Promise<void> {
    const grant = await this.check(command.token);
    const now = this.clock.now();
    assertAcceptablePassword(command.password);
    const passwordHash = await this.hasher.hash(command.password);
    try {
      await handle(
        this.store,
        accountStream(grant.accountId),
        accountDecider,
        (state) =>
          decide({ type: 'ConfirmPasswordReset', accountId: grant.accountId, resetId: grant.grantId, now }, state),
        onAccount({ actorId: grant.accountId }, async (tx) => {
          if (!(await AccountTokens.consume(tx, command.token, 'reset', now))) throw IdentityErrors.resetGone();
          await AccountStore.setPassword(tx, grant.accountId, passwordHash);
        }),
      );
    } catch (error) {
      if (error instanceof StreamVersionConflictError) throw IdentityErrors.resetGone();
      throw error;
    }
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
