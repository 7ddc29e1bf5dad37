import { Injectable } from '@nestjs/common';
import { DomainError } from '@praxis/common';
import { AccountStore } from '../../accounts/account-store';
import { normaliseEmail } from '../../domain/credentials-policy';
import { SYSTEM } from '../actor';
import { RegisterAccountHandler } from '../register-account/register-account.handler';

/**
 * The first admin, from configuration or the CLI: created when no account has
 * the email, left alone (password included) when one does, so restarting
 * with the same settings never resets anything.
 */
@Injectable()
export class EnsureAdminHandler {
  constructor(
    private readonly accounts: AccountStore,
    private readonly register: RegisterAccountHandler,
  ) {}

  async execute(command: { email: string; password: string }): Promise<{ created: boolean; id?: string }> {
    const email = normaliseEmail(command.email);
    if (await this.accounts.emailExists(email)) return { created: false };
    try {
      const account = await this.register.execute({ email, password: command.password, role: 'admin' }, SYSTEM);
      return { created: true, id: account.id };
    } catch (error) {
      // Another process started at the same moment and created it first.
      if (error instanceof DomainError && error.code === 'ACCOUNT.EMAIL_TAKEN') return { created: false };
      throw error;
    }
  }
}
