import { Injectable } from '@nestjs/common';
import { Clock, newId } from '@praxis/common';
import { EventStore, handle } from '@praxis/event-store';
import { AccountStore } from '../../accounts/account-store';
import { assertAcceptableEmail, assertAcceptablePassword, normaliseEmail } from '../../domain/credentials-policy';
import { accountDecider, decide } from '../../domain/account';
import { accountStream } from '../../domain/identity-events';
import { PasswordHasher } from '../../passwords/password-hasher';
import { metadataOf } from '../actor';
import { RegisteredAccount, RegisterAccountCommand } from './register-account.command';

/**
 * Admins and researchers: accounts outside every organisation, each with a
 * stream of its own. Shared by RegisterAccount and EnsureAdmin (a handler
 * does not call another through the bus).
 */
@Injectable()
export class AccountRegistrar {
  constructor(
    private readonly store: EventStore,
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async register({ email: rawEmail, password, role, actor }: RegisterAccountCommand): Promise<RegisteredAccount> {
    const email = normaliseEmail(rawEmail);
    assertAcceptableEmail(email);
    assertAcceptablePassword(password);
    const accountId = newId();
    const passwordHash = await this.hasher.hash(password);
    await this.accounts.claim({ id: accountId, email, passwordHash, role, createdAt: this.clock.now() });
    try {
      await handle(
        this.store,
        accountStream(accountId),
        accountDecider,
        (state) => decide({ type: 'Register', accountId, role }, state),
        { expectedVersion: 'no_stream', metadata: metadataOf(actor) },
      );
    } catch (error) {
      await this.accounts.release(accountId);
      throw error;
    }
    return { id: accountId, email, role };
  }
}
