import { Injectable } from '@nestjs/common';
import { Clock } from '@praxis/common';
import { AccountStore } from '../accounts/account-store';
import { AccountTokens, TokenGrant } from '../accounts/account-tokens';
import { IdentityErrors } from '../domain/identity-errors';

/**
 * What a mailed link opens, for the page that shows its form and for the
 * command that uses it up: reads only, 410 if it opens nothing (unknown,
 * used, replaced or expired).
 */
@Injectable()
export class LinkQueries {
  constructor(
    private readonly tokens: AccountTokens,
    private readonly accounts: AccountStore,
    private readonly clock: Clock,
  ) {}

  /** An invitation, only while its account is still invited. */
  async invitation(token: unknown): Promise<{ email: string; grant: TokenGrant }> {
    const grant = await this.tokens.find(token, 'invitation');
    if (!grant || grant.usedAt || grant.expiresAt <= this.clock.now()) throw IdentityErrors.invitationGone();
    const account = await this.accounts.statusOf(grant.accountId);
    if (!account || account.status !== 'invited') throw IdentityErrors.invitationGone();
    return { email: account.email, grant };
  }

  async passwordReset(token: unknown): Promise<TokenGrant> {
    const grant = await this.tokens.find(token, 'reset');
    if (!grant || grant.usedAt || grant.expiresAt <= this.clock.now()) throw IdentityErrors.resetGone();
    return grant;
  }
}
