import { Injectable } from '@nestjs/common';
import { Clock, newId } from '@praxis/common';
import { EventStore, handle } from '@praxis/event-store';
import { AccountStore } from '../../accounts/account-store';
import { assertAcceptableEmail, assertAcceptablePassword, normaliseEmail } from '../../domain/credentials-policy';
import { accountDecider, decide } from '../../domain/account';
import { accountStream } from '../../domain/identity-events';
import { PlatformRole } from '../../domain/roles';
import { PasswordHasher } from '../../passwords/password-hasher';
import { Actor, metadataOf } from '../actor';

export interface RegisterAccount {
  email: string;
  password: string;
  role: PlatformRole;
}

/** Admins and researchers: accounts outside every organisation, each with a stream of its own. */
@Injectable()
export class RegisterAccountHandler {
  constructor(
    private readonly store: EventStore,
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async execute(command: RegisterAccount, actor: Actor): Promise<{ id: string; email: string; role: PlatformRole }> {
    const email = normaliseEmail(command.email);
    assertAcceptableEmail(email);
    assertAcceptablePassword(command.password);
    const accountId = newId();
    const passwordHash = await this.hasher.hash(command.password);
    await this.accounts.claim({ id: accountId, email, passwordHash, role: command.role, createdAt: this.clock.now() });
    try {
      await handle(
        this.store,
        accountStream(accountId),
        accountDecider,
        (state) => decide({ type: 'Register', accountId, role: command.role }, state),
        { expectedVersion: 'no_stream', metadata: metadataOf(actor) },
      );
    } catch (error) {
      await this.accounts.release(accountId);
      throw error;
    }
    return { id: accountId, email, role: command.role };
  }
}
