import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@praxis/common';
import { EventStore, handle, StreamVersionConflictError } from '@praxis/event-store';
import { AccountStore } from '../../accounts/account-store';
import { AccountTokens } from '../../accounts/account-tokens';
import { accountDecider, decide } from '../../domain/account';
import { assertAcceptablePassword } from '../../domain/credentials-policy';
import { IdentityErrors } from '../../domain/identity-errors';
import { accountStream } from '../../domain/identity-events';
import { PasswordHasher } from '../../passwords/password-hasher';
import { LinkQueries } from '../../queries/link-queries';
import { onAccount } from '../streams';
import { ConfirmPasswordResetCommand } from './confirm-password-reset.command';

/** The confirmation uses the link once, sets the new password and revokes every session. */
@CommandHandler(ConfirmPasswordResetCommand)
export class ConfirmPasswordResetHandler implements ICommandHandler<ConfirmPasswordResetCommand> {
  constructor(
    private readonly links: LinkQueries,
    private readonly store: EventStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async execute(command: ConfirmPasswordResetCommand): Promise<{ email: string }> {
    const grant = await this.links.passwordReset(command.token);
    const now = this.clock.now();
    assertAcceptablePassword(command.password);
    const passwordHash = await this.hasher.hash(command.password);
    let email = '';
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
          const [account]: { email: string }[] = await tx.query(`SELECT email FROM accounts WHERE id = $1`, [
            grant.accountId,
          ]);
          email = account.email;
        }),
      );
      return { email };
    } catch (error) {
      if (error instanceof StreamVersionConflictError) throw IdentityErrors.resetGone();
      throw error;
    }
  }
}
