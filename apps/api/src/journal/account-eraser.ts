import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InlineProjectionRegistry, Projection, Recorded } from '@praxis/event-store';
import { PersonalDataErased } from '@praxis/journal';

/**
 * Erasure reaches the account too, in the same transaction: the email is
 * replaced, the account can no longer sign in, its sessions, tokens, links and
 * unsent mails end, and it disappears from every member list. Wired
 * here, where the journal and identity meet, so neither lib knows the other.
 */
@Injectable()
export class AccountEraser implements Projection<PersonalDataErased>, OnModuleInit {
  readonly name = 'account-eraser';
  readonly eventTypes = ['PersonalDataErased'] as const;

  constructor(private readonly registry: InlineProjectionRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async apply(events: Recorded<PersonalDataErased>[], tx: EntityManager): Promise<void> {
    for (const event of events) {
      const id = event.data.personId;
      await tx.query(`DELETE FROM web_sessions WHERE account_id = $1`, [id]);
      await tx.query(`DELETE FROM account_tokens WHERE account_id = $1`, [id]);
      await tx.query(`DELETE FROM mail_outbox WHERE account_id = $1`, [id]);
      // The email must go (it is personal) but stays unique; the row stays because the log names the id. Lists skip erased rows.
      await tx.query(
        `UPDATE accounts SET email = $2, password_hash = 'erased', activated_at = NULL, erased_at = $3, token_version = token_version + 1
          WHERE id = $1`,
        [id, `erased-${id}@erased.invalid`, event.recordedAt],
      );
    }
  }
}
